import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Grid, Input, Modal, Popconfirm, Radio, Select, Switch, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLE_SCOPE, ROLES, SUBJECTS, type Role } from '../../../common/vocab';
import { api, fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtDateTime } from '../../app/format';
import { hasRole, isPlatformAdmin } from '../../app/permissions';
import { useRegions } from '../../app/queries';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { AllianceSelect, RegionSelect, SchoolSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import type { AllianceSummary, Me, Paged } from '../../types';

type ScopeType = 'installation' | 'region' | 'alliance' | 'school';

export interface UserGrant {
  id: string;
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
  subject: string | null;
}

export interface UserItem {
  id: string;
  username: string;
  displayName: string;
  schoolId: string | null;
  schoolName: string | null;
  regionId: string | null;
  /** partner accounts: the partner organisation the account acts for */
  partnerId?: string | null;
  partnerName?: string | null;
  status: 'active' | 'disabled' | string;
  lastLoginAt: string | null;
  email: string | null;
  phone: string | null;
  grants: UserGrant[];
}

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

interface CreateForm {
  username: string;
  displayName: string;
  belongs: 'school' | 'region';
  schoolId?: string;
  regionId?: string;
  email?: string;
  phone?: string;
}

function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (username: string, pw: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<CreateForm>();
  const wide = isPlatformAdmin(me) || hasRole(me, ['bureau_admin']);
  const mySchools = me.grants.filter((g) => g.role === 'school_admin' && g.scopeId);
  const belongs = Form.useWatch('belongs', form);
  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      api.post<{ user: UserItem; initialPassword: string }>('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        // the choice is only shown to bureau and platform admins; a school admin always creates in the own school
        schoolId: (v.belongs ?? 'school') === 'school' ? (v.schoolId ?? null) : null,
        regionId: v.belongs === 'region' ? (v.regionId ?? null) : null,
        email: v.email?.trim() || null,
        phone: v.phone?.trim() || null,
      }),
    onSuccess: (r) => {
      form.resetFields();
      onCreated(r.user.username, r.initialPassword);
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('users.save')}
      cancelText={t('users.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'user-create-submit' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ belongs: 'school', schoolId: mySchools.length === 1 ? mySchools[0]!.scopeId : undefined }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameRule')}
          rules={[{ required: true, pattern: /^[a-zA-Z0-9_.-]{3,40}$/, message: t('users.usernameRule') }]}
        >
          <Input autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, min: 2, max: 30, message: t('users.displayNameRule') }]}
        >
          <Input data-testid="user-displayname" />
        </Form.Item>
        {wide && (
          <Form.Item name="belongs" label={t('users.belongsTo')} extra={t('users.belongsHint')}>
            <Radio.Group>
              <Radio value="school">{t('users.school')}</Radio>
              <Radio value="region">{t('users.region')}</Radio>
            </Radio.Group>
          </Form.Item>
        )}
        {(belongs ?? 'school') === 'school' ? (
          <Form.Item name="schoolId" label={t('users.school')} rules={[{ required: true, message: t('users.belongsRequired') }]}>
            {wide ? <SchoolSelect /> : <Select options={mySchools.map((g) => ({ value: g.scopeId!, label: g.scopeName ?? g.scopeId! }))} />}
          </Form.Item>
        ) : (
          <Form.Item name="regionId" label={t('users.region')} rules={[{ required: true, message: t('users.belongsRequired') }]}>
            <RegionSelect />
          </Form.Item>
        )}
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('users.phoneInvalid') }]}>
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditUserModal({ user, onClose, onSaved }: { user: UserItem | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<{ displayName: string; active: boolean }>();
  const save = useMutation({
    mutationFn: (v: { displayName: string; active: boolean }) =>
      api.patch<UserItem>(`/api/users/${user!.id}`, { displayName: v.displayName.trim(), status: v.active ? 'active' : 'disabled' }),
    onSuccess: () => {
      message.success(t('users.saved'));
      onSaved();
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Modal
      open={!!user}
      title={user ? `${t('users.edit')} · ${user.username}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('users.save')}
      cancelText={t('users.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {user && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ displayName: user.displayName, active: user.status === 'active' }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item
            name="displayName"
            label={t('users.displayName')}
            rules={[{ required: true, whitespace: true, min: 2, max: 30, message: t('users.displayNameRule') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="active" label={t('users.status')} valuePropName="checked">
            <Switch checkedChildren={t('users.statuses.active')} unCheckedChildren={t('users.statuses.disabled')} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

interface GrantForm {
  role: Role;
  scopeId?: string;
  subject?: string;
}

function GrantModal({ user, roles, onClose, onSaved }: { user: UserItem | null; roles: Role[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const { label, options } = useVocab();
  const [form] = Form.useForm<GrantForm>();
  const role = Form.useWatch('role', form);
  const scopeType: ScopeType | undefined = role ? ROLE_SCOPE[role] : undefined;
  const save = useMutation({
    mutationFn: (v: GrantForm) =>
      api.post<UserItem>(`/api/users/${user!.id}/grants`, {
        role: v.role,
        scopeType: ROLE_SCOPE[v.role],
        scopeId: ROLE_SCOPE[v.role] === 'installation' ? null : (v.scopeId ?? null),
        subject: v.subject ?? null,
      }),
    onSuccess: () => {
      message.success(t('users.granted'));
      onSaved();
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Modal
      open={!!user}
      title={user ? t('users.grantTitle', { name: `${user.displayName}（${user.username}）` }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('users.grant')}
      cancelText={t('users.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'grant-submit' } as never}
      destroyOnHidden
    >
      {user && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ scopeId: user.schoolId ?? undefined }}
          onValuesChange={(c: Partial<GrantForm>) => {
            if (c.role) {
              const st = ROLE_SCOPE[c.role];
              form.setFieldsValue({ scopeId: st === 'school' ? (user.schoolId ?? undefined) : st === 'region' ? (user.regionId ?? undefined) : undefined });
            }
          }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.role') }]}>
            <Select options={roles.map((r) => ({ value: r, label: label(ROLES, r) }))} data-testid="grant-role" />
          </Form.Item>
          {scopeType && scopeType !== 'installation' && (
            <Form.Item
              name="scopeId"
              label={`${t('users.scope')}（${t(`users.scopeTypes.${scopeType}`)}）`}
              rules={[{ required: true, message: t('users.scopeRequired') }]}
            >
              {scopeType === 'region' ? <RegionSelect /> : scopeType === 'alliance' ? <AllianceSelect /> : <SchoolSelect initialLabel={user.schoolName} />}
            </Form.Item>
          )}
          {role === 'reviewer' && (
            <Form.Item name="subject" label={t('users.subject')} rules={[{ required: true, message: t('users.subjectRequired') }]}>
              <Select showSearch optionFilterProp="label" options={options(SUBJECTS)} />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
