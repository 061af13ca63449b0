import { lazy, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Result, Button, Spin } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { onUnauthorized } from '../api';
import { MeProvider, useMe, useMeQuery } from './auth';
import { AppLayout } from './AppLayout';
import { canSee, homePath, type MenuKey } from './permissions';
import { QueryError } from '../components/errors';
import { LoginPage } from '../features/auth/LoginPage';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage';

const OverviewPage = lazy(() => import('../features/overview/OverviewPage'));
const SchoolsPage = lazy(() => import('../features/schools/SchoolsPage'));
const SchoolDetailPage = lazy(() => import('../features/schools/SchoolDetailPage'));
const SchoolEditPage = lazy(() => import('../features/schools/SchoolEditPage'));
const AlliancesPage = lazy(() => import('../features/alliances/AlliancesPage'));
const AllianceDetailPage = lazy(() => import('../features/alliances/AllianceDetailPage'));
const ApplicationsPage = lazy(() => import('../features/applications/ApplicationsPage'));
const RegionsPage = lazy(() => import('../features/regions/RegionsPage'));
const ImportPage = lazy(() => import('../features/imports/ImportPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const AccountPage = lazy(() => import('../features/account/AccountPage'));
const UsersPage = lazy(() => import('../features/users/UsersPage'));
const FacilitiesPage = lazy(() => import('../features/facilities/FacilitiesPage'));
const FacilityDetailPage = lazy(() => import('../features/facilities/FacilityDetailPage'));
const MyBookingsPage = lazy(() => import('../features/facilities/MyBookingsPage'));
const InboxPage = lazy(() => import('../features/facilities/InboxPage'));
const CreditsPage = lazy(() => import('../features/credits/CreditsPage'));
const UtilizationPage = lazy(() => import('../features/facilities/UtilizationPage'));
// ---- resources (S2) ----
const ResourceLibraryPage = lazy(() => import('../features/resources/LibraryPage'));
const ResourcePage = lazy(() => import('../features/resources/ResourcePage'));
const ResourceEditPage = lazy(() => import('../features/resources/ResourceEditPage'));
const MyResourcesPage = lazy(() => import('../features/resources/MyResourcesPage'));
const ReviewQueuePage = lazy(() => import('../features/resources/ReviewQueuePage'));
const CataloguePage = lazy(() => import('../features/resources/CataloguePage'));

function Loading() {
  return (
    <div className="xl-center" style={{ minHeight: '60vh' }}>
      <Spin size="large" />
    </div>
  );
}

/** Loads `me`; sends anonymous users to /login and users with an initial password to the change screen. */
function RequireAuth() {
  const me = useMeQuery();
  const location = useLocation();
  const qc = useQueryClient();
  useEffect(() => onUnauthorized(() => qc.setQueryData(['me'], null)), [qc]);
  if (me.isLoading) return <Loading />;
  if (me.error)
    return (
      <div style={{ padding: 24 }}>
        <QueryError error={me.error} />
      </div>
    );
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login'} replace />;
  }
  if (me.data.user.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <MeProvider me={me.data}>
      <AppLayout />
    </MeProvider>
  );
}

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me)} replace />;
}

/** Hides a page from roles that have no menu entry for it (the server still checks every call). */
function Guard({ menu, children }: { menu: MenuKey; children: React.ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (!canSee(me, menu)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('common.noAccess')}
        extra={
          <Button type="primary" onClick={() => navigate(homePath(me))}>
            {t('common.backHome')}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.pageNotFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route index element={<Home />} />
        <Route
          path="overview"
          element={
            <Guard menu="overview">
              <OverviewPage />
            </Guard>
          }
        />
        <Route
          path="schools"
          element={
            <Guard menu="schools">
              <SchoolsPage />
            </Guard>
          }
        />
        <Route
          path="schools/new"
          element={
            <Guard menu="schools">
              <SchoolEditPage />
            </Guard>
          }
        />
        <Route
          path="schools/:id"
          element={
            <Guard menu="schools">
              <SchoolDetailPage />
            </Guard>
          }
        />
        <Route
          path="schools/:id/edit"
          element={
            <Guard menu="schools">
              <SchoolEditPage />
            </Guard>
          }
        />
        <Route path="alliances" element={<AlliancesPage />} />
        <Route path="alliances/:id" element={<AllianceDetailPage />} />
        <Route
          path="applications"
          element={
            <Guard menu="applications">
              <ApplicationsPage />
            </Guard>
          }
        />
        <Route
          path="regions"
          element={
            <Guard menu="regions">
              <RegionsPage />
            </Guard>
          }
        />
        <Route
          path="imports"
          element={
            <Guard menu="imports">
              <ImportPage />
            </Guard>
          }
        />
        <Route
          path="users"
          element={
            <Guard menu="users">
              <UsersPage />
            </Guard>
          }
        />
        <Route
          path="audit"
          element={
            <Guard menu="audit">
              <AuditPage />
            </Guard>
          }
        />
        <Route
          path="facilities"
          element={
            <Guard menu="facilities">
              <FacilitiesPage />
            </Guard>
          }
        />
        <Route
          path="facilities/:id"
          element={
            <Guard menu="facilities">
              <FacilityDetailPage />
            </Guard>
          }
        />
        <Route
          path="bookings"
          element={
            <Guard menu="bookings">
              <MyBookingsPage />
            </Guard>
          }
        />
        <Route
          path="inbox"
          element={
            <Guard menu="inbox">
              <InboxPage />
            </Guard>
          }
        />
        <Route
          path="credits"
          element={
            <Guard menu="credits">
              <CreditsPage />
            </Guard>
          }
        />
        <Route
          path="utilization"
          element={
            <Guard menu="utilization">
              <UtilizationPage />
            </Guard>
          }
        />
        <Route path="account" element={<AccountPage />} />
        {/* ---- resources (S2) ---- */}
        <Route path="resources" element={<ResourceLibraryPage />} />
        <Route
          path="resources/new"
          element={
            <Guard menu="myResources">
              <ResourceEditPage />
            </Guard>
          }
        />
        <Route path="resources/:id" element={<ResourcePage />} />
        <Route
          path="resources/:id/edit"
          element={
            <Guard menu="myResources">
              <ResourceEditPage key="edit" />
            </Guard>
          }
        />
        <Route
          path="my-resources"
          element={
            <Guard menu="myResources">
              <MyResourcesPage />
            </Guard>
          }
        />
        <Route
          path="resource-reviews"
          element={
            <Guard menu="reviewQueue">
              <ReviewQueuePage />
            </Guard>
          }
        />
        <Route
          path="resource-catalogue"
          element={
            <Guard menu="catalogue">
              <CataloguePage />
            </Guard>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
