import { useState } from 'react';
import { Button, Card, Input, Select, Table, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, PHASES } from '../../../common/vocab';
import { fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { RegionSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import { VocabTag } from '../../components/VocabTag';
import type { AllianceSummary } from '../../types';
import { useAlliances } from './api';
import { AllianceFormModal } from './AllianceFormModal';

const KEYS = ['regionId', 'kind', 'pattern', 'q'] as const;

export default function AlliancesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { label, options } = useVocab();
  const f = useUrlFilters(KEYS);
  const list = useAlliances({ ...f.values, page: f.page, pageSize: f.pageSize });
  const [creating, setCreating] = useState(false);
  const canCreate = may(me, 'alliance.create');

  return (
    <>
      <PageHeader
        title={t('menu.alliances')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={fileUrl('/api/alliances/export.xlsx', f.values)} data-testid="alliances-export">
              {t('common.exportExcel')}
            </Button>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="alliance-create">
                {t('alliance.create')}
              </Button>
            )}
          </>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <RegionSelect value={f.values.regionId} onChange={(v) => f.set({ regionId: v })} style={{ width: 200 }} />
          <Select
            allowClear
            placeholder={t('alliance.kind')}
            value={f.values.kind}
            onChange={(v) => f.set({ kind: v })}
            options={options(ALLIANCE_KINDS)}
            style={{ width: 200 }}
            data-testid="filter-kind"
          />
          <Select
            allowClear
            placeholder={t('alliance.pattern')}
            value={f.values.pattern}
            onChange={(v) => f.set({ pattern: v })}
            options={options(ALLIANCE_PATTERNS)}
            style={{ width: 160 }}
            data-testid="filter-pattern"
          />
          <Input.Search
            key={f.values.q ?? ''}
            allowClear
            placeholder={t('alliance.searchPlaceholder')}
            defaultValue={f.values.q}
            onSearch={(v) => f.set({ q: v.trim() })}
            style={{ width: 240 }}
            data-testid="filter-q"
          />
          <Button icon={<ReloadOutlined />} onClick={f.reset}>
            {t('common.reset')}
          </Button>
        </div>
        <QueryError error={list.error} />
        <Table<AllianceSummary>
          data-testid="alliances-table"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          onRow={(r) => ({ 'data-testid': `alliance-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (n) => t('common.totalN', { count: n }),
            onChange: f.setPage,
          }}
          columns={[
            { title: t('alliance.name'), dataIndex: 'name', width: 200, fixed: 'left', render: (n: string, r) => <Link to={`/alliances/${r.id}`}>{n}</Link> },
            { title: t('alliance.kind'), dataIndex: 'kind', width: 110, render: (c: string) => <VocabTag vocab={ALLIANCE_KINDS} code={c} /> },
            { title: t('alliance.pattern'), dataIndex: 'pattern', width: 110, render: (c: string) => label(ALLIANCE_PATTERNS, c) },
            {
              title: t('alliance.coreSchool'),
              dataIndex: ['coreSchool', 'name'],
              width: 200,
              render: (_: unknown, r) => (r.coreSchool ? <Link to={`/schools/${r.coreSchool.id}`}>{r.coreSchool.name}</Link> : '—'),
            },
            { title: t('alliance.oneNX'), key: 'nx', width: 120, render: (_: unknown, r) => `1 + ${Math.max(0, r.memberCount - 1)} + ${r.partnerCount}` },
            { title: t('common.region'), dataIndex: 'regionName', width: 110 },
            {
              title: t('alliance.phase'),
              dataIndex: 'phase',
              width: 100,
              render: (c: string | null) => (c ? <VocabTag vocab={PHASES} code={c} /> : <Tag>{t('alliance.noPhase')}</Tag>),
            },
            {
              title: t('alliance.reassessment'),
              dataIndex: 'reassessmentDue',
              width: 120,
              render: (v: AllianceSummary['reassessmentDue']) =>
                v ? <Tag color="red">{t('alliance.due')}</Tag> : <Tag color="green">{t('alliance.notDue')}</Tag>,
            },
          ]}
        />
      </Card>
      {creating && <AllianceFormModal open onClose={() => setCreating(false)} />}
    </>
  );
}
