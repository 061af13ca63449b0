import { App, Button, Card, Empty, Flex, Grid, Segmented, Space, Table, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { fmtDateTime } from '../../app/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { useUrlFilters } from '../../components/useUrlFilters';
import { withTestId } from '../../components/testid';
import { useFavourites, useMyResources, type ResourceSummary } from './api';
import { Notifications } from './Notifications';
import { ResourceCard } from './components';
import { KindTag, RatingSummary, StatusTag, useSubjectLine } from './components';
import { useQueryClient } from '@tanstack/react-query';
import './resources.css';

const STATUS_TABS = ['', 'draft', 'submitted', 'in_review', 'returned', 'published', 'withdrawn', 'archived'] as const;

export default function MyResourcesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const onError = useApiErrorHandler();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const f = useUrlFilters(['status', 'view'] as const);
  const favs = useFavourites(f.values.view === 'favourites');
  const list = useMyResources({ ...f.values, page: f.page, pageSize: f.pageSize });
  const subjectLine = useSubjectLine();

  const act = (r: ResourceSummary, action: 'submit' | 'withdraw') => {
    const go = () =>
      api
        .post(`/api/resources/${r.id}/${action}`)
        .then(() => {
          message.success(t(`resource.done.${action}`));
          return qc.invalidateQueries({ queryKey: ['resources'] });
        })
        .catch((e) => onError(e));
    if (action === 'withdraw') modal.confirm({ title: t('resource.confirmWithdraw'), onOk: go, okButtonProps: withTestId('resource-confirm-ok') });
    else void go();
  };

  return (
    <>
      <PageHeader
        title={t('menu.myResources')}
        sub={t('resource.mineSub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/resources/new')} data-testid="resource-create">
            {t('resource.upload')}
          </Button>
        }
      />
      <Notifications />
      <Tabs
        activeKey={f.values.view ?? 'mine'}
        onChange={(k) => f.set({ view: k === 'mine' ? undefined : k, status: undefined })}
        items={[
          { key: 'mine', label: t('resource.tabMine') },
          { key: 'favourites', label: t('resource.tabFavourites') },
        ]}
        data-testid="mine-tabs"
      />
      {f.values.view === 'favourites' ? (
        <Card variant="borderless" data-testid="favourites">
          <QueryError error={favs.error} />
          {favs.data && favs.data.length === 0 && <Empty description={t('resource.noFavourites')} />}
          <Flex vertical gap={10}>
            {(favs.data ?? []).map((r) => (
              <ResourceCard key={r.id} r={r} />
            ))}
          </Flex>
        </Card>
      ) : (
        <Card variant="borderless">
          <div style={{ overflowX: 'auto', marginBottom: 12 }}>
            <Segmented
              value={f.values.status ?? ''}
              onChange={(v) => f.set({ status: String(v) })}
              options={STATUS_TABS.map((s) => ({ value: s, label: s ? t(`resource.statusTab.${s}`) : t('resource.statusTab.all') }))}
              data-testid="mine-status"
            />
          </div>
          <QueryError error={list.error} />
          <Table<ResourceSummary>
            rowKey="id"
            data-testid="mine-table"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 900 }}
            size={screens.md ? 'middle' : 'small'}
            onRow={(r) => ({ 'data-testid': `mine-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
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
                fixed: screens.md ? 'left' : undefined,
                render: (v: string, r) => (
                  <Space direction="vertical" size={2}>
                    <Link to={`/resources/${r.id}`}>{v}</Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {subjectLine(r)}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('resource.kind'), dataIndex: 'kind', width: 120, render: (k: string) => <KindTag kind={k} /> },
              { title: t('resource.status'), dataIndex: 'status', width: 100, render: (s: string) => <StatusTag status={s} /> },
              {
                title: t('resource.reviewComment'),
                width: 150,
                render: (_: unknown, r) =>
                  r.status === 'returned' ? (
                    <Link to={`/resources/${r.id}?tab=reviews`} data-testid={`mine-comments-${r.id}`}>
                      {t('resource.seeReviewComments')}
                    </Link>
                  ) : (
                    '—'
                  ),
              },
              { title: t('resource.rating'), width: 110, render: (_: unknown, r) => <RatingSummary avg={r.rating} count={r.ratingCount} /> },
              { title: t('resource.updatedAt'), dataIndex: 'updatedAt', width: 150, className: 'xl-nowrap', render: (v: string) => fmtDateTime(v) },
              {
                title: t('common.actions'),
                width: 170,
                render: (_: unknown, r) => (
                  <Space size={4} wrap>
                    {['draft', 'returned', 'withdrawn', 'published'].includes(r.status) && (
                      <Button size="small" type="link" onClick={() => navigate(`/resources/${r.id}/edit`)} data-testid={`mine-edit-${r.id}`}>
                        {t('common.edit')}
                      </Button>
                    )}
                    {['draft', 'returned', 'withdrawn'].includes(r.status) && (
                      <Button size="small" type="link" onClick={() => act(r, 'submit')} data-testid={`mine-submit-${r.id}`}>
                        {r.status === 'draft' ? t('resource.submit') : t('resource.resubmit')}
                      </Button>
                    )}
                    {['submitted', 'in_review', 'published'].includes(r.status) && (
                      <Button size="small" type="link" danger onClick={() => act(r, 'withdraw')} data-testid={`mine-withdraw-${r.id}`}>
                        {t('resource.withdraw')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </>
  );
}
