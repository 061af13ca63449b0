import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Progress, Result, Row, Select, Skeleton, Statistic, Steps, Table, Tag, Tooltip, Typography } from 'antd';
import { ApartmentOutlined, BankOutlined, ClusterOutlined, FileDoneOutlined, TeamOutlined, UserOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS, LOCATIONS, RESOURCE_INDICATORS, SCHOOL_TYPES } from '../../../common/vocab';
import { CV_LIMITS } from '../../../common/org';
import { api } from '../../api';
import { useMe } from '../../app/auth';
import { canSee } from '../../app/permissions';
import { useRegions } from '../../app/queries';
import { fmtDate, fmtNum, todayStr } from '../../app/format';
import { useVocab, type Vocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { RegionSelect } from '../../components/selects';
import type { EquityRow, RegionOverview } from '../../types';

function Bars({ rows, vocab, color }: { rows: { code: string; count: number }[]; vocab: Vocab; color: string }) {
  const { label } = useVocab();
  const { t } = useTranslation();
  const max = Math.max(1, ...rows.map((r) => r.count));
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />;
  return (
    <div>
      {[...rows]
        .sort((a, b) => b.count - a.count)
        .map((r) => (
          <div className="xl-bar-row" key={r.code}>
            <span className="xl-bar-label" title={label(vocab, r.code)}>
              {label(vocab, r.code)}
            </span>
            <Progress percent={(r.count / max) * 100} showInfo={false} strokeColor={color} size="small" />
            <span className="xl-bar-count">{fmtNum(r.count)}</span>
          </div>
        ))}
    </div>
  );
}

/** A fresh installation: no region yet. The admin's way in: regions, then schools, then alliances. */
function FirstRun() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card variant="borderless" data-testid="first-run">
      <Result
        icon={<ApartmentOutlined style={{ color: '#1f5fae' }} />}
        title={t('overview.firstRun.title')}
        subTitle={t('overview.firstRun.text')}
        extra={[
          <Button key="create" type="primary" size="large" onClick={() => navigate('/regions?new=1')} data-testid="first-run-create-region">
            {t('overview.firstRun.create')}
          </Button>,
          <Button key="import" size="large" onClick={() => navigate('/imports')} data-testid="first-run-import">
            {t('overview.firstRun.import')}
          </Button>,
        ]}
      />
      <Steps
        style={{ maxWidth: 760, margin: '0 auto' }}
        current={0}
        items={(['regions', 'schools', 'alliances'] as const).map((k) => ({
          title: t(`overview.firstRun.steps.${k}`),
          description: t(`overview.firstRun.stepText.${k}`),
        }))}
      />
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 24, fontSize: 12 }}>
        {t('overview.firstRun.cli')} <Typography.Text code>xiaolian region create --code 360000 --name 江西省</Typography.Text>
      </Typography.Paragraph>
    </Card>
  );
}

function cvDigits(n: number | null) {
  return n === null ? '—' : n.toFixed(3);
}

function cvColor(v: number) {
  return v > CV_LIMITS.primary ? '#cf1322' : v > CV_LIMITS.junior ? '#d48806' : '#389e0d';
}

/** One bar per indicator: the CV against the two limits (小学 0.50, 初中 0.45), drawn as dashed marks. */
function CvFigure({ rows }: { rows: EquityRow[] }) {
  const { label } = useVocab();
  const { t } = useTranslation();
  const scale = Math.max(0.6, ...rows.map((r) => (r.cv ?? 0) * 1.1));
  const pos = (v: number) => `${Math.min(100, (v / scale) * 100)}%`;
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />;
  return (
    <div data-testid="cv-figure" className="xl-cv-grid">
      {rows.map((r) => (
        <div className="xl-cv-row" key={r.indicator}>
          <div className="xl-cv-head">
            <span className="xl-cv-label">{label(RESOURCE_INDICATORS, r.indicator)}</span>
            <span className="xl-cv-value" style={{ color: r.cv === null ? undefined : cvColor(r.cv) }}>
              {cvDigits(r.cv)}
            </span>
          </div>
          <div className="xl-cv-track">
            {r.cv !== null && <div className="xl-cv-fill" style={{ width: pos(r.cv), background: cvColor(r.cv) }} />}
            <Tooltip title={t('overview.limitLine', { limit: CV_LIMITS.junior })}>
              <div className="xl-cv-mark" style={{ left: pos(CV_LIMITS.junior), borderColor: '#d48806' }} />
            </Tooltip>
            <Tooltip title={t('overview.limitLine', { limit: CV_LIMITS.primary })}>
              <div className="xl-cv-mark" style={{ left: pos(CV_LIMITS.primary) }} />
            </Tooltip>
          </div>
        </div>
      ))}
    </div>
  );
}

export default function OverviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { label } = useVocab();
  const regions = useRegions();
  const [picked, setPicked] = useState<string | undefined>();

  const defaultRegion = useMemo(() => {
    const list = regions.data ?? [];
    const granted = me.grants.find((g) => g.scopeType === 'region' && g.scopeId && list.some((r) => r.id === g.scopeId))?.scopeId;
    if (granted) return granted;
    if (me.user.regionId && list.some((r) => r.id === me.user.regionId)) return me.user.regionId;
    const ids = new Set(list.map((r) => r.id));
    return list.find((r) => !r.parentId || !ids.has(r.parentId))?.id;
  }, [regions.data, me]);
  const regionId = picked ?? defaultRegion;

  const overview = useQuery({
    queryKey: ['overview', regionId],
    queryFn: () => api.get<RegionOverview>(`/api/regions/${regionId}/overview`),
    enabled: !!regionId,
  });
  const d = overview.data;

  const years = useMemo(() => [...new Set((d?.equity ?? []).map((e) => e.year))].sort((a, b) => b - a), [d]);
  const [yearPick, setYearPick] = useState<number | undefined>();
  const year = yearPick && years.includes(yearPick) ? yearPick : years[0];
  const equity = (d?.equity ?? []).filter((e) => e.year === year);
  const today = todayStr();

  return (
    <>
      <PageHeader
        title={t('overview.title')}
        sub={d ? d.region.name : undefined}
        extra={<RegionSelect value={regionId} onChange={setPicked} allowClear={false} style={{ width: 220 }} data-testid="overview-region" />}
      />
      <QueryError error={regions.error || overview.error} />
      {!regionId &&
        !regions.isLoading &&
        !regions.error &&
        (canSee(me, 'regions') && (regions.data ?? []).length === 0 ? <FirstRun /> : <Empty description={t('overview.noRegion')} />)}
      {overview.isLoading && <Skeleton active paragraph={{ rows: 8 }} />}
      {d && (
        <>
          <Row gutter={[16, 16]} data-testid="overview-totals">
            {[
              { key: 'schools', icon: <BankOutlined />, value: d.totals.schools },
              { key: 'students', icon: <UserOutlined />, value: d.totals.students },
              { key: 'teachers', icon: <TeamOutlined />, value: d.totals.teachers },
              { key: 'alliances', icon: <ClusterOutlined />, value: d.totals.alliances },
              { key: 'pendingApplications', icon: <FileDoneOutlined />, value: d.totals.pendingApplications },
            ].map((s) => (
              <Col key={s.key} xs={12} sm={12} md={8} xl={{ flex: '20%' }}>
                <Card size="small" variant="borderless" style={{ height: '100%' }}>
                  <Statistic
                    title={t(`overview.totals.${s.key}`)}
                    value={s.value ?? 0}
                    prefix={<span style={{ color: '#1f5fae', marginRight: 4 }}>{s.icon}</span>}
                    valueStyle={{ fontSize: 24 }}
                    formatter={(v) => fmtNum(Number(v))}
                  />
                  {s.key === 'pendingApplications' && s.value > 0 && <Link to="/applications">{t('overview.goHandle')}</Link>}
                </Card>
              </Col>
            ))}
          </Row>

          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} lg={8}>
              <Card title={t('overview.byType')} size="small" variant="borderless" style={{ height: '100%' }}>
                <Bars rows={d.byType.map((r) => ({ code: r.type, count: r.count }))} vocab={SCHOOL_TYPES} color="#1f5fae" />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('overview.byLocation')} size="small" variant="borderless" style={{ height: '100%' }}>
                <Bars rows={d.byLocation.map((r) => ({ code: r.location, count: r.count }))} vocab={LOCATIONS} color="#13a8a8" />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('overview.alliancesByKind')} size="small" variant="borderless" style={{ height: '100%' }}>
                <Bars rows={d.alliancesByKind.map((r) => ({ code: r.kind, count: r.count }))} vocab={ALLIANCE_KINDS} color="#d48806" />
              </Card>
            </Col>
          </Row>

          <Card
            title={t('overview.equity')}
            size="small"
            variant="borderless"
            style={{ marginTop: 16 }}
            extra={
              years.length > 0 && (
                <Select
                  size="small"
                  value={year}
                  onChange={setYearPick}
                  options={years.map((y) => ({ value: y, label: t('overview.yearN', { year: y }) }))}
                  style={{ width: 110 }}
                  data-testid="equity-year"
                />
              )
            }
          >
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('overview.equityNote', { primary: CV_LIMITS.primary, junior: CV_LIMITS.junior })}
            </Typography.Paragraph>
            <CvFigure rows={equity} />
            <Table<EquityRow>
              style={{ marginTop: 16 }}
              data-testid="equity-table"
              size="small"
              rowKey={(r) => `${r.indicator}-${r.year}`}
              dataSource={equity}
              pagination={false}
              scroll={{ x: 860 }}
              columns={[
                { title: t('overview.indicator'), dataIndex: 'indicator', render: (c: string) => label(RESOURCE_INDICATORS, c), width: 220, fixed: 'left' },
                { title: t('overview.schoolCount'), dataIndex: 'count', align: 'right', width: 80 },
                { title: t('overview.mean'), dataIndex: 'mean', align: 'right', render: (v: number | null) => fmtNum(v, 2) },
                { title: t('overview.sd'), dataIndex: 'sd', align: 'right', render: (v: number | null) => fmtNum(v, 2) },
                {
                  title: (
                    <Tooltip title={t('overview.cvHelp')}>
                      <span>{t('overview.cv')}</span>
                    </Tooltip>
                  ),
                  dataIndex: 'cv',
                  align: 'right',
                  render: (v: number | null) =>
                    v === null ? (
                      '—'
                    ) : v > CV_LIMITS.primary ? (
                      <Tag color="red">{cvDigits(v)}</Tag>
                    ) : v > CV_LIMITS.junior ? (
                      <Tag color="orange">{cvDigits(v)}</Tag>
                    ) : (
                      <Tag color="green">{cvDigits(v)}</Tag>
                    ),
                },
                { title: t('overview.min'), dataIndex: 'min', align: 'right', render: (v: number | null) => fmtNum(v, 2) },
                { title: t('overview.max'), dataIndex: 'max', align: 'right', render: (v: number | null) => fmtNum(v, 2) },
              ]}
            />
          </Card>

          <Card
            title={
              <span>
                <WarningOutlined style={{ color: '#d48806', marginRight: 8 }} />
                {t('overview.reassessmentDue')}
              </span>
            }
            size="small"
            variant="borderless"
            style={{ marginTop: 16 }}
          >
            {d.reassessmentDue.length === 0 ? (
              <Alert type="success" showIcon message={t('overview.noneDue')} />
            ) : (
              <Table
                data-testid="reassessment-table"
                size="small"
                rowKey="allianceId"
                dataSource={d.reassessmentDue}
                pagination={d.reassessmentDue.length > 10 ? { pageSize: 10 } : false}
                scroll={{ x: 520 }}
                columns={[
                  { title: t('alliance.name'), dataIndex: 'name', render: (n: string, r) => <Link to={`/alliances/${r.allianceId}`}>{n}</Link> },
                  {
                    title: t('alliance.lastAssessedOn'),
                    dataIndex: 'lastAssessedOn',
                    render: (v: string | null) => (v ? fmtDate(v) : t('alliance.neverAssessed')),
                  },
                  {
                    title: t('alliance.dueOn'),
                    dataIndex: 'dueOn',
                    render: (v: string) =>
                      v <= today ? (
                        <Tag color="red">
                          {fmtDate(v)} {t('alliance.overdue')}
                        </Tag>
                      ) : (
                        fmtDate(v)
                      ),
                  },
                ]}
              />
            )}
          </Card>
        </>
      )}
    </>
  );
}
