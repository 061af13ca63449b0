import { Button, Card, Input, Select, Table } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LOCATIONS, OWNERSHIP, SCHOOL_TAGS, SCHOOL_TYPES } from '../../../common/vocab';
import { fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtNum } from '../../app/format';
import { may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { AllianceSelect, RegionSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import { VocabTag, VocabTags } from '../../components/VocabTag';
import type { SchoolSummary } from '../../types';
import { useSchools } from './api';

const KEYS = ['regionId', 'q', 'type', 'location', 'tag', 'allianceId'] as const;

export default function SchoolsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { label, options } = useVocab();
  const f = useUrlFilters(KEYS);
  const query = { ...f.values, page: f.page, pageSize: f.pageSize };
  const list = useSchools(query);
  const canCreate = may(me, 'school.create');

  return (
    <>
      <PageHeader
        title={t('menu.schools')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={fileUrl('/api/schools/export.xlsx', f.values)} data-testid="schools-export">
              {t('common.exportExcel')}
            </Button>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/schools/new')} data-testid="school-create">
                {t('school.create')}
              </Button>
            )}
          </>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <RegionSelect value={f.values.regionId} onChange={(v) => f.set({ regionId: v })} style={{ width: 200 }} data-testid="filter-region" />
          <Select
            allowClear
            placeholder={t('school.type')}
            value={f.values.type}
            onChange={(v) => f.set({ type: v })}
            options={options(SCHOOL_TYPES)}
            style={{ width: 160 }}
            data-testid="filter-type"
          />
          <Select
            allowClear
            placeholder={t('school.location')}
            value={f.values.location}
            onChange={(v) => f.set({ location: v })}
            options={options(LOCATIONS)}
            style={{ width: 120 }}
            data-testid="filter-location"
          />
          <Select
            allowClear
            placeholder={t('school.tag')}
            value={f.values.tag}
            onChange={(v) => f.set({ tag: v })}
            options={options(SCHOOL_TAGS)}
            style={{ width: 140 }}
            data-testid="filter-tag"
          />
          <AllianceSelect
            value={f.values.allianceId}
            onChange={(v) => f.set({ allianceId: v })}
            placeholder={t('school.alliance')}
            style={{ width: 220 }}
            data-testid="filter-alliance"
          />
          <Input.Search
            key={f.values.q ?? ''}
            allowClear
            placeholder={t('school.searchPlaceholder')}
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
        <Table<SchoolSummary>
          data-testid="schools-table"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1180 }}
          onRow={(r) => ({ 'data-testid': `school-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
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
            { title: t('school.name'), dataIndex: 'name', width: 220, fixed: 'left', render: (n: string, r) => <Link to={`/schools/${r.id}`}>{n}</Link> },
            { title: t('school.code'), dataIndex: 'code', width: 130, className: 'xl-nowrap' },
            { title: t('school.type'), dataIndex: 'type', width: 140, render: (c: string) => label(SCHOOL_TYPES, c) },
            { title: t('school.ownership'), dataIndex: 'ownership', width: 96, className: 'xl-nowrap', render: (c: string) => label(OWNERSHIP, c) },
            {
              title: t('school.location'),
              dataIndex: 'location',
              width: 96,
              className: 'xl-nowrap',
              render: (c: string) => <VocabTag vocab={LOCATIONS} code={c} color="default" />,
            },
            { title: t('school.tags'), dataIndex: 'tags', width: 170, render: (c: string[]) => <VocabTags vocab={SCHOOL_TAGS} codes={c} /> },
            { title: t('common.region'), dataIndex: 'regionName', width: 110 },
            { title: t('school.students'), dataIndex: 'students', width: 96, align: 'right', className: 'xl-nowrap', render: (v: number | null) => fmtNum(v) },
            { title: t('school.teachers'), dataIndex: 'teachers', width: 96, align: 'right', className: 'xl-nowrap', render: (v: number | null) => fmtNum(v) },
          ]}
        />
      </Card>
    </>
  );
}
