import { Card, Grid, Segmented, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../app/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useUrlFilters } from '../../components/useUrlFilters';
import { useReviewQueue, type ResourceSummary } from './api';
import { KindTag, StatusTag, useSubjectLine } from './components';

export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const f = useUrlFilters(['status'] as const);
  const list = useReviewQueue({ ...f.values, page: f.page, pageSize: f.pageSize });
  const subjectLine = useSubjectLine();
  return (
    <>
      <PageHeader title={t('menu.reviewQueue')} sub={t('resource.queueSub')} />
      <Card variant="borderless">
        <Segmented
          style={{ marginBottom: 12 }}
          value={f.values.status ?? ''}
          onChange={(v) => f.set({ status: String(v) })}
          options={[
            { value: '', label: t('resource.queueOpen') },
            { value: 'published', label: t('resource.statusTab.published') },
            { value: 'returned', label: t('resource.statusTab.returned') },
          ]}
          data-testid="queue-status"
        />
        <QueryError error={list.error} />
        <Table<ResourceSummary>
          rowKey="id"
          data-testid="queue-table"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 860 }}
          size={screens.md ? 'middle' : 'small'}
          locale={{ emptyText: t('resource.queueEmpty') }}
          onRow={(r) => ({ 'data-testid': `queue-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: list.data?.total ?? 0,
            onChange: f.setPage,
            showTotal: (n) => t('common.totalN', { count: n }),
          }}
          columns={[
            {
              title: t('resource.title'),
              dataIndex: 'title',
              width: 260,
              render: (v: string, r) => (
                <Space direction="vertical" size={2}>
                  <Link to={`/resources/${r.id}`} data-testid={`queue-open-${r.id}`}>{v}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{subjectLine(r)}</Typography.Text>
                </Space>
              ),
            },
            { title: t('resource.kind'), dataIndex: 'kind', width: 120, render: (k: string) => <KindTag kind={k} /> },
            { title: t('resource.status'), dataIndex: 'status', width: 100, render: (s: string) => <StatusTag status={s} /> },
            { title: t('resource.school'), dataIndex: 'schoolName', width: 180 },
            { title: t('resource.authors'), width: 120, render: (_: unknown, r) => r.authorName ?? r.authors?.join('、') ?? '—' },
            { title: t('resource.submittedAt'), width: 150, className: 'xl-nowrap', render: (_: unknown, r) => fmtDateTime(r.submittedAt ?? r.updatedAt) },
          ]}
        />
      </Card>
    </>
  );
}
