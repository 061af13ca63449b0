import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Switch, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LOCATIONS, SCHOOL_TAGS } from '../../../../common/vocab';
import { fmtDate } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { withTestId } from '../../../components/testid';
import { VocabTags } from '../../../components/VocabTag';
import type { AllianceDetail, AllianceMember } from '../../../types';
import { allianceApi, useAllianceMutation } from '../api';

function ExitModal({ a, m, onClose }: { a: AllianceDetail; m: AllianceMember; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const exit = useAllianceMutation((reason: string) => allianceApi.exitMember(a.id, m.schoolId, reason));
  return (
    <Modal
      open
      title={t('member.exitTitle', { name: m.schoolName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('member.exitConfirm')}
      okButtonProps={withTestId('member-exit-confirm', { danger: true })}
      confirmLoading={exit.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('member.exitHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { reason: string }) =>
          exit.mutate(v.reason.trim(), {
            onSuccess: () => {
              message.success(t('member.exited'));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item
          name="reason"
          label={t('member.exitReason')}
          rules={[
            { required: true, whitespace: true, message: t('member.reasonRequired') },
            { min: 5, message: t('common.minChars', { n: 5 }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount data-testid="member-exit-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MembersTab({ a, canManage }: { a: AllianceDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const [showExited, setShowExited] = useState(false);
  const [exiting, setExiting] = useState<AllianceMember | null>(null);
  const rows = a.members
    .filter((m) => showExited || m.status !== 'exited')
    .sort((x, y) => (x.role === 'core' ? -1 : y.role === 'core' ? 1 : x.schoolName.localeCompare(y.schoolName, 'zh-CN')));
  return (
    <Card
      variant="borderless"
      size="small"
      extra={
        <span>
          <Switch size="small" checked={showExited} onChange={setShowExited} /> <span style={{ marginLeft: 6 }}>{t('member.showExited')}</span>
        </span>
      }
    >
      <Table<AllianceMember>
        data-testid="members-table"
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 900 }}
        onRow={(r) => ({ 'data-testid': `member-row-${r.schoolId}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('school.name'), dataIndex: 'schoolName', render: (n: string, r) => <Link to={`/schools/${r.schoolId}`}>{n}</Link> },
          {
            title: t('alliance.memberRole'),
            dataIndex: 'role',
            width: 100,
            render: (r: string) => <Tag color={r === 'core' ? 'gold' : 'blue'}>{t(`memberRole.${r}`, { defaultValue: r })}</Tag>,
          },
          { title: t('school.location'), dataIndex: 'location', width: 80, render: (c: string) => label(LOCATIONS, c) },
          { title: t('school.tags'), dataIndex: 'tags', render: (c: string[]) => <VocabTags vocab={SCHOOL_TAGS} codes={c} /> },
          { title: t('member.joinedOn'), dataIndex: 'joinedOn', width: 110, render: fmtDate },
          {
            title: t('member.status'),
            dataIndex: 'status',
            width: 180,
            render: (s: string, r) =>
              s === 'exited' ? (
                <span>
                  <Tag>{t('memberStatus.exited')}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtDate(r.exitedOn)} {r.exitReason}
                  </Typography.Text>
                </span>
              ) : (
                <Tag color="green">{t(`memberStatus.${s}`, { defaultValue: s })}</Tag>
              ),
          },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  fixed: 'right' as const,
                  render: (_: unknown, r: AllianceMember) =>
                    r.status !== 'exited' && r.role !== 'core' ? (
                      <Button type="link" danger size="small" onClick={() => setExiting(r)} data-testid={`member-exit-${r.schoolId}`}>
                        {t('member.exit')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {exiting && <ExitModal a={a} m={exiting} onClose={() => setExiting(null)} />}
    </Card>
  );
}
