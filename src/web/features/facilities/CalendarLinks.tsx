import { App, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../app/format';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { useCalendarLinks, useRevokeCalendarLink } from './api';

/**
 * The user's own iCalendar links (S3.2): what each follows, when it was made and last synced, and a
 * revoke button. The secret URL is shown only once, when a link is made; the server re-checks the
 * owner's access on every fetch, so links of a disabled account or lost access stop on their own.
 */
export function CalendarLinks() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const links = useCalendarLinks();
  const revoke = useRevokeCalendarLink();
  const items = links.data?.items ?? [];
  if (!links.error && items.length === 0) return null;
  return (
    <Card variant="borderless" title={t('booking.icalLinks')} style={{ marginBottom: 16 }} data-testid="ical-links">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('booking.icalLinksHelp')}
      </Typography.Paragraph>
      <QueryError error={links.error} />
      <List
        size="small"
        loading={links.isLoading}
        dataSource={items}
        renderItem={(l) => (
          <List.Item
            data-testid="ical-link-row"
            data-id={l.id}
            actions={[
              <Popconfirm
                key="revoke"
                title={t('booking.icalRevoke')}
                description={<div style={{ maxWidth: 260 }}>{t('booking.icalRevokeConfirm')}</div>}
                onConfirm={() =>
                  revoke
                    .mutateAsync(l.id)
                    .then(() => message.success(t('booking.icalRevoked')))
                    .catch(onError)
                }
              >
                <Button size="small" danger data-testid="ical-revoke">
                  {t('booking.icalRevoke')}
                </Button>
              </Popconfirm>,
            ]}
          >
            <Space wrap size={4}>
              <Tag>{t(`booking.icalKind_${l.kind}`)}</Tag>
              <span>{l.targetName ?? l.targetId}</span>
              <Typography.Text type="secondary">{t('booking.icalCreated', { at: fmtDateTime(l.createdAt) })}</Typography.Text>
              <Typography.Text type="secondary">
                {l.lastUsedAt ? t('booking.icalUsed', { at: fmtDateTime(l.lastUsedAt) }) : t('booking.icalNeverUsed')}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
