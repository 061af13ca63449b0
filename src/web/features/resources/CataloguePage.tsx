import { Button, Card, DatePicker, Flex, Grid, Select, Table, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SUBJECTS } from '../../../common/vocab';
import { fileUrl } from '../../api';
import { dayjs, fmtDate, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useUrlFilters } from '../../components/useUrlFilters';
import { useCatalogue, type ResourceSummary } from './api';
import { KindTag } from './components';
import { GRADES } from './vocab';

export default function CataloguePage() {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const screens = Grid.useBreakpoint();
  const f = useUrlFilters(['month', 'subject'] as const, 50);
  const month = f.values.month ?? dayjs().tz(TZ).format('YYYY-MM');
  const query = { month, subject: f.values.subject };
  const cat = useCatalogue(query);
  const items = cat.data?.items ?? [];
  const bySubject = cat.data?.subjects ?? [];

  return (
    <>
      <PageHeader
        title={t('menu.catalogue')}
        sub={t('resource.catalogueSub')}
        extra={
          <Button icon={<DownloadOutlined />} href={fileUrl('/api/resources/catalogue.xlsx', query)} data-testid="catalogue-export">
            {t('common.exportExcel')}
          </Button>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => f.set({ month: d ? d.format('YYYY-MM') : undefined })}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            data-testid="catalogue-month"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('resource.subject')}
            value={f.values.subject}
            onChange={(v) => f.set({ subject: v })}
            options={options(SUBJECTS)}
            style={{ width: 160 }}
            data-testid="catalogue-subject"
          />
        </div>
        {bySubject.length > 0 && (
          <Flex wrap gap={6} style={{ marginBottom: 12 }} data-testid="catalogue-summary">
            {bySubject.map((s) => (
              <Tag
                key={s.subject}
                color={s.subject === f.values.subject ? 'blue' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => f.set({ subject: s.subject })}
              >
                {s.label || label(SUBJECTS, s.subject)} {s.count}
              </Tag>
            ))}
          </Flex>
        )}
        <QueryError error={cat.error} />
        <Table<ResourceSummary>
          rowKey="id"
          data-testid="catalogue-table"
          loading={cat.isFetching}
          dataSource={items}
          size={screens.md ? 'middle' : 'small'}
          scroll={{ x: 820 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.totalN', { count: n }) }}
          locale={{ emptyText: t('resource.catalogueEmpty') }}
          columns={[
            { title: t('resource.subject'), dataIndex: 'subject', width: 100, render: (s: string) => label(SUBJECTS, s) },
            { title: t('resource.title'), dataIndex: 'title', width: 280, render: (v: string, r) => <Link to={`/resources/${r.id}`}>{v}</Link> },
            { title: t('resource.kind'), dataIndex: 'kind', width: 120, render: (k: string) => <KindTag kind={k} /> },
            { title: t('resource.grade'), dataIndex: 'grade', width: 90, render: (g: string | null) => label(GRADES, g) },
            { title: t('resource.school'), width: 180, render: (_: unknown, r) => r.school.name },
            { title: t('resource.authors'), dataIndex: 'authors', width: 110, render: (a: string[]) => a.join('、') },
            { title: t('resource.publishedAt'), dataIndex: 'publishedAt', width: 110, className: 'xl-nowrap', render: (d: string) => fmtDate(d) },
          ]}
        />
      </Card>
    </>
  );
}
