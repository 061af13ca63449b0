import { App, Alert, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

function fieldPath(field: string): (string | number)[] {
  const clean = field.replace(/^\/?body[./]/, '').replace(/^\//, '');
  return clean
    .split(/[./]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Shows a server error: the localized `detail` as a message, and each `errors[].field` on the form
 * field with the same name (fields the form does not have are listed in a notification).
 */
export function useApiErrorHandler() {
  const { message, notification } = App.useApp();
  const { t } = useTranslation();
  return (err: unknown, form?: FormInstance) => {
    if (!(err instanceof ApiError)) {
      message.error(err instanceof Error ? err.message : String(err));
      return;
    }
    const unmatched: string[] = [];
    if (err.errors.length) {
      const known = form ? new Set(Object.keys(form.getFieldsValue(true) ?? {})) : new Set<string>();
      const fields: { name: (string | number)[]; errors: string[] }[] = [];
      for (const e of err.errors) {
        const name = fieldPath(e.field);
        if (form && name.length && known.has(String(name[0]))) fields.push({ name, errors: [e.message] });
        else unmatched.push(e.field ? `${e.field}: ${e.message}` : e.message);
      }
      if (form && fields.length) form.setFields(fields);
    }
    if (unmatched.length) {
      notification.error({ message: err.detail, description: unmatched.join('；'), duration: 8 });
    } else {
      message.error(err.detail || t('common.failed'));
    }
  };
}

/** Inline error for a failed query. */
export function QueryError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  return <Alert type="error" showIcon message={t('common.loadFailed')} description={text} style={{ marginBottom: 16 }} />;
}
