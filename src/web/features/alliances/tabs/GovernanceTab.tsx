import { useState } from 'react';
import { App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { BODY_KINDS, SUBJECTS } from '../../../../common/vocab';
import { fmtDate, todayStr } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { withTestId } from '../../../components/testid';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, BodyMember, GovernanceBody } from '../../../types';
import { allianceApi, compact, useAllianceMutation, type BodyInput } from '../api';

/** Order in which bodies are shown: council first, subject groups last. */
const ORDER = BODY_KINDS.terms.map((k) => k.code as string);

function memberSchoolOptions(a: AllianceDetail) {
  return a.members.filter((m) => m.status !== 'exited').map((m) => ({ value: m.schoolId, label: m.schoolName }));
}

function AddBodyModal({ a, onClose }: { a: AllianceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const kind = Form.useWatch('kind', form);
  const add = useAllianceMutation((b: BodyInput) => allianceApi.addBody(a.id, b));
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open
      title={t('governance.addBody')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={withTestId('body-save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          add.mutate(
            compact({ kind: v.kind, name: v.name?.trim(), subject: v.kind === 'subject_group' ? v.subject : undefined, hostSchoolId: v.hostSchoolId }),
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
        <Form.Item name="kind" label={t('governance.kind')} rules={req}>
          <Select
            options={options(BODY_KINDS)}
            onChange={(k: string) => {
              if (!form.getFieldValue('name')) form.setFieldValue('name', BODY_KINDS.terms.find((x) => x.code === k)?.zh);
            }}
          />
        </Form.Item>
        <Form.Item name="name" label={t('governance.name')} rules={[...req, { min: 2, message: t('common.minChars', { n: 2 }) }]}>
          <Input maxLength={60} />
        </Form.Item>
        {kind === 'subject_group' && (
          <Form.Item name="subject" label={t('governance.subject')} rules={req}>
            <Select showSearch optionFilterProp="label" options={options(SUBJECTS)} />
          </Form.Item>
        )}
        <Form.Item name="hostSchoolId" label={t('governance.hostSchool')} extra={t('governance.hostSchoolHelp')}>
          <Select allowClear options={memberSchoolOptions(a)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddMemberModal({ a, body, onClose }: { a: AllianceDetail; body: GovernanceBody; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const add = useAllianceMutation((b: { personName: string; position: string; termStart: string; termEnd?: string; schoolId?: string }) =>
    allianceApi.addBodyMember(body.id, b),
  );
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open
      title={t('governance.addMemberTo', { name: body.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={withTestId('body-member-save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          add.mutate(
            compact({
              personName: v.personName?.trim(),
              position: v.position?.trim(),
              schoolId: v.schoolId,
              termStart: v.termStart.format('YYYY-MM-DD'),
              termEnd: v.termEnd?.format('YYYY-MM-DD'),
            }),
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
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="personName" label={t('governance.personName')} rules={[...req, { min: 2, message: t('common.minChars', { n: 2 }) }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="position" label={t('governance.position')} rules={req} extra={t('governance.positionHelp')}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="schoolId" label={t('governance.school')}>
              <Select allowClear options={memberSchoolOptions(a)} placeholder={t('governance.schoolNone')} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="termStart" label={t('governance.termStart')} rules={req}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item
              name="termEnd"
              label={t('governance.termEnd')}
              dependencies={['termStart']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v) => {
                    const s = getFieldValue('termStart');
                    return !v || !s || !v.isBefore(s, 'day') ? Promise.resolve() : Promise.reject(new Error(t('governance.termEndBeforeStart')));
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function TermTag({ m }: { m: BodyMember }) {
  const { t } = useTranslation();
  const today = todayStr();
  if (m.termStart && m.termStart > today) return <Tag color="blue">{t('governance.termFuture')}</Tag>;
  if (m.termEnd && m.termEnd < today) return <Tag>{t('governance.termEnded')}</Tag>;
  return <Tag color="green">{t('governance.termActive')}</Tag>;
}

function BodyCard({ body, canManage, onAddMember }: { body: GovernanceBody; canManage: boolean; onAddMember: () => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  return (
    <Card
      size="small"
      variant="borderless"
      data-testid={`body-${body.id}`}
      title={
        <span style={{ whiteSpace: 'normal' }}>
          <VocabTag vocab={BODY_KINDS} code={body.kind} color="geekblue" />
          {body.name}
        </span>
      }
      extra={
        canManage && (
          <Button size="small" type="link" icon={<UserAddOutlined />} onClick={onAddMember} data-testid={`body-add-member-${body.id}`}>
            {t('governance.addMember')}
          </Button>
        )
      }
    >
      {(body.subject || body.hostSchool) && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {body.subject && (
            <span style={{ marginRight: 16 }}>
              {t('governance.subject')}
              {t('common.colon')}
              {label(SUBJECTS, body.subject)}
            </span>
          )}
          {body.hostSchool && (
            <span>
              {t('governance.hostSchool')}
              {t('common.colon')}
              <Link to={`/schools/${body.hostSchool.id}`}>{body.hostSchool.name}</Link>
            </span>
          )}
        </Typography.Paragraph>
      )}
      <Table<BodyMember>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={body.members}
        scroll={{ x: 620 }}
        locale={{ emptyText: t('governance.noMembers') }}
        columns={[
          { title: t('governance.personName'), dataIndex: 'personName', width: 90, className: 'xl-nowrap' },
          { title: t('governance.position'), dataIndex: 'position', width: 110 },
          { title: t('governance.school'), dataIndex: 'schoolName', render: (v: string | null) => v || '—' },
          {
            title: t('governance.term'),
            key: 'term',
            width: 200,
            className: 'xl-nowrap',
            render: (_: unknown, m) => `${fmtDate(m.termStart)} ~ ${m.termEnd ? fmtDate(m.termEnd) : t('governance.open')}`,
          },
          { title: t('governance.termStatus'), key: 'st', width: 80, render: (_: unknown, m) => <TermTag m={m} /> },
        ]}
      />
    </Card>
  );
}

export function GovernanceTab({ a, canManage }: { a: AllianceDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const [addingBody, setAddingBody] = useState(false);
  const [addingTo, setAddingTo] = useState<GovernanceBody | null>(null);
  const bodies = [...a.bodies].sort((x, y) => ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) || x.name.localeCompare(y.name, 'zh-CN'));
  return (
    <div data-testid="governance">
      {canManage && (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setAddingBody(true)} data-testid="body-add">
            {t('governance.addBody')}
          </Button>
        </div>
      )}
      {bodies.length === 0 ? (
        <Card variant="borderless">
          <Empty description={t('governance.none')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {bodies.map((b) => (
            <Col xs={24} xxl={12} key={b.id}>
              <BodyCard body={b} canManage={canManage} onAddMember={() => setAddingTo(b)} />
            </Col>
          ))}
        </Row>
      )}
      {addingBody && <AddBodyModal a={a} onClose={() => setAddingBody(false)} />}
      {addingTo && <AddMemberModal a={a} body={addingTo} onClose={() => setAddingTo(null)} />}
    </div>
  );
}
