import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, ASSESSMENT_RESULTS, PHASES } from '../../../../common/vocab';
import { dayjs, fmtDate, todayStr } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, Assessment } from '../../../types';
import { allianceApi, compact, useAllianceMutation, type AssessmentInput } from '../api';

/** The last day of a phase (the API gives the exclusive end). */
const lastDay = (endOn: string) => dayjs(endOn).subtract(1, 'day').format('YYYY-MM-DD');

function CycleSteps({ a }: { a: AllianceDetail }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const phases = a.cycle.phases;
  const today = todayStr();
  if (phases.length === 0) return <Typography.Text type="secondary">{t('alliance.noCycle')}</Typography.Text>;
  const idx = a.cycle.current ? phases.findIndex((p) => p.phase === a.cycle.current) : today >= phases[phases.length - 1]!.endOn ? phases.length : -1;
  return (
    <>
      <Steps
        data-testid="cycle-steps"
        current={Math.max(idx, 0)}
        status={idx < 0 ? 'wait' : idx >= phases.length ? 'finish' : 'process'}
        responsive
        items={phases.map((p, i) => ({
          title: (
            <span>
              {label(PHASES, p.phase)}
              {i === idx && (
                <Tag color="blue" style={{ marginLeft: 6 }}>
                  {t('alliance.currentPhase')}
                </Tag>
              )}
            </span>
          ),
          description: (
            <div>
              <div>
                <span className="xl-nowrap">{fmtDate(p.startOn)}</span> ~ <span className="xl-nowrap">{lastDay(p.endOn)}</span>
              </div>
              {(() => {
                const ms = a.milestones.filter((m) => m.phase === p.phase);
                return ms.length > 0 ? (
                  <div style={{ fontSize: 12 }}>{t('alliance.phaseMilestones', { done: ms.filter((m) => m.doneOn).length, total: ms.length })}</div>
                ) : null;
              })()}
            </div>
          ),
          status: idx < 0 ? 'wait' : i < idx ? 'finish' : i === idx ? 'process' : 'wait',
        }))}
      />
      {idx < 0 && <Alert style={{ marginTop: 12 }} type="info" showIcon message={t('alliance.cycleNotStarted', { date: fmtDate(phases[0]!.startOn) })} />}
      {idx >= phases.length && <Alert style={{ marginTop: 12 }} type="success" showIcon message={t('alliance.cycleFinished')} />}
    </>
  );
}

function AssessmentModal({ a, onClose }: { a: AllianceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const add = useAllianceMutation((b: AssessmentInput) => allianceApi.addAssessment(a.id, b));
  return (
    <Modal open title={t('assessment.add')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={add.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ assessedOn: dayjs() }}
        onFinish={(v) =>
          add.mutate(compact({ ...v, assessedOn: v.assessedOn.format('YYYY-MM-DD'), comment: v.comment?.trim() }), {
            onSuccess: () => {
              message.success(t('common.saved'));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item name="assessedOn" label={t('assessment.assessedOn')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="score" label={t('assessment.score')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={0} max={100} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="result" label={t('assessment.result')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={options(ASSESSMENT_RESULTS)} />
        </Form.Item>
        <Form.Item name="comment" label={t('assessment.comment')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function OverviewTab({ a, canAssess }: { a: AllianceDetail; canAssess: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const [assessing, setAssessing] = useState(false);
  const active = a.members.filter((m) => m.status !== 'exited');
  const n = active.filter((m) => m.role !== 'core').length;
  const r = a.reassessment;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card variant="borderless" title={t('alliance.basics')} size="small" style={{ height: '100%' }}>
          <Descriptions column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small" data-testid="alliance-basics">
            <Descriptions.Item label={t('alliance.kind')}>
              <VocabTag vocab={ALLIANCE_KINDS} code={a.kind} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alliance.pattern')}>{label(ALLIANCE_PATTERNS, a.pattern)}</Descriptions.Item>
            <Descriptions.Item label={t('common.region')}>{a.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('alliance.status')}>{t(`allianceStatus.${a.status}`, { defaultValue: a.status })}</Descriptions.Item>
            <Descriptions.Item label={t('alliance.coreSchool')}>
              {a.coreSchool ? <Link to={`/schools/${a.coreSchool.id}`}>{a.coreSchool.name}</Link> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('alliance.foundedOn')}>{fmtDate(a.foundedOn)}</Descriptions.Item>
            <Descriptions.Item label={t('alliance.cycleStartOn')}>{fmtDate(a.cycleStartOn)}</Descriptions.Item>
            <Descriptions.Item label={t('alliance.description')} span={{ xs: 1, sm: 2 }}>
              <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 4, expandable: true }}>
                {a.description || '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card variant="borderless" title={t('alliance.oneNXTitle')} size="small" style={{ height: '100%' }}>
          <Row gutter={8} data-testid="one-n-x">
            <Col span={8}>
              <Statistic title={t('alliance.coreCount')} value={a.coreSchool ? 1 : 0} />
            </Col>
            <Col span={8}>
              <Statistic title={t('alliance.memberCount')} value={n} />
            </Col>
            <Col span={8}>
              <Statistic title={t('alliance.partnerCount')} value={a.partners.length} />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('alliance.oneNXHelp')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24}>
        <Card variant="borderless" title={t('alliance.cycle')} size="small">
          <CycleSteps a={a} />
        </Card>
      </Col>
      <Col xs={24}>
        <Card
          variant="borderless"
          title={t('alliance.reassessment')}
          size="small"
          extra={
            canAssess && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setAssessing(true)} data-testid="assessment-add">
                {t('assessment.add')}
              </Button>
            )
          }
        >
          <Descriptions column={{ xs: 1, sm: 3, md: 3, lg: 3, xl: 3, xxl: 3 }} size="small" data-testid="reassessment">
            <Descriptions.Item label={t('alliance.lastAssessedOn')}>
              {r.lastAssessedOn ? fmtDate(r.lastAssessedOn) : t('alliance.neverAssessed')}
            </Descriptions.Item>
            <Descriptions.Item label={t('alliance.dueOn')}>{fmtDate(r.dueOn)}</Descriptions.Item>
            <Descriptions.Item label={t('alliance.status')}>
              {r.overdue ? <Tag color="red">{t('alliance.overdue')}</Tag> : <Tag color="green">{t('alliance.notDue')}</Tag>}
              {r.weak && <Tag color="volcano">{t('alliance.weak')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <Table<Assessment>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={[...a.assessments].sort((x, y) => y.assessedOn.localeCompare(x.assessedOn))}
            locale={{ emptyText: t('assessment.none') }}
            scroll={{ x: 500 }}
            columns={[
              { title: t('assessment.assessedOn'), dataIndex: 'assessedOn', width: 120, render: fmtDate },
              { title: t('assessment.score'), dataIndex: 'score', width: 80, align: 'right' },
              { title: t('assessment.result'), dataIndex: 'result', width: 100, render: (c: string) => <VocabTag vocab={ASSESSMENT_RESULTS} code={c} /> },
              { title: t('assessment.comment'), dataIndex: 'comment', render: (c: string | null) => c || '—' },
            ]}
          />
        </Card>
      </Col>
      {assessing && <AssessmentModal a={a} onClose={() => setAssessing(false)} />}
    </Row>
  );
}
