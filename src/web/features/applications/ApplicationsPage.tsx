import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Grid, Input, Modal, Select, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { APPLICATION_STATUS } from '../../../common/vocab';
import { api, fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtDateTime } from '../../app/format';
import { hasRole, isPlatformAdmin, scopeIds } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { AllianceSelect, SchoolSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import { VocabTag } from '../../components/VocabTag';
import type { Application, Me, Paged } from '../../types';

const KEYS = ['status', 'allianceId'] as const;
const OPEN = ['submitted', 'evaluated', 'recommended'];
type Step = 'evaluate' | 'recommend' | 'approve';
/** The step that moves an application on from each open status (server: memberships/service.ts TRANSITIONS). */
const STEP_OF: Record<string, Step> = { submitted: 'evaluate', evaluated: 'recommend', recommended: 'approve' };
const STEP_INDEX: Record<string, number> = { submitted: 1, evaluated: 2, recommended: 3, approved: 4 };

/** The review step `me` may take on `a` now, if any (a hint; the server decides). */
export function myStep(me: Me, a: Application): Step | null {
  const step = STEP_OF[a.status];
  if (!step) return null;
  if (isPlatformAdmin(me)) return step;
  if (step === 'approve') return hasRole(me, ['bureau_admin']) ? step : null;
  return scopeIds(me, 'alliance_admin').includes(a.allianceId) ? step : null;
}

export function canWithdraw(me: Me, a: Application): boolean {
  return OPEN.includes(a.status) && (isPlatformAdmin(me) || scopeIds(me, 'school_admin').includes(a.schoolId));
}

function useApplications(query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: ['applications', query],
    queryFn: () => api.get<Paged<Application>>('/api/applications', query),
    placeholderData: (prev) => prev,
  });
}

export default function ApplicationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { options } = useVocab();
  const f = useUrlFilters(KEYS);
  const [params, setParams] = useSearchParams();
  const openId = params.get('open');
  const list = useApplications({ ...f.values, page: f.page, pageSize: f.pageSize });
  const [applyOpen, setApplyOpen] = useState(false);
  const canApply = isPlatformAdmin(me) || scopeIds(me, 'school_admin').length > 0;

  const setOpen = (id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('open', id);
        else next.delete('open');
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title={t('application.title')}
        sub={t('application.sub')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={fileUrl('/api/applications/export.xlsx', f.values)} data-testid="applications-export">
              {t('application.export')}
            </Button>
            {canApply && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplyOpen(true)} data-testid="application-apply">
                {t('application.apply')}
              </Button>
            )}
          </>
        }
      />
      <Card variant="borderless">
        <div className="xl-filters">
          <Select
            allowClear
            placeholder={t('application.allStatus')}
            value={f.values.status}
            onChange={(v) => f.set({ status: v })}
            options={options(APPLICATION_STATUS)}
            style={{ width: 160 }}
            data-testid="filter-status"
          />
          <AllianceSelect value={f.values.allianceId} onChange={(v) => f.set({ allianceId: v })} style={{ width: 260 }} />
          <Button icon={<ReloadOutlined />} onClick={f.reset}>
            {t('common.reset', '重置')}
          </Button>
        </div>
        <QueryError error={list.error} />
        <Table<Application>
          data-testid="applications-table"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 860 }}
          locale={{ emptyText: t('application.empty') }}
          onRow={(r) => ({ 'data-testid': `application-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: f.page,
            pageSize: f.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            onChange: f.setPage,
          }}
          columns={[
            { title: t('application.school'), dataIndex: 'schoolName', render: (n: string, r) => <Link to={`/schools/${r.schoolId}`}>{n}</Link> },
            { title: t('application.alliance'), dataIndex: 'allianceName', render: (n: string, r) => <Link to={`/alliances/${r.allianceId}`}>{n}</Link> },
            { title: t('application.status'), dataIndex: 'status', width: 130, render: (s: string) => <VocabTag vocab={APPLICATION_STATUS} code={s} /> },
            { title: t('application.createdAt'), dataIndex: 'createdAt', width: 150, className: 'xl-nowrap', render: fmtDateTime },
            { title: t('application.updatedAt'), dataIndex: 'updatedAt', width: 150, className: 'xl-nowrap', render: fmtDateTime },
            {
              title: t('application.action'),
              key: 'action',
              width: 100,
              fixed: 'right',
              render: (_: unknown, r) => {
                const mine = myStep(me, r);
                return (
                  <Button size="small" type={mine ? 'primary' : 'link'} onClick={() => setOpen(r.id)} data-testid={`application-open-${r.id}`}>
                    {mine ? t('application.handle') : t('application.view')}
                  </Button>
                );
              },
            },
          ]}
        />
      </Card>
      <ApplicationDrawer id={openId} onClose={() => setOpen(null)} />
      <ApplyModal open={applyOpen} onClose={() => setApplyOpen(false)} onCreated={(a) => setOpen(a.id)} />
    </>
  );
}

function ApplicationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const qc = useQueryClient();
  const onError = useApiErrorHandler();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const detail = useQuery({
    queryKey: ['application', id],
    queryFn: () => api.get<Application>(`/api/applications/${id}`),
    enabled: !!id,
  });
  const a = detail.data;

  const refresh = (next: Application) => {
    qc.setQueryData(['application', next.id], next);
    void qc.invalidateQueries({ queryKey: ['applications'] });
    void qc.invalidateQueries({ queryKey: ['alliance'] });
    void qc.invalidateQueries({ queryKey: ['alliances'] });
    form.resetFields();
  };

  const decide = useMutation({
    mutationFn: (v: { step: Step; decision: 'pass' | 'fail'; comment?: string }) =>
      api.post<Application>(`/api/applications/${id}/${v.step}`, { decision: v.decision, comment: v.comment?.trim() || null }),
    onSuccess: (next) => {
      refresh(next);
      message.success(t('application.done'));
    },
    onError: (e) => onError(e, form),
  });
  const withdraw = useMutation({
    mutationFn: () => api.post<Application>(`/api/applications/${id}/withdraw`),
    onSuccess: (next) => {
      refresh(next);
      message.success(t('application.withdrawn'));
    },
    onError: (e) => onError(e),
  });

  const step = a ? myStep(me, a) : null;
  const act = async (decision: 'pass' | 'fail') => {
    if (!step) return;
    const comment = form.getFieldValue('comment') as string | undefined;
    if (decision === 'fail' && !comment?.trim()) {
      form.setFields([{ name: 'comment', errors: [t('application.commentRequired')] }]);
      return;
    }
    const go = () => decide.mutate({ step, decision, comment });
    if (decision === 'fail' || step === 'approve') {
      modal.confirm({
        title: decision === 'fail' ? t('application.confirmReject') : t('application.confirmApprove'),
        okText: decision === 'fail' ? t(`application.fail.${step}`) : t(`application.pass.${step}`),
        okButtonProps: { danger: decision === 'fail', 'data-testid': 'application-confirm-ok' } as never,
        cancelText: t('application.cancel'),
        onOk: go,
      });
    } else go();
  };

  const stepIndex = a ? (STEP_INDEX[a.status] ?? (a.decisions.length ? a.decisions.length - 1 : 0)) : 0;
  const ended = a && !OPEN.includes(a.status) && a.status !== 'approved';

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={screens.md ? 560 : '100%'}
      title={a ? `${a.schoolName} → ${a.allianceName}` : t('application.detail')}
      data-testid="application-drawer"
      destroyOnHidden
    >
      <QueryError error={detail.error} />
      {a && (
        <Flex vertical gap={16}>
          <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}>
            <Descriptions.Item label={t('application.school')}>
              <Link to={`/schools/${a.schoolId}`}>{a.schoolName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('application.alliance')}>
              <Link to={`/alliances/${a.allianceId}`}>{a.allianceName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('application.status')}>
              <span data-testid="application-status">
                <VocabTag vocab={APPLICATION_STATUS} code={a.status} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('application.createdAt')}>{fmtDateTime(a.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('application.reason')}>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{a.reason}</Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>

          <Steps
            size="small"
            direction={screens.sm ? 'horizontal' : 'vertical'}
            current={stepIndex}
            status={ended ? 'error' : a.status === 'approved' ? 'finish' : 'process'}
            items={(['submit', 'evaluate', 'recommend', 'approve'] as const).map((s) => ({ title: t(`application.steps.${s}`) }))}
          />

          {step ? (
            <Card size="small" title={t('application.yourStep', { step: t(`application.steps.${step}`) })} data-testid="application-actions">
              <Form form={form} layout="vertical">
                <Form.Item name="comment" label={t('application.comment')} style={{ marginBottom: 12 }}>
                  <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t('application.commentPlaceholder')} data-testid="application-comment" />
                </Form.Item>
              </Form>
              <Flex gap={8} wrap>
                <Button type="primary" icon={<CheckOutlined />} loading={decide.isPending} onClick={() => act('pass')} data-testid="application-pass">
                  {t(`application.pass.${step}`)}
                </Button>
                <Button danger icon={<CloseOutlined />} disabled={decide.isPending} onClick={() => act('fail')} data-testid="application-fail">
                  {t(`application.fail.${step}`)}
                </Button>
              </Flex>
            </Card>
          ) : (
            OPEN.includes(a.status) && <Alert type="info" showIcon message={t('application.waitingFor', { who: t(`application.who.${a.status}`) })} />
          )}

          {canWithdraw(me, a) && (
            <div>
              <Button
                icon={<RollbackOutlined />}
                loading={withdraw.isPending}
                data-testid="application-withdraw"
                onClick={() =>
                  modal.confirm({
                    title: t('application.confirmWithdraw'),
                    okText: t('application.withdraw'),
                    okButtonProps: { danger: true, 'data-testid': 'application-confirm-ok' } as never,
                    cancelText: t('application.cancel'),
                    onOk: () => withdraw.mutate(),
                  })
                }
              >
                {t('application.withdraw')}
              </Button>
            </div>
          )}

          <div>
            <Typography.Title level={5}>{t('application.history')}</Typography.Title>
            {a.decisions.length === 0 ? (
              <Typography.Text type="secondary">{t('application.noHistory')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="application-history"
                items={a.decisions.map((d) => ({
                  color: d.step === 'reject' || d.decision === 'fail' ? 'red' : d.step === 'withdraw' ? 'gray' : 'green',
                  children: (
                    <div className="xl-decision">
                      <Flex gap={8} wrap align="center">
                        <Typography.Text strong>{t(`application.steps.${d.step}`, d.step)}</Typography.Text>
                        {d.step !== 'submit' && d.step !== 'withdraw' && (
                          <Tag color={d.decision === 'pass' ? 'success' : 'error'}>{t(`application.decision.${d.decision}`, d.decision)}</Tag>
                        )}
                      </Flex>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {d.actorName ?? '—'} · {fmtDateTime(d.at)}
                      </Typography.Text>
                      {d.comment && <div style={{ whiteSpace: 'pre-wrap', marginTop: 2 }}>{d.comment}</div>}
                    </div>
                  ),
                }))}
              />
            )}
          </div>
        </Flex>
      )}
    </Drawer>
  );
}

function ApplyModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (a: Application) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<{ schoolId: string; allianceId: string; reason: string }>();
  const mySchools = me.grants.filter((g) => g.role === 'school_admin' && g.scopeId);
  const admin = isPlatformAdmin(me);
  const create = useMutation({
    mutationFn: (v: { schoolId: string; allianceId: string; reason: string }) => api.post<Application>('/api/applications', v),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: ['applications'] });
      message.success(t('application.applied'));
      form.resetFields();
      onClose();
      onCreated(a);
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('application.apply')}
      onCancel={onClose}
      okText={t('application.submit')}
      cancelText={t('application.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'application-submit' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ schoolId: mySchools.length === 1 ? mySchools[0]!.scopeId : undefined }}
        onFinish={(v) => create.mutate({ ...v, reason: v.reason.trim() })}
      >
        <Form.Item name="schoolId" label={t('application.school')} rules={[{ required: true, message: t('application.schoolRequired') }]}>
          {admin && mySchools.length === 0 ? (
            <SchoolSelect placeholder={t('application.pickSchool')} />
          ) : (
            <Select
              placeholder={t('application.pickSchool')}
              options={mySchools.map((g) => ({ value: g.scopeId!, label: g.scopeName ?? g.scopeId! }))}
              data-testid="application-school"
            />
          )}
        </Form.Item>
        <Form.Item name="allianceId" label={t('application.alliance')} rules={[{ required: true, message: t('application.allianceRequired') }]}>
          <AllianceSelect placeholder={t('application.pickAlliance')} data-testid="application-alliance" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('application.reason')}
          rules={[{ required: true, whitespace: true, min: 5, message: t('application.reasonRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={1000} showCount placeholder={t('application.reasonPlaceholder')} data-testid="application-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
