import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../../app/auth';
import { useApiErrorHandler } from '../../components/errors';
import { passwordRules } from './passwordRules';

/** `initial`: the user is replacing the initial password an administrator gave them. */
export function ChangePasswordForm({ onDone, initial }: { onDone?: () => void; initial?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const change = useChangePassword();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="change-password-form"
      onFinish={(v: { currentPassword: string; newPassword: string }) =>
        change.mutate(
          { currentPassword: v.currentPassword, newPassword: v.newPassword },
          {
            onSuccess: () => {
              message.success(t('password.changed'));
              form.resetFields();
              onDone?.();
            },
            onError: (e) => onError(e, form),
          },
        )
      }
    >
      <Form.Item
        name="currentPassword"
        label={initial ? t('password.initial') : t('password.current')}
        rules={[{ required: true, message: t('password.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={passwordRules(t)} extra={t('password.policy')}>
        <Input.Password autoComplete="new-password" data-testid="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="confirm-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password-submit">
        {t('password.submit')}
      </Button>
    </Form>
  );
}
