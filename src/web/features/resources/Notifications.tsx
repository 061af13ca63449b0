import { Badge, Button, Card, List, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../app/format';
import { useMarkRead, useNotifications } from './api';

/** Workflow notices for authors and reviewers (submitted, published, returned with comments…). */
export function Notifications() {
  const { t } = useTranslation();
  const list = useNotifications();
  const mark = useMarkRead();
  // unread first, then the newest
  const items = [...(list.data?.items ?? [])].sort((a, b) => Number(!!a.readAt) - Number(!!b.readAt) || b.createdAt.localeCompare(a.createdAt)).slice(0, 6);
  if (!items.length) return null;
  return (
    <Card
      size="small"
      variant="borderless"
      style={{ marginBottom: 16 }}
      data-testid="resource-notifications"
      title={
        <span>
          <BellOutlined /> {t('resource.notifications')} <Badge count={list.data?.unread ?? 0} size="small" />
        </span>
      }
      extra={
        (list.data?.unread ?? 0) > 0 && (
          <Button type="link" size="small" onClick={() => mark.mutate('all')}>
            {t('resource.markAllRead')}
          </Button>
        )
      }
    >
      <List
        size="small"
        dataSource={items}
        renderItem={(n) => (
          <List.Item style={{ opacity: n.readAt ? 0.6 : 1 }}>
            <div style={{ minWidth: 0 }}>
              <div>
                {!n.readAt && <Badge status="processing" />}{' '}
                {n.resourceId ? (
                  <Link to={`/resources/${n.resourceId}?tab=reviews`} onClick={() => !n.readAt && mark.mutate(n.id)}>
                    {n.title}
                  </Link>
                ) : (
                  n.title
                )}
              </div>
              {n.body && (
                <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
                  {n.body}
                </Typography.Text>
              )}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none', marginLeft: 8 }}>
              {fmtDateTime(n.createdAt)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
