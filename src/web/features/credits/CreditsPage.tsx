import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Skeleton,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { FACILITY_TYPES } from '../../../common/facilities';
import { SCHOOL_TAGS } from '../../../common/vocab';
import { api, fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtDateTime, fmtNum } from '../../app/format';
import { may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import type * as S from '../../../server/modules/credits/schema';
import { newKey, postIdempotent, useMyAlliances } from '../facilities/api';

type Accounts = z.infer<typeof S.AccountList>;
type Statement = z.infer<typeof S.StatementOut>;
type RulesOut = z.infer<typeof S.CreditRulesOut>;
type Rules = RulesOut['rules'];
type GrantOut = z.infer<typeof S.GrantOut>;

export default function CreditsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const mine = useMyAlliances(me);
  const allianceId = params.get('allianceId') ?? mine.preferred[0]?.id ?? mine.all[0]?.id;
  const tab = params.get('tab') ?? 'accounts';
  const set = (patch: Record<string, string | undefined>) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch))
          if (v) n.set(k, v);
          else n.delete(k);
        return n;
      },
      { replace: true },
    );
  const canManage = !!allianceId && may(me, 'credit.manage', { allianceId });

  return (
    <>
      <PageHeader
        title={t('credit.title')}
        extra={
          <Select
            showSearch
            optionFilterProp="label"
            value={allianceId}
            onChange={(v) => set({ allianceId: v, schoolId: undefined })}
            options={mine.all.map((a) => ({ value: a.id, label: a.name }))}
            style={{ minWidth: 240 }}
            loading={mine.isLoading}
            data-testid="credit-alliance"
          />
        }
      />
      {allianceId && (
        <Card variant="borderless">
          <Tabs
            activeKey={tab}
            onChange={(k) => set({ tab: k })}
            items={[
              {
                key: 'accounts',
                label: t('credit.tabs.accounts'),
                children: <AccountsTab allianceId={allianceId} onStatement={(schoolId) => set({ tab: 'statement', schoolId })} />,
              },
              {
                key: 'statement',
                label: t('credit.tabs.statement'),
                children: <StatementTab allianceId={allianceId} schoolId={params.get('schoolId') ?? undefined} onSchool={(s) => set({ schoolId: s })} />,
              },
              { key: 'rules', label: t('credit.tabs.rules'), children: <RulesTab allianceId={allianceId} canManage={canManage} /> },
              ...(canManage ? [{ key: 'grants', label: t('credit.tabs.grants'), children: <GrantsTab allianceId={allianceId} /> }] : []),
            ]}
          />
        </Card>
      )}
    </>
  );
}

function useAccounts(allianceId: string) {
  return useQuery({ queryKey: ['credits', 'accounts', allianceId], queryFn: () => api.get<Accounts>(`/api/alliances/${allianceId}/credit-accounts`) });
}

function AccountsTab({ allianceId, onStatement }: { allianceId: string; onStatement: (schoolId: string) => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const q = useAccounts(allianceId);
  return (
    <>
      <QueryError error={q.error} />
      <Table
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={false}
        data-testid="credit-accounts"
        columns={[
          {
            title: t('credit.owner'),
            dataIndex: 'ownerName',
            render: (v: string, a) => (
              <span data-testid="credit-account" data-owner={a.ownerId}>
                {v}
              </span>
            ),
          },
          { title: t('credit.kind'), dataIndex: 'ownerType', responsive: ['md'], render: (v: string) => <Tag>{t(`credit.ownerType.${v}`)}</Tag> },
          { title: t('credit.tags'), dataIndex: 'tags', responsive: ['lg'], render: (v: string[]) => v.map((x) => <Tag key={x}>{label(SCHOOL_TAGS, x)}</Tag>) },
          {
            title: t('credit.balance'),
            dataIndex: 'balance',
            align: 'right',
            render: (v: number, a) => (
              <b data-testid={`balance-${a.ownerId}`} style={{ color: v < 0 ? '#cf1322' : undefined }}>
                {fmtNum(v)}
              </b>
            ),
          },
          {
            title: '',
            key: 'x',
            width: 90,
            render: (_, a) =>
              a.ownerType === 'school' && (
                <Button size="small" type="link" onClick={() => onStatement(a.ownerId)}>
                  {t('credit.viewStatement')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}

function StatementTab({ allianceId, schoolId, onSchool }: { allianceId: string; schoolId?: string; onSchool: (s: string) => void }) {
  const { t } = useTranslation();
  const accounts = useAccounts(allianceId);
  const schools = (accounts.data?.items ?? []).filter((a) => a.ownerType === 'school');
  const sid = schoolId ?? (schools.length === 1 ? schools[0]!.ownerId : undefined);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = { allianceId, schoolId: sid, from: from || undefined, to: to || undefined };
  const st = useQuery({ queryKey: ['credits', 'statement', query], queryFn: () => api.get<Statement>('/api/credit/statements', query), enabled: !!sid });
  const s = st.data;
  return (
    <>
      <div className="xl-filters" style={{ marginBottom: 12 }}>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder={t('credit.school')}
          value={sid}
          onChange={onSchool}
          options={schools.map((a) => ({ value: a.ownerId, label: a.ownerName }))}
          style={{ minWidth: 240 }}
          data-testid="statement-school"
        />
        <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} style={{ width: 150 }} aria-label={t('credit.from')} />
        <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} style={{ width: 150 }} aria-label={t('credit.to')} />
        {sid && (
          <Button icon={<DownloadOutlined />} href={fileUrl('/api/credit/statements.xlsx', query)} data-testid="statement-export">
            {t('common.exportExcel')}
          </Button>
        )}
      </div>
      <QueryError error={st.error} />
      {!sid && <Empty description={t('credit.pickSchool')} />}
      {st.isLoading && <Skeleton active />}
      {s && (
        <div data-testid="statement">
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={6}>
              <Statistic title={t('credit.opening')} value={s.opening} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('credit.income')} value={s.credits} valueStyle={{ color: '#389e0d' }} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('credit.expense')} value={s.debits} valueStyle={{ color: '#cf1322' }} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('credit.closing')} value={s.closing} />
            </Col>
          </Row>
          <Table
            size="small"
            rowKey={(l) => `${l.transactionId}`}
            dataSource={[...s.items].reverse()}
            pagination={{ pageSize: 15, size: 'small' }}
            scroll={{ x: 640 }}
            data-testid="statement-lines"
            columns={[
              { title: t('credit.time'), dataIndex: 'at', width: 140, render: (v: string) => fmtDateTime(v) },
              {
                title: t('credit.kind'),
                dataIndex: 'kind',
                width: 120,
                render: (v: string) => <Tag data-testid="statement-kind">{t(`credit.kinds.${v}`, { defaultValue: v })}</Tag>,
              },
              { title: t('credit.memo'), dataIndex: 'memo' },
              {
                title: t('credit.counterpart'),
                dataIndex: 'counterparts',
                render: (v: Statement['items'][number]['counterparts']) => v.map((c) => c.ownerName).join('、'),
              },
              {
                title: t('credit.amount'),
                dataIndex: 'amount',
                align: 'right',
                width: 90,
                render: (v: number) => <span style={{ color: v < 0 ? '#cf1322' : '#389e0d' }}>{v > 0 ? `+${v}` : v}</span>,
              },
              { title: t('credit.balance'), dataIndex: 'balance', align: 'right', width: 90 },
            ]}
          />
        </div>
      )}
    </>
  );
}

const NUM_FIELDS = [
  'hostSharePct',
  'startingGrant',
  'weakExtraGrant',
  'ruralExtraGrant',
  'overdraftLimit',
  'refundTimelyPct',
  'refundLatePct',
  'resourceUseReward',
  'teacherExchangeDayReward',
] as const;

function RulesTab({ allianceId, canManage }: { allianceId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['credits', 'rules', allianceId], queryFn: () => api.get<RulesOut>(`/api/alliances/${allianceId}/credit-rules`) });
  const [form] = Form.useForm<Rules>();
  const save = useMutation({
    mutationFn: (body: Partial<Rules>) => api.put<RulesOut>(`/api/alliances/${allianceId}/credit-rules`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['credits'] }),
  });
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data.rules);
  }, [q.data, form]);
  if (q.error) return <QueryError error={q.error} />;
  if (!q.data) return <Skeleton active />;
  const types = FACILITY_TYPES.codes;
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!canManage}
      onFinish={(v) =>
        save
          .mutateAsync(v)
          .then(() => message.success(t('credit.saved')))
          .catch((e) => onError(e, form))
      }
      data-testid="credit-rules"
    >
      {!q.data.custom && <Alert type="info" showIcon message={t('credit.defaults')} style={{ marginBottom: 12 }} />}
      <Row gutter={12}>
        {NUM_FIELDS.map((k) => (
          <Col key={k} xs={12} md={8} lg={6}>
            <Form.Item name={k} label={t(`credit.${k}`)} extra={k === 'hostSharePct' ? t('credit.hostShareHelp') : undefined}>
              <InputNumber min={0} max={k.endsWith('Pct') ? 100 : 1_000_000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        ))}
        <Col xs={24} md={12} lg={8}>
          <Form.Item label={t('credit.noShowPenalty')}>
            <Flex gap={8}>
              <Form.Item name={['noShowPenalty', 'mode']} noStyle>
                <Radio.Group
                  options={[
                    { value: 'percent', label: t('credit.percent') },
                    { value: 'fixed', label: t('credit.fixed') },
                  ]}
                />
              </Form.Item>
              <Form.Item name={['noShowPenalty', 'value']} noStyle>
                <InputNumber min={0} style={{ width: 90 }} />
              </Form.Item>
            </Flex>
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>{t('credit.rates')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('credit.peakWindows')}：{q.data.rules.peakWindows.map((w) => `${w.days.join(',')} ${w.from}–${w.to}`).join('；') || '—'}
      </Typography.Paragraph>
      <Row gutter={[12, 0]}>
        {types.map((c) => (
          <Col key={c} xs={24} sm={12} lg={8}>
            <Flex gap={6} align="center" style={{ marginBottom: 8 }}>
              <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={label(FACILITY_TYPES, c)}>
                {label(FACILITY_TYPES, c)}
              </span>
              <Form.Item name={['rates', c, 'offPeak']} noStyle initialValue={q.data!.rules.defaultRate.offPeak}>
                <InputNumber min={0} size="small" style={{ width: 70 }} placeholder={t('credit.offPeak')} />
              </Form.Item>
              <Form.Item name={['rates', c, 'peak']} noStyle initialValue={q.data!.rules.defaultRate.peak}>
                <InputNumber min={0} size="small" style={{ width: 70 }} placeholder={t('credit.peak')} />
              </Form.Item>
            </Flex>
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary">
        {t('credit.offPeak')} / {t('credit.peak')}
      </Typography.Text>
      {canManage && (
        <Flex justify="end" style={{ marginTop: 12 }}>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="credit-rules-save">
            {t('common.save')}
          </Button>
        </Flex>
      )}
    </Form>
  );
}

function GrantsTab({ allianceId }: { allianceId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const qc = useQueryClient();
  const accounts = useAccounts(allianceId);
  const [form] = Form.useForm<{ type: 'starting' | 'extra'; schoolId?: string; amount?: number; reason?: string }>();
  const type = Form.useWatch('type', form);
  const [key, setKey] = useState(newKey);
  const grant = useMutation({
    mutationFn: (body: unknown) => postIdempotent<GrantOut>(`/api/alliances/${allianceId}/credit-grants`, body, key),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['credits'] }),
  });
  const schools = (accounts.data?.items ?? []).filter((a) => a.ownerType === 'school');
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ type: 'extra' }}
      style={{ maxWidth: 520 }}
      onFinish={(v) =>
        grant
          .mutateAsync(v.type === 'starting' ? { type: 'starting', schoolId: v.schoolId } : v)
          .then((r) => {
            message.success(
              `${t('credit.granted', { n: r.granted.length, total: r.total })}${r.skipped.length ? `；${t('credit.grantSkipped', { n: r.skipped.length })}` : ''}`,
            );
            setKey(newKey());
            form.resetFields();
          })
          .catch((e) => onError(e, form))
      }
      data-testid="credit-grant"
    >
      <Form.Item name="type" label={t('credit.grantType')}>
        <Radio.Group
          options={[
            { value: 'extra', label: t('credit.extra') },
            { value: 'starting', label: t('credit.starting') },
          ]}
        />
      </Form.Item>
      <Form.Item name="schoolId" label={t('credit.grantSchool')}>
        <Select allowClear placeholder={t('credit.allMembers')} options={schools.map((a) => ({ value: a.ownerId, label: a.ownerName }))} />
      </Form.Item>
      {type === 'extra' && (
        <>
          <Form.Item name="amount" label={t('credit.grantAmount')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={1} max={1_000_000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('credit.grantReason')}
            rules={[
              { required: true, message: t('common.required') },
              { min: 2, message: t('common.minChars', { n: 2 }) },
            ]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={grant.isPending}>
        {t('credit.grantSubmit')}
      </Button>
    </Form>
  );
}
