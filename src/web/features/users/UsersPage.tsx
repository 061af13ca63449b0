import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Grid, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, SUBJECTS, type Role } from '../../../common/vocab';
import { api, fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtDateTime } from '../../app/format';
import { hasRole, isPlatformAdmin } from '../../app/permissions';
import { useRegions } from '../../app/queries';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { SchoolSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import type { AllianceSummary, Me, Paged } from '../../types';
import { type UserGrant, type UserItem, CreateUserModal, EditUserModal, GrantModal } from './UserModals';

const KEYS = ['q', 'role', 'schoolId'] as const;
/** Roles a school admin may hand out in the own school (server: policy.ts SCHOOL_GRANTABLE). */
const SCHOOL_GRANTABLE: Role[] = ['teacher', 'student', 'guardian', 'school_admin'];

function grantableRoles(me: Me): Role[] {
  if (isPlatformAdmin(me)) return ROLES.codes as unknown as Role[];
  if (hasRole(me, ['bureau_admin'])) return (ROLES.codes as unknown as Role[]).filter((r) => r !== 'platform_admin');
  return SCHOOL_GRANTABLE;
}

/** Names for region and alliance scope ids (schools are named by the user's own school). */
function useScopeNames() {
  const regions = useRegions();
  const alliances = useQuery({
    queryKey: ['alliances', 'names'],
    queryFn: () => api.get<Paged<AllianceSummary>>('/api/alliances', { pageSize: 100 }),
    staleTime: 5 * 60_000,
  });
  return useMemo(() => {
    const m = new Map<string, string>();
    for (const r of regions.data ?? []) m.set(r.id, r.name);
    for (const a of alliances.data?.items ?? []) m.set(a.id, a.name);
    return m;
  }, [regions.data, alliances.data]);
}

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const onError = useApiErrorHandler();
  const { label, lang } = useVocab();
  const f = useUrlFilters(KEYS);
  const query = { ...f.values, page: f.page, pageSize: f.pageSize };
  const list = useQuery({
    queryKey: ['users', query],
    queryFn: () => api.get<Paged<UserItem>>('/api/users', query),
    placeholderData: (prev) => prev,
  });
  const names = useScopeNames();
  const screens = Grid.useBreakpoint();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserItem | null>(null);
  const [granting, setGranting] = useState<UserItem | null>(null);
  const [password, setPassword] = useState<{ title: string; username: string; password: string } | null>(null);
  const wide = isPlatformAdmin(me) || hasRole(me, ['bureau_admin']);
  const roles = grantableRoles(me);

  const invalidate = () => qc.invalidateQueries({ queryKey: ['users'] });

  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/grants/${id}`),
    onSuccess: () => {
      message.success(t('users.revoked'));
      void invalidate();
    },
    onError: (e) => onError(e),
  });

  const resetPassword = (u: UserItem) =>
    modal.confirm({
      title: t('users.resetPassword'),
      content: t('users.confirmReset', { name: u.displayName }),
      okText: t('users.resetPassword'),
      okButtonProps: { danger: true, 'data-testid': 'users-confirm-ok' } as never,
      cancelText: t('users.cancel'),
      onOk: async () => {
        try {
          const r = await api.post<{ initialPassword: string }>(`/api/users/${u.id}/reset-password`);
          setPassword({ title: t('users.resetTitle'), username: u.username, password: r.initialPassword });
        } catch (e) {
          onError(e);
        }
      },
    });

  const scopeName = (g: UserGrant, u: UserItem) => {
    if (g.scopeType === 'installation') return t('users.scopeTypes.installation');
    if (g.scopeType === 'school' && g.scopeId === u.schoolId && u.schoolName) return u.schoolName;
    return (g.scopeId && names.get(g.scopeId)) ?? t(`users.scopeTypes.${g.scopeType}`);
  };

  return (
    <>
      <PageHeader
        title={t('users.title')}
        sub={t('users.sub')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={fileUrl('/api/users/export.xlsx', f.values)} data-testid="users-export">
              {t('users.export')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('users.create')}
            </Button>
          </>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <Input.Search
            allowClear
            placeholder={t('users.search')}
            defaultValue={f.values.q}
            onSearch={(v) => f.set({ q: v.trim() })}
            style={{ width: 220 }}
            data-testid="users-filter-q"
          />
          <Select
            allowClear
            placeholder={t('users.role')}
            value={f.values.role}
            onChange={(v) => f.set({ role: v })}
            options={ROLES.terms.map((r) => ({ value: r.code, label: r[lang] }))}
            style={{ width: 170 }}
          />
          {wide && <SchoolSelect value={f.values.schoolId} onChange={(v) => f.set({ schoolId: v })} style={{ width: 240 }} />}
          <Button icon={<ReloadOutlined />} onClick={f.reset}>
            {t('users.reset')}
          </Button>
        </div>
        <QueryError error={list.error} />
        <Table<UserItem>
          data-testid="users-table"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1240 }}
          onRow={(r) => ({ 'data-testid': `user-row-${r.username}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('users.total', { count: n }),
            onChange: f.setPage,
          }}
          columns={[
            { title: t('users.username'), dataIndex: 'username', width: 130, className: 'xl-nowrap' },
            { title: t('users.displayName'), dataIndex: 'displayName', width: 110 },
            {
              title: t('users.school'),
              dataIndex: 'schoolName',
              width: 180,
              render: (n: string | null, u) => n ?? u.partnerName ?? (u.regionId ? names.get(u.regionId) : null) ?? '—',
            },
            {
              title: t('users.roles'),
              key: 'grants',
              render: (_: unknown, u) => (
                <Flex gap={4} wrap>
                  {u.grants.map((g) => (
                    <Popconfirm
                      key={g.id}
                      title={t('users.confirmRevoke')}
                      okText={t('users.revoke')}
                      cancelText={t('users.cancel')}
                      onConfirm={() => revoke.mutate(g.id)}
                    >
                      <Tag closable onClose={(e) => e.preventDefault()} style={{ marginInlineEnd: 0 }}>
                        {label(ROLES, g.role)} · {scopeName(g, u)}
                        {g.subject ? ` · ${label(SUBJECTS, g.subject)}` : ''}
                      </Tag>
                    </Popconfirm>
                  ))}
                </Flex>
              ),
            },
            {
              title: t('users.status'),
              dataIndex: 'status',
              width: 80,
              render: (s: string) => <Tag color={s === 'active' ? 'success' : 'default'}>{t(`users.statuses.${s}`, s)}</Tag>,
            },
            {
              title: t('users.lastLogin'),
              dataIndex: 'lastLoginAt',
              width: 150,
              className: 'xl-nowrap',
              render: (v: string | null) => (v ? fmtDateTime(v) : t('users.never')),
            },
            {
              title: t('users.actions'),
              key: 'actions',
              width: 250,
              fixed: screens.md ? 'right' : undefined,
              render: (_: unknown, u) => (
                <Flex gap={0}>
                  <Button size="small" type="link" onClick={() => setEditing(u)}>
                    {t('users.edit')}
                  </Button>
                  <Button size="small" type="link" icon={<SafetyOutlined />} onClick={() => setGranting(u)} data-testid={`user-grant-${u.username}`}>
                    {t('users.grant')}
                  </Button>
                  <Button size="small" type="link" icon={<KeyOutlined />} onClick={() => resetPassword(u)} data-testid={`user-reset-${u.username}`}>
                    {t('users.resetPassword')}
                  </Button>
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(username, pw) => {
          setCreating(false);
          void invalidate();
          setPassword({ title: t('users.createdTitle'), username, password: pw });
        }}
      />
      <EditUserModal
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void invalidate();
        }}
      />
      <GrantModal
        user={granting}
        roles={roles}
        onClose={() => setGranting(null)}
        onSaved={() => {
          setGranting(null);
          void invalidate();
        }}
      />
      <Modal
        open={!!password}
        title={password?.title}
        onCancel={() => setPassword(null)}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setPassword(null)} data-testid="password-done">
            {t('users.gotIt')}
          </Button>
        }
      >
        {password && (
          <Flex vertical gap={12}>
            <Alert type="warning" showIcon message={t('users.initialHint')} />
            <div>
              {t('users.username')}：<Typography.Text strong>{password.username}</Typography.Text>
            </div>
            <div>
              {t('users.initialPassword')}：
              <Typography.Text code copyable data-testid="initial-password" style={{ fontSize: 16 }}>
                {password.password}
              </Typography.Text>
            </div>
          </Flex>
        )}
      </Modal>
    </>
  );
}
