import { useMemo } from 'react';
import { Card, Grid, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../app/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useUrlFilters } from '../../components/useUrlFilters';
import { useVocab } from '../../app/vocab';
import { useReviewQueue, type QueueItem } from './api';
import { RESOURCE_KINDS } from './vocab';
import { KindTag, StatusTag, useSubjectLine } from './components';

/** Submitted resources of the reviewer's subjects and alliances, oldest first; the review itself is on the resource page. */
export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const list = useReviewQueue({});
  const subjectLine = useSubjectLine();
  const { options } = useVocab();
  const f = useUrlFilters(['q', 'kind', 'mine'] as const);
  // the queue is short (one reviewer's subjects): filtered here
  const rows = useMemo(() => {
    const q = f.values.q?.trim().toLowerCase();
    return (list.data ?? []).filter(
      (r) =>
        (!q || r.title.toLowerCase().includes(q) || r.school.name.includes(q) || r.authorName.includes(q)) &&
        (!f.values.kind || r.kind === f.values.kind) &&
        (!f.values.mine || r.assignedToMe),
    );
  }, [list.data, f.values]);
  return (
    <>
      <PageHeader title={t('menu.reviewQueue')} sub={t('resource.queueSub')} />
      <Card variant="borderless">
        <div className="xl-filters">
          <Input.Search
            key={f.values.q ?? ''}
            allowClear
            defaultValue={f.values.q}
            placeholder={t('resource.queueSearch')}
            onSearch={(v) => f.set({ q: v.trim() })}
            style={{ width: 260 }}
            data-testid="queue-search"
          />
          <Select
            allowClear
            placeholder={t('resource.kind')}
            value={f.values.kind}
            onChange={(v) => f.set({ kind: v })}
            options={options(RESOURCE_KINDS)}
            style={{ width: 150 }}
          />
          <Space>
            <Switch size="small" checked={!!f.values.mine} onChange={(v) => f.set({ mine: v ? '1' : undefined })} data-testid="queue-mine" />
            {t('resource.assignedToMe')}
          </Space>
        </div>
        <QueryError error={list.error} />
        <Table<QueueItem>
          rowKey="id"
          data-testid="queue-table"
          loading={list.isFetching}
          dataSource={rows}
          scroll={{ x: 900 }}
          size={screens.md ? 'middle' : 'small'}
          locale={{ emptyText: t('resource.queueEmpty') }}
          onRow={(r) => ({ 'data-testid': `queue-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.totalN', { count: n }) }}
          columns={[
            {
              title: t('resource.title'),
              dataIndex: 'title',
              width: 280,
              render: (v: string, r) => (
                <Space direction="vertical" size={2}>
                  <Link to={`/resources/${r.id}`} data-testid={`queue-open-${r.id}`}>
                    {v}
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {subjectLine(r)}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('resource.kind'), dataIndex: 'kind', width: 120, render: (k: string) => <KindTag kind={k} /> },
            {
              title: t('resource.status'),
              dataIndex: 'status',
              width: 150,
              render: (s: string, r) => (
                <Space size={4} wrap>
                  <StatusTag status={s} />
                  {r.assignedToMe && <Tag color="purple">{t('resource.assignedToMe')}</Tag>}
                  {r.versionNumber && r.versionNumber > 1 && <Tag>{t('resource.versionN', { n: r.versionNumber })}</Tag>}
                </Space>
              ),
            },
            { title: t('resource.school'), width: 180, render: (_: unknown, r) => r.school.name },
            { title: t('resource.authors'), dataIndex: 'authorName', width: 110 },
            { title: t('resource.submittedAt'), dataIndex: 'submittedAt', width: 150, className: 'xl-nowrap', render: (v: string | null) => fmtDateTime(v) },
          ]}
        />
      </Card>
    </>
  );
}
