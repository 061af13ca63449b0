import { useState } from 'react';
import { Alert, Button, Card, Divider, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useLogin, useMeQuery, useSso } from '../../app/auth';
import { homePath } from '../../app/permissions';
import { LangSwitch } from '../../components/LangSwitch';

function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMeQuery();
  const sso = useSso();
  const login = useLogin();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const ssoError = params.get('sso_error');
  const next = safeNext(params.get('next'));

  if (me.data && !login.isPending) return <Navigate to={next ?? homePath(me.data)} replace />;

  const onFinish = (v: { username: string; password: string }) => {
    setError(null);
    login.mutate(v, {
      onSuccess: (m) => navigate(m.user.mustChangePassword ? '/' : (next ?? homePath(m)), { replace: true }),
      onError: (e) => {
        setError(e instanceof ApiError ? e.detail : String(e));
        if (e instanceof ApiError) {
          for (const fe of e.errors) {
            if (fe.field === 'username' || fe.field === 'password') form.setFields([{ name: fe.field, errors: [fe.message] }]);
          }
        }
      },
    });
  };

  return (
    <div className="xl-login">
      <Card className="xl-login-card" variant="borderless">
        <Flex justify="flex-end" style={{ marginBottom: 8 }}>
          <LangSwitch />
        </Flex>
        <div className="xl-login-title">
          <span className="xl-brand-mark" style={{ display: 'inline-flex' }}>
            校
          </span>
          <Typography.Title level={3} style={{ margin: 0, letterSpacing: 2 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.fullName')}</Typography.Text>
        </div>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {!error && ssoError && (
          <Alert
            type="warning"
            showIcon
            message={t('login.ssoError.title')}
            description={t(`login.ssoError.${ssoError}`, { defaultValue: t('login.ssoError.unknown') })}
            style={{ marginBottom: 16 }}
            data-testid="login-sso-error"
          />
        )}
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="login-form" size="large">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" placeholder={t('login.usernamePlaceholder')} />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
              placeholder={t('login.passwordPlaceholder')}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {sso.data?.enabled && (
          <>
            <Divider plain style={{ fontSize: 12, color: 'rgba(0,0,0,.45)' }}>
              {t('login.or')}
            </Divider>
            <Button
              block
              size="large"
              icon={<SafetyCertificateOutlined />}
              href={`/api/auth/sso/start?returnTo=${encodeURIComponent(next ?? '/')}`}
              data-testid="login-sso"
            >
              {/* the configured label is written for the Chinese page */}
              {sso.data.label && !i18n.language.startsWith('en') ? sso.data.label : t('login.sso')}
            </Button>
          </>
        )}
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12, marginTop: 24, marginBottom: 0 }}>
          {t('login.hint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
