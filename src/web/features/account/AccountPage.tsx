import { useEffect } from 'react';
import { App, Button, Card, Col, Form, Input, Row, Select, Table } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, SUBJECTS } from '../../../common/vocab';
import { api, type UiLang } from '../../api';
import { useMe } from '../../app/auth';
import { useSwitchLang } from '../../app/lang';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { useApiErrorHandler } from '../../components/errors';
import { ChangePasswordForm } from '../auth/ChangePasswordForm';
import type { Grant, Me } from '../../types';

interface ProfileForm {
  displayName: string;
  email?: string | null;
  phone?: string | null;
  locale: UiLang;
}

export default function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const switchLang = useSwitchLang();
  const { label } = useVocab();
  const [form] = Form.useForm<ProfileForm>();

  useEffect(() => {
    form.setFieldsValue({
      displayName: me.user.displayName,
      email: me.user.email,
      phone: me.user.phone,
      locale: me.user.locale === 'en-US' ? 'en-US' : 'zh-CN',
    });
  }, [me, form]);

  const save = useMutation({
    mutationFn: (v: ProfileForm) =>
      api.patch<Me>('/api/auth/me', {
        displayName: v.displayName.trim(),
        email: v.email?.trim() || null,
        phone: v.phone?.trim() || null,
        locale: v.locale,
      }),
    onSuccess: (next, v) => {
      qc.setQueryData(['me'], next);
      message.success(t('account.saved'));
      if (v.locale !== me.user.locale) switchLang(v.locale);
    },
    onError: (e) => onError(e, form),
  });

  return (
    <>
      <PageHeader title={t('account.title')} sub={`${me.user.displayName}（${me.user.username}）`} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('account.profile')} variant="borderless">
            <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="profile-form">
              <Form.Item label={t('account.username')}>
                <Input value={me.user.username} disabled />
              </Form.Item>
              {me.user.schoolName && (
                <Form.Item label={t('account.school')}>
                  <Input value={me.user.schoolName} disabled />
                </Form.Item>
              )}
              <Form.Item
                name="displayName"
                label={t('account.displayName')}
                rules={[{ required: true, whitespace: true, max: 50, message: t('account.displayNameRequired') }]}
              >
                <Input maxLength={50} data-testid="profile-name" />
              </Form.Item>
              <Form.Item name="email" label={t('account.email')} rules={[{ type: 'email', message: t('account.emailInvalid') }]}>
                <Input maxLength={120} autoComplete="email" />
              </Form.Item>
              <Form.Item name="phone" label={t('account.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('account.phoneInvalid') }]}>
                <Input maxLength={11} inputMode="numeric" autoComplete="tel" />
              </Form.Item>
              <Form.Item name="locale" label={t('account.locale')}>
                <Select
                  options={[
                    { value: 'zh-CN', label: '简体中文' },
                    { value: 'en-US', label: 'English' },
                  ]}
                  style={{ maxWidth: 200 }}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="profile-save">
                {t('account.save')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('account.password')} variant="borderless">
            <ChangePasswordForm />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('account.roles')} variant="borderless">
            <Table<Grant>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={me.grants}
              scroll={{ x: 520 }}
              locale={{ emptyText: t('account.noRoles') }}
              data-testid="my-roles"
              columns={[
                { title: t('account.role'), dataIndex: 'role', render: (r: string) => label(ROLES, r) },
                { title: t('account.scopeType'), dataIndex: 'scopeType', render: (s: string) => t(`account.scopeTypes.${s}`) },
                {
                  title: t('account.scope'),
                  dataIndex: 'scopeName',
                  render: (n: string | null, g) => n ?? (g.scopeType === 'installation' ? t('account.scopeTypes.installation') : (g.scopeId ?? '—')),
                },
                { title: t('account.subject'), dataIndex: 'subject', render: (s: string | null) => (s ? label(SUBJECTS, s) : '—') },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
