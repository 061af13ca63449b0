import { Button, Card, DatePicker, Select, Table } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, fileUrl } from '../../api';
import { dayjs, fmtDateTime } from '../../app/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { UserSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import type { AuditEntry as AuditRow, Paged } from '../../types';
import strings from './i18n';

const KEYS = ['actorId', 'action', 'entityType', 'from', 'to'] as const;
const ACTION_KEYS = Object.keys((strings['zh-CN'].audit as { actions: Record<string, string> }).actions);
const ENTITY_KEYS = Object.keys((strings['zh-CN'].audit as { entities: Record<string, string> }).entities);
const actionKey = (a: string) => a.replace('.', '_');

function detailText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('；');
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const f = useUrlFilters(KEYS, 50);
  const query = { ...f.values, page: f.page, pageSize: f.pageSize };
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: () => api.get<Paged<AuditRow>>('/api/audit', query),
    placeholderData: (prev) => prev,
  });
  const actionLabel = (a: string) => (i18n.exists(`audit.actions.${actionKey(a)}`) ? t(`audit.actions.${actionKey(a)}`) : a);
  const entityLabel = (e: string) => (i18n.exists(`audit.entities.${e}`) ? t(`audit.entities.${e}`) : e);
  const { from, to } = f.values;

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        sub={t('audit.sub')}
        extra={
          <Button icon={<DownloadOutlined />} href={fileUrl('/api/audit/export.xlsx', f.values)} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <UserSelect value={f.values.actorId} onChange={(v) => f.set({ actorId: v })} placeholder={t('audit.actor')} style={{ width: 200 }} />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('audit.action')}
            value={f.values.action}
            onChange={(v) => f.set({ action: v })}
            options={ACTION_KEYS.map((k) => {
              const code = k.replace('_', '.');
              return { value: code, label: `${t(`audit.actions.${k}`)}（${code}）` };
            })}
            style={{ width: 220 }}
            popupMatchSelectWidth={false}
            data-testid="audit-filter-action"
          />
          <Select
            allowClear
            placeholder={t('audit.entity')}
            value={f.values.entityType}
            onChange={(v) => f.set({ entityType: v })}
            options={ENTITY_KEYS.map((k) => ({ value: k, label: t(`audit.entities.${k}`) }))}
            style={{ width: 140 }}
            data-testid="audit-filter-entity"
          />
          <DatePicker.RangePicker
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            onChange={(v) => f.set({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            placeholder={[t('audit.rangeFrom'), t('audit.rangeTo')]}
            allowEmpty={[true, true]}
            style={{ width: 260 }}
          />
          <Button icon={<ReloadOutlined />} onClick={f.reset}>
            {t('audit.reset')}
          </Button>
        </div>
        <QueryError error={list.error} />
        <Table<AuditRow>
          data-testid="audit-table"
          rowKey="id"
          size="small"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('audit.empty') }}
          expandable={{
            expandedRowRender: (r) => (
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(r.detail, null, 2)}</pre>
            ),
            rowExpandable: (r) => Object.keys(r.detail).length > 0,
          }}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('audit.total', { count: n }),
            onChange: f.setPage,
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 150, className: 'xl-nowrap', render: fmtDateTime },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 110, render: (v: string | null) => v ?? '—' },
            { title: t('audit.action'), dataIndex: 'action', width: 150, render: (a: string) => <span title={a}>{actionLabel(a)}</span> },
            { title: t('audit.entity'), dataIndex: 'entityType', width: 100, render: entityLabel },
            {
              title: t('audit.detail'),
              dataIndex: 'detail',
              width: 360,
              ellipsis: true,
              render: (d: Record<string, unknown>) => detailText(d) || '—',
            },
            { title: t('audit.ip'), dataIndex: 'ip', width: 130, className: 'xl-nowrap', render: (v: string | null) => v ?? '—' },
            { title: t('audit.entityId'), dataIndex: 'entityId', width: 200, ellipsis: true, render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
    </>
  );
}
