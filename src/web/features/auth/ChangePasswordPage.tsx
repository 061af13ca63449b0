import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../app/auth';
import { LangSwitch } from '../../components/LangSwitch';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown instead of everything else while the account still has its initial password. */
export function ChangePasswordPage({ forced }: { forced?: boolean }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <div className="xl-login">
      <Card className="xl-login-card" variant="borderless" style={{ maxWidth: 440 }} data-testid="forced-password-change">
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('password.title')}
          </Typography.Title>
          <LangSwitch />
        </Flex>
        {forced && <Alert type="warning" showIcon message={t('password.forced')} style={{ marginBottom: 16 }} />}
        <ChangePasswordForm initial={forced} onDone={() => navigate('/', { replace: true })} />
        <Button
          type="link"
          style={{ paddingLeft: 0, marginTop: 12 }}
          onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        >
          {t('layout.logout')}
        </Button>
      </Card>
    </div>
  );
}
