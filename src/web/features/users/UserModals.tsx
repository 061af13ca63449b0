import { App, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLE_SCOPE, ROLES, SUBJECTS, type Role } from '../../../common/vocab';
import { api } from '../../api';
import { useMe } from '../../app/auth';
import { hasRole, isPlatformAdmin } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { useApiErrorHandler } from '../../components/errors';
import { AllianceSelect, RegionSelect, SchoolSelect } from '../../components/selects';

type ScopeType = 'installation' | 'region' | 'alliance' | 'school';

/** Hand-written: the server's `UserOut` (users/routes.ts) is not exported. */
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

interface CreateForm {
  username: string;
  displayName: string;
  belongs: 'school' | 'region';
  schoolId?: string;
  regionId?: string;
  email?: string;
  phone?: string;
}

export function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (username: string, pw: string) => void }) {
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

export function EditUserModal({ user, onClose, onSaved }: { user: UserItem | null; onClose: () => void; onSaved: () => void }) {
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

export function GrantModal({ user, roles, onClose, onSaved }: { user: UserItem | null; roles: Role[]; onClose: () => void; onSaved: () => void }) {
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
