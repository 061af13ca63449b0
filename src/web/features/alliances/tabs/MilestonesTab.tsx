import { useState } from 'react';
import { App, Button, Card, DatePicker, Empty, Form, Input, Modal, Popconfirm, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PHASES } from '../../../../common/vocab';
import { dayjs, fmtDate, todayStr } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { withTestId } from '../../../components/testid';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, Milestone } from '../../../types';
import { allianceApi, useAllianceMutation, type MilestoneInput } from '../api';

function AddMilestoneModal({ a, onClose }: { a: AllianceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const add = useAllianceMutation((b: MilestoneInput) => allianceApi.addMilestone(a.id, b));
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open
      title={t('milestone.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={withTestId('milestone-save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ phase: a.cycle.current ?? 'preparation' }}
        onFinish={(v) =>
          add.mutate(
            { phase: v.phase, title: v.title.trim(), dueOn: v.dueOn.format('YYYY-MM-DD') },
            {
              onSuccess: () => {
                message.success(t('common.saved'));
                onClose();
              },
              onError: (e) => onError(e, form),
            },
          )
        }
      >
        <Form.Item name="phase" label={t('milestone.phase')} rules={req}>
          <Select options={options(PHASES)} />
        </Form.Item>
        <Form.Item name="title" label={t('milestone.title')} rules={[...req, { min: 2, message: t('common.minChars', { n: 2 }) }]}>
          <Input maxLength={100} data-testid="milestone-title" />
        </Form.Item>
        <Form.Item name="dueOn" label={t('milestone.dueOn')} rules={req}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DoneModal({ m, onClose }: { m: Milestone; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const done = useAllianceMutation((doneOn: string) => allianceApi.setMilestoneDone(m.id, doneOn));
  return (
    <Modal
      open
      title={t('milestone.markDoneTitle', { title: m.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={done.isPending}
      okButtonProps={withTestId('milestone-done-save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ doneOn: dayjs() }}
        onFinish={(v) =>
          done.mutate(v.doneOn.format('YYYY-MM-DD'), {
            onSuccess: () => {
              message.success(t('common.saved'));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item name="doneOn" label={t('milestone.doneOn')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StatusTag({ m }: { m: Milestone }) {
  const { t } = useTranslation();
  const today = todayStr();
  if (m.doneOn) return <Tag color={m.doneOn > m.dueOn ? 'orange' : 'green'}>{m.doneOn > m.dueOn ? t('milestone.doneLate') : t('milestone.done')}</Tag>;
  if (m.dueOn < today) return <Tag color="red">{t('milestone.overdue')}</Tag>;
  return <Tag color="blue">{t('milestone.pending')}</Tag>;
}

export function MilestonesTab({ a, canManage }: { a: AllianceDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const [adding, setAdding] = useState(false);
  const [marking, setMarking] = useState<Milestone | null>(null);
  const reopen = useAllianceMutation((id: string) => allianceApi.setMilestoneDone(id, null));
  const onError = useApiErrorHandler();
  const phaseOrder = PHASES.codes as readonly string[];
  const rows = [...a.milestones].sort((x, y) => phaseOrder.indexOf(x.phase) - phaseOrder.indexOf(y.phase) || x.dueOn.localeCompare(y.dueOn));
  const doneCount = rows.filter((m) => m.doneOn).length;
  const phaseRange = (p: string) => {
    const r = a.cycle.phases.find((x) => x.phase === p);
    return r ? `${fmtDate(r.startOn)} ~ ${dayjs(r.endOn).subtract(1, 'day').format('YYYY-MM-DD')}` : '';
  };

  return (
    <Card
      variant="borderless"
      size="small"
      title={
        <Space wrap size={12} style={{ fontWeight: 'normal' }}>
          <span>{t('milestone.progress', { done: doneCount, total: rows.length })}</span>
          <Progress percent={rows.length ? Math.round((doneCount / rows.length) * 100) : 0} size="small" style={{ width: 140, margin: 0 }} />
        </Space>
      }
      extra={
        canManage && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="milestone-add">
            {t('milestone.add')}
          </Button>
        )
      }
    >
      {rows.length === 0 ? (
        <Empty description={t('milestone.none')} />
      ) : (
        <Table<Milestone>
          data-testid="milestones-table"
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 720 }}
          columns={[
            {
              title: t('milestone.phase'),
              dataIndex: 'phase',
              width: 110,
              onCell: (r, i) => {
                const first = i === 0 || rows[(i ?? 0) - 1]?.phase !== r.phase;
                return { rowSpan: first ? rows.filter((x) => x.phase === r.phase).length : 0 };
              },
              render: (p: string) => (
                <div>
                  <VocabTag vocab={PHASES} code={p} />
                  {a.cycle.current === p && <div style={{ fontSize: 12, color: '#1f5fae', marginTop: 4 }}>{t('alliance.currentPhase')}</div>}
                  <div style={{ fontSize: 11, color: 'rgba(0,0,0,.45)', marginTop: 4 }} title={label(PHASES, p)}>
                    {phaseRange(p)}
                  </div>
                </div>
              ),
            },
            { title: t('milestone.title'), dataIndex: 'title' },
            { title: t('milestone.dueOn'), dataIndex: 'dueOn', width: 110, render: fmtDate },
            { title: t('milestone.doneOn'), dataIndex: 'doneOn', width: 110, render: (v: string | null) => (v ? fmtDate(v) : '—') },
            { title: t('milestone.status'), key: 's', width: 100, render: (_: unknown, m) => <StatusTag m={m} /> },
            ...(canManage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'a',
                    width: 110,
                    render: (_: unknown, m: Milestone) =>
                      m.doneOn ? (
                        <Popconfirm
                          title={t('milestone.reopenConfirm')}
                          onConfirm={() => reopen.mutateAsync(m.id).catch((e) => onError(e))}
                          okText={t('common.ok')}
                          cancelText={t('common.cancel')}
                        >
                          <Button type="link" size="small" icon={<UndoOutlined />} data-testid={`milestone-reopen-${m.id}`}>
                            {t('milestone.reopen')}
                          </Button>
                        </Popconfirm>
                      ) : (
                        <Button type="link" size="small" icon={<CheckOutlined />} onClick={() => setMarking(m)} data-testid={`milestone-done-${m.id}`}>
                          {t('milestone.markDone')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
        {t('milestone.help')}
      </Typography.Paragraph>
      {adding && <AddMilestoneModal a={a} onClose={() => setAdding(false)} />}
      {marking && <DoneModal m={marking} onClose={() => setMarking(null)} />}
    </Card>
  );
}
