import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert, Card, Col, Flex, Input, Progress, Row, Segmented, Select, Skeleton, Statistic, Table, Tabs, Tag } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FACILITY_TYPES } from '../../../common/facilities';
import { useMe } from '../../app/auth';
import { dayjs, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useMyAlliances, useUtilization, type Utilization } from './api';

const UtilizationChart = lazy(() => import('./UtilizationChart'));

const pct = (x: number | null | undefined) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
const rateTag = (x: number | null, idleAt: number) =>
  x == null ? '—' : <Tag color={x < idleAt ? 'red' : x >= 0.7 ? 'green' : x >= 0.35 ? 'blue' : 'orange'}>{pct(x)}</Tag>;

export default function UtilizationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { label } = useVocab();
  const [params, setParams] = useSearchParams();
  const mine = useMyAlliances(me);
  const allianceId = params.get('allianceId') ?? mine.preferred[0]?.id ?? mine.all[0]?.id;
  const today = dayjs().tz(TZ).format('YYYY-MM-DD');
  const by = (params.get('by') as 'week' | 'term') ?? 'week';
  // by week: the last five weeks; by term: since the term began (第一学期 1 September, 第二学期 1 February)
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const termStart = m >= 9 ? `${y}-09-01` : m === 1 ? `${y - 1}-09-01` : `${y}-02-01`;
  const from = params.get('from') ?? (by === 'term' ? termStart : dayjs(today).subtract(5, 'week').format('YYYY-MM-DD'));
  // up to yesterday: today's bookings have not been used yet
  const to = params.get('to') ?? dayjs(today).subtract(1, 'day').format('YYYY-MM-DD');
  const set = (patch: Record<string, string>) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch)) n.set(k, v);
        return n;
      },
      { replace: true },
    );
  const q = useUtilization('alliances', allianceId, { from, to, by });
  const r = q.data;
  const [tab, setTab] = useState('facilities');
  useEffect(() => setTab('facilities'), []);

  return (
    <>
      <PageHeader title={t('util.title')} sub={t('util.goal')} />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <div className="xl-filters">
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('util.alliance')}
            value={allianceId}
            onChange={(v) => set({ allianceId: v })}
            options={mine.all.map((a) => ({ value: a.id, label: a.name }))}
            style={{ minWidth: 240 }}
            loading={mine.isLoading}
            data-testid="util-alliance"
          />
          <Input type="date" value={from} max={to} onChange={(e) => e.target.value && set({ from: e.target.value })} style={{ width: 150 }} aria-label="from" />
          <Input type="date" value={to} min={from} onChange={(e) => e.target.value && set({ to: e.target.value })} style={{ width: 150 }} aria-label="to" />
          <Segmented
            value={by}
            onChange={(v) => set({ by: v as string })}
            options={[
              { value: 'week', label: t('util.byWeek') },
              { value: 'term', label: t('util.byTerm') },
            ]}
          />
        </div>
      </Card>
      <QueryError error={q.error} />
      {q.isLoading && <Skeleton active />}
      {r && <Report r={r} tab={tab} setTab={setTab} typeLabel={(c) => label(FACILITY_TYPES, c)} />}
    </>
  );
}

function Report({ r, tab, setTab, typeLabel }: { r: Utilization; tab: string; setTab: (k: string) => void; typeLabel: (c: string) => string }) {
  const { t } = useTranslation();
  const used = r.total.usedRate ?? 0;
  const gap = Math.max(0, Math.round((r.goal.target - used) * 1000) / 10);
  const idleAt = r.idleThreshold;
  const hoursCols = [
    { title: t('util.open'), dataIndex: 'openHours', align: 'right' as const, responsive: ['md' as const] },
    { title: t('util.booked'), dataIndex: 'bookedHours', align: 'right' as const, responsive: ['md' as const] },
    { title: t('util.used'), dataIndex: 'usedHours', align: 'right' as const, responsive: ['sm' as const] },
    { title: t('util.bookedRate'), dataIndex: 'bookedRate', align: 'right' as const, render: (x: number | null) => pct(x) },
    { title: t('util.usedRate'), dataIndex: 'usedRate', align: 'right' as const, render: (x: number | null) => rateTag(x, idleAt) },
  ];
  return (
    <div data-testid="util-report">
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card variant="borderless">
            <Statistic
              title={t('util.usedRate')}
              value={pct(r.total.usedRate)}
              valueStyle={{ color: used >= 0.7 ? '#389e0d' : used >= 0.35 ? '#1677ff' : '#d46b08' }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless">
            <Statistic title={t('util.bookedRate')} value={pct(r.total.bookedRate)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless">
            <Statistic title={t('util.used')} value={r.total.usedHours} suffix={`/ ${r.total.openHours}`} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card variant="borderless">
            <Statistic
              title={t('util.idle')}
              value={r.total.idleFacilities}
              suffix={`/ ${r.total.facilities}`}
              valueStyle={{ color: r.total.idleFacilities ? '#cf1322' : undefined }}
            />
          </Card>
        </Col>
      </Row>
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex vertical gap={4}>
          <span>{r.goal.reached ? t('util.goalReached') : t('util.goalGap', { pct: gap })}</span>
          <Progress
            percent={Math.round(used * 1000) / 10}
            success={{ percent: 35 }}
            strokeColor={used >= 0.7 ? '#52c41a' : '#1677ff'}
            format={(p) => `${p}% / 70%`}
          />
        </Flex>
        {r.total.idleFacilities > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            data-testid="util-idle-alert"
            message={t('util.idleN', { n: r.total.idleFacilities, pct: Math.round(idleAt * 100) })}
            description={r.facilities
              .filter((f) => f.idle)
              .slice(0, 6)
              .map((f) => `${f.name}（${pct(f.usedRate)}）`)
              .join('、')}
          />
        )}
      </Card>
      <Card variant="borderless" title={t('util.trend')} style={{ marginBottom: 16 }}>
        <Suspense fallback={<Skeleton active />}>
          <UtilizationChart
            labels={r.periods.map((p) => p.label)}
            booked={r.total.series.map((s) => s.bookedRate)}
            used={r.total.series.map((s) => s.usedRate)}
            names={{ booked: t('util.bookedRate'), used: t('util.usedRate'), baseline: t('util.baseline'), target: t('util.target') }}
          />
        </Suspense>
      </Card>
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'facilities',
              label: t('util.byFacility'),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={r.facilities}
                  pagination={{ pageSize: 10, size: 'small' }}
                  data-testid="util-facilities"
                  columns={[
                    {
                      title: t('booking.facility'),
                      dataIndex: 'name',
                      render: (v: string, f) => (
                        <>
                          {v}{' '}
                          {f.idle && (
                            <Tag color="red" data-testid="util-idle">
                              {t('util.idle')}
                            </Tag>
                          )}
                        </>
                      ),
                    },
                    { title: t('facility.type'), dataIndex: 'type', render: typeLabel, responsive: ['lg'] },
                    { title: t('facility.owner'), dataIndex: 'schoolName', responsive: ['lg'] },
                    ...hoursCols,
                  ]}
                />
              ),
            },
            {
              key: 'schools',
              label: t('util.bySchool'),
              children: (
                <Table
                  size="small"
                  rowKey="key"
                  dataSource={r.schools}
                  pagination={{ pageSize: 10, size: 'small' }}
                  columns={[
                    { title: t('facility.owner'), dataIndex: 'name' },
                    { title: t('util.facilities'), dataIndex: 'facilities', align: 'right', responsive: ['md'] },
                    ...hoursCols,
                  ]}
                />
              ),
            },
            {
              key: 'types',
              label: t('util.byType'),
              children: (
                <Table
                  size="small"
                  rowKey="key"
                  dataSource={r.types}
                  pagination={false}
                  columns={[
                    { title: t('facility.type'), dataIndex: 'key', render: typeLabel },
                    { title: t('util.facilities'), dataIndex: 'facilities', align: 'right', responsive: ['md'] },
                    ...hoursCols,
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
