import { Suspense, useMemo, useState } from 'react';
import { Avatar, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Spin, Tag, Typography, type MenuProps } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  ImportOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  ReadOutlined as ResLibraryIcon,
  FolderOpenOutlined as ResMineIcon,
  SafetyCertificateOutlined as ResReviewIcon,
  ProfileOutlined as ResCatalogueIcon,
} from '@ant-design/icons';
import {
  ExperimentOutlined as FacExperimentIcon,
  CalendarOutlined as FacCalendarIcon,
  InboxOutlined as FacInboxIcon,
  WalletOutlined as FacWalletIcon,
  BarChartOutlined as FacChartIcon,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../common/vocab';
import { useLogout, useMe } from './auth';
import { canSee, type MenuKey } from './permissions';
import { useVocab } from './vocab';
import { LangSwitch } from '../components/LangSwitch';
import type { Me } from '../types';

const { Header, Sider, Content, Footer } = Layout;

const ITEMS: { key: MenuKey; path: string; icon: React.ReactNode }[] = [
  { key: 'overview', path: '/overview', icon: <DashboardOutlined /> },
  { key: 'schools', path: '/schools', icon: <BankOutlined /> },
  { key: 'alliances', path: '/alliances', icon: <ClusterOutlined /> },
  // ---- facilities, bookings, credits (S3) ----
  { key: 'facilities', path: '/facilities', icon: <FacExperimentIcon /> },
  { key: 'bookings', path: '/bookings', icon: <FacCalendarIcon /> },
  { key: 'inbox', path: '/inbox', icon: <FacInboxIcon /> },
  { key: 'credits', path: '/credits', icon: <FacWalletIcon /> },
  { key: 'utilization', path: '/utilization', icon: <FacChartIcon /> },
  // ---- resources (S2) ----
  { key: 'resources', path: '/resources', icon: <ResLibraryIcon /> },
  { key: 'myResources', path: '/my-resources', icon: <ResMineIcon /> },
  { key: 'reviewQueue', path: '/resource-reviews', icon: <ResReviewIcon /> },
  { key: 'catalogue', path: '/resource-catalogue', icon: <ResCatalogueIcon /> },
  { key: 'applications', path: '/applications', icon: <FileDoneOutlined /> },
  { key: 'regions', path: '/regions', icon: <ApartmentOutlined /> },
  { key: 'imports', path: '/imports', icon: <ImportOutlined /> },
  { key: 'users', path: '/users', icon: <TeamOutlined /> },
  { key: 'audit', path: '/audit', icon: <AuditOutlined /> },
  { key: 'account', path: '/account', icon: <UserOutlined /> },
];

function Brand({ collapsed }: { collapsed?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="xl-brand">
      <span className="xl-brand-mark">校</span>
      {!collapsed && (
        <span className="xl-brand-text">
          <span className="xl-brand-name">{t('app.name')}</span>
          <span className="xl-brand-sub">{t('app.tagline')}</span>
        </span>
      )}
    </div>
  );
}

function SideMenu({ me, onNavigate }: { me: Me; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const selected = ITEMS.find((i) => location.pathname === i.path || location.pathname.startsWith(`${i.path}/`))?.key;
  const items: MenuProps['items'] = ITEMS.filter((i) => canSee(me, i.key)).map((i) => ({
    key: i.key,
    icon: i.icon,
    label: <span data-testid={`menu-${i.key}`}>{t(`menu.${i.key}`)}</span>,
  }));
  return (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={items}
      onClick={({ key }) => {
        const item = ITEMS.find((i) => i.key === key);
        if (item) navigate(item.path);
        onNavigate?.();
      }}
      data-testid="side-menu"
    />
  );
}

/** "教育局管理员 · 市南区" for the first grant, "+2" when there are more. */
export function useRoleSummary(me: Me) {
  const { label } = useVocab();
  const g = me.grants[0];
  if (!g) return '';
  const main = `${label(ROLES, g.role)}${g.scopeName ? ` · ${g.scopeName}` : ''}`;
  return me.grants.length > 1 ? `${main} +${me.grants.length - 1}` : main;
}

export function AppLayout() {
  const me = useMe();
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const logout = useLogout();
  const navigate = useNavigate();
  const roleSummary = useRoleSummary(me);
  const { label } = useVocab();

  const userMenu: MenuProps = useMemo(
    () => ({
      items: [
        {
          key: 'who',
          disabled: true,
          label: (
            <div style={{ maxWidth: 280 }}>
              <div style={{ fontWeight: 600, color: 'rgba(0,0,0,.88)' }}>{me.user.displayName}</div>
              <div style={{ fontSize: 12 }}>{me.user.username}</div>
              <div style={{ marginTop: 4 }}>
                {me.grants.map((g) => (
                  <Tag key={g.id} style={{ marginBottom: 4 }}>
                    {label(ROLES, g.role)}
                    {g.scopeName ? ` · ${g.scopeName}` : ''}
                  </Tag>
                ))}
              </div>
            </div>
          ),
        },
        { type: 'divider' },
        { key: 'account', icon: <UserOutlined />, label: <span data-testid="menu-account-link">{t('menu.account')}</span> },
        { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('layout.logout')}</span> },
      ],
      onClick: ({ key }) => {
        if (key === 'account') navigate('/account');
        if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
      },
    }),
    [me, t, label, navigate, logout],
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isMobile && (
        <Sider width={220} collapsible collapsed={collapsed} trigger={null} className="xl-sider" breakpoint="lg" onBreakpoint={(b) => setCollapsed(b)}>
          <Brand collapsed={collapsed} />
          <SideMenu me={me} />
        </Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={248}
          closable={false}
          styles={{ body: { padding: 0, background: '#0f2a4a' }, header: { display: 'none' } }}
          data-testid="menu-drawer"
        >
          <Brand />
          <SideMenu me={me} onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout>
        <Header className="xl-header">
          <Flex align="center" gap={8} style={{ minWidth: 0 }}>
            {isMobile ? (
              <>
                <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('layout.menu')} data-testid="menu-toggle" />
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {t('app.name')}
                </Typography.Text>
              </>
            ) : (
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed(!collapsed)}
                aria-label={t('layout.collapse')}
              />
            )}
          </Flex>
          <Flex align="center" gap={isMobile ? 8 : 16} style={{ minWidth: 0 }}>
            <LangSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" className="xl-user-button" data-testid="user-menu">
                <Avatar size="small" style={{ background: '#1f5fae' }} icon={<UserOutlined />} />
                {!isMobile && (
                  <span className="xl-user-text">
                    <span className="xl-user-name" data-testid="user-name">
                      {me.user.displayName}
                    </span>
                    <span className="xl-user-role" data-testid="user-role">
                      {roleSummary}
                    </span>
                  </span>
                )}
              </Button>
            </Dropdown>
          </Flex>
        </Header>
        <Content className="xl-content">
          <Suspense
            fallback={
              <div className="xl-center">
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Content>
        <Footer className="xl-footer">{t('app.footer')}</Footer>
      </Layout>
    </Layout>
  );
}
