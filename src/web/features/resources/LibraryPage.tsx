import { useState } from 'react';
import { Button, Card, Col, Drawer, Empty, Flex, Grid, Input, Pagination, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { CloseOutlined, FilterOutlined, PlusOutlined, BulbOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SUBJECTS } from '../../../common/vocab';
import { useMe } from '../../app/auth';
import { hasRole, may } from '../../app/permissions';
import { useVocab, type Vocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useUrlFilters } from '../../components/useUrlFilters';
import { useRecommended, useResources, type FacetKey, type FacetValue } from './api';
import { ResourceCard } from './components';
import { GRADES, LICENCES, RESOURCE_KINDS, STAGES } from './vocab';
import './resources.css';

const KEYS = ['q', 'kind', 'subject', 'stage', 'grade', 'schoolId', 'licence', 'sort'] as const;
type FilterKey = (typeof KEYS)[number];
/** facet of the answer → filter of the query */
const FACETS: { key: FacetKey; param: FilterKey; vocab?: Vocab }[] = [
  { key: 'subject', param: 'subject', vocab: SUBJECTS },
  { key: 'stage', param: 'stage', vocab: STAGES },
  { key: 'grade', param: 'grade', vocab: GRADES },
  { key: 'kind', param: 'kind', vocab: RESOURCE_KINDS },
  { key: 'school', param: 'schoolId' },
  { key: 'licence', param: 'licence', vocab: LICENCES },
];
const SORTS = ['relevance', 'newest', 'rating', 'use'] as const;
const PAGE_SIZE = 10;

function FacetGroup({
  name,
  values,
  selected,
  vocab,
  onPick,
}: {
  name: FacetKey;
  values: FacetValue[];
  selected?: string;
  vocab?: Vocab;
  onPick: (v: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const [all, setAll] = useState(false);
  if (!values.length && !selected) return null;
  const shown = all ? values : values.slice(0, 8);
  return (
    <div className="xl-facet" data-testid={`facet-${name}`}>
      <div className="xl-facet-title">{t(`resource.facet.${name}`)}</div>
      <Flex wrap gap={6}>
        {shown.map((v) => {
          const active = selected === v.value;
          return (
            <Tag.CheckableTag key={v.value} checked={active} onChange={() => onPick(active ? undefined : v.value)} data-testid={`facet-${name}-${v.value}`}>
              {v.label || (vocab ? label(vocab, v.value) : v.value)} <span className="xl-facet-count">{v.count}</span>
            </Tag.CheckableTag>
          );
        })}
        {values.length > 8 && (
          <Button type="link" size="small" onClick={() => setAll(!all)} style={{ padding: 0 }}>
            {all ? t('resource.less') : t('resource.more', { count: values.length - 8 })}
          </Button>
        )}
      </Flex>
    </div>
  );
}

function Recommendations() {
  const { t } = useTranslation();
  const { label } = useVocab();
  const rec = useRecommended(true);
  if (rec.isLoading) return <Skeleton active paragraph={{ rows: 2 }} />;
  const forYou = rec.data?.forYou ?? [];
  const shown = new Set(forYou.slice(0, 6).map((r) => r.id));
  const likeYou = (rec.data?.likeYou ?? []).filter((r) => !shown.has(r.id));
  if (!forYou.length && !likeYou.length) return null;
  const basis = [...(rec.data?.basis.subjects ?? []).map((s) => label(SUBJECTS, s)), ...(rec.data?.basis.grades ?? []).map((g) => label(GRADES, g))];
  return (
    <Card
      size="small"
      variant="borderless"
      style={{ marginBottom: 16 }}
      title={
        <Space>
          <BulbOutlined style={{ color: '#faad14' }} />
          {t('resource.recommended')}
        </Space>
      }
      data-testid="resource-recommended"
    >
      {forYou.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 13 }}>
            {basis.length ? t('resource.forYouBasis', { basis: basis.join('、') }) : t('resource.forYou')}
          </Typography.Text>
          <div className="xl-res-rec">
            {forYou.slice(0, 6).map((r) => (
              <ResourceCard key={r.id} r={r} compact />
            ))}
          </div>
        </>
      )}
      {likeYou.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 8px', fontSize: 13 }}>
            {t('resource.likeYou')}
          </Typography.Text>
          <div className="xl-res-rec">
            {likeYou.slice(0, 3).map((r) => (
              <ResourceCard key={r.id} r={r} compact />
            ))}
          </div>
        </>
      )}
    </Card>
  );
}

export default function LibraryPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const { label } = useVocab();
  const f = useUrlFilters(KEYS, PAGE_SIZE);
  const sort = f.values.sort ?? (f.values.q ? 'relevance' : 'newest');
  const query = { ...f.values, sort, page: f.page, pageSize: f.pageSize };
  const list = useResources(query);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const canUpload = may(me, 'resource.write');
  const showRec = hasRole(me, ['teacher', 'reviewer']) && !f.values.q && f.page === 1;
  const facets: Partial<Record<FacetKey, FacetValue[]>> = list.data?.facets ?? {};
  const active = FACETS.filter((x) => f.values[x.param]);

  const facetPanel = (
    <div data-testid="resource-facets">
      {FACETS.map((x) => (
        <FacetGroup
          key={x.key}
          name={x.key}
          values={facets[x.key] ?? []}
          selected={f.values[x.param]}
          vocab={x.vocab}
          onPick={(v) => f.set({ [x.param]: v })}
        />
      ))}
    </div>
  );
  const facetLabel = (key: FacetKey, value: string) => {
    const def = FACETS.find((x) => x.key === key);
    const fromFacet = facets[key]?.find((v) => v.value === value)?.label;
    return fromFacet || (def?.vocab ? label(def.vocab, value) : value);
  };

  return (
    <>
      <PageHeader
        title={t('menu.resources')}
        sub={t('resource.librarySub')}
        extra={
          canUpload && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/resources/new')} data-testid="resource-create">
              {t('resource.upload')}
            </Button>
          )
        }
      />
      {showRec && <Recommendations />}
      <Card variant="borderless">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            key={f.values.q ?? ''}
            allowClear
            enterButton={t('common.search')}
            size={isMobile ? 'middle' : 'large'}
            placeholder={t('resource.searchPlaceholder')}
            defaultValue={f.values.q}
            onSearch={(v) => f.set({ q: v.trim(), sort: undefined })}
            style={{ flex: '1 1 260px', maxWidth: 640 }}
            data-testid="resource-search"
          />
          <Select
            value={sort}
            onChange={(v) => f.set({ sort: v })}
            options={SORTS.map((s) => ({ value: s, label: t(`resource.sort.${s}`), disabled: s === 'relevance' && !f.values.q }))}
            style={{ width: 130 }}
            size={isMobile ? 'middle' : 'large'}
            aria-label={t('resource.sortBy')}
            data-testid="resource-sort"
          />
          {isMobile && (
            <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)} data-testid="resource-filters-open">
              {t('resource.filters')}
              {active.length ? ` (${active.length})` : ''}
            </Button>
          )}
        </Flex>
        {active.length > 0 && (
          <Flex gap={6} wrap style={{ marginBottom: 12 }} data-testid="resource-active-filters">
            {active.map((x) => (
              <Tag key={x.key} closable closeIcon={<CloseOutlined />} onClose={() => f.set({ [x.param]: undefined })} color="blue">
                {t(`resource.facet.${x.key}`)}：{facetLabel(x.key, f.values[x.param]!)}
              </Tag>
            ))}
            <Button type="link" size="small" onClick={f.reset}>
              {t('resource.clearFilters')}
            </Button>
          </Flex>
        )}
        <QueryError error={list.error} />
        <Row gutter={20}>
          {!isMobile && (
            <Col md={8} lg={6}>
              {facetPanel}
            </Col>
          )}
          <Col xs={24} md={16} lg={18}>
            <Typography.Text type="secondary" data-testid="resource-total">
              {list.data ? t('resource.foundN', { count: list.data.total }) : ' '}
            </Typography.Text>
            {list.isLoading && <Skeleton active />}
            {list.data && list.data.items.length === 0 && (
              <Empty description={f.values.q ? t('resource.noResultsFor', { q: f.values.q }) : t('resource.noResults')} data-testid="resource-empty" />
            )}
            <Flex vertical gap={10} style={{ marginTop: 8, opacity: list.isFetching && !list.isLoading ? 0.6 : 1 }} data-testid="resource-results">
              {(list.data?.items ?? []).map((r) => (
                <ResourceCard key={r.id} r={r} />
              ))}
            </Flex>
            {(list.data?.total ?? 0) > f.pageSize && (
              <Pagination
                style={{ marginTop: 16, textAlign: 'center' }}
                current={f.page}
                pageSize={f.pageSize}
                total={list.data?.total ?? 0}
                onChange={f.setPage}
                showSizeChanger={false}
                size={isMobile ? 'small' : 'default'}
                showTotal={isMobile ? undefined : (n) => t('common.totalN', { count: n })}
              />
            )}
          </Col>
        </Row>
      </Card>
      {isMobile && (
        <Drawer
          placement="bottom"
          height="75%"
          open={filtersOpen}
          onClose={() => setFiltersOpen(false)}
          title={t('resource.filters')}
          data-testid="resource-filters-drawer"
        >
          {facetPanel}
        </Drawer>
      )}
    </>
  );
}
