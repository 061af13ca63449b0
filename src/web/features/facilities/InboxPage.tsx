import { useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, List, Modal, Row, Space } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { dayjs, TZ } from '../../app/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import { useBookingAction, useBookings, useInbox, type Booking } from './api';
import { BookingLine } from './MyBookingsPage';

export default function InboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const inbox = useInbox();
  const action = useBookingAction();
  const [rejecting, setRejecting] = useState<Booking | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const [day] = useState(() => dayjs().tz(TZ).startOf('day'));
  const schoolId = me.user.schoolId;
  const today = useBookings({ scope: 'school', from: day.toISOString(), to: day.add(1, 'day').toISOString(), pageSize: 200 }, !!schoolId);
  const here = (today.data?.items ?? []).filter((b) => b.hostSchoolId === schoolId && ['accepted', 'checked_in', 'no_show'].includes(b.status));
  const items = inbox.data?.items ?? [];
  const run = (b: Booking, act: 'approve' | 'check-in' | 'no-show', done: string) =>
    action
      .mutateAsync({ id: b.id, action: act })
      .then(() => message.success(done))
      .catch(onError);

  return (
    <>
      <PageHeader title={t('menu.inbox')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card variant="borderless" title={`${t('booking.inbox')}（${items.length}）`}>
            <QueryError error={inbox.error} />
            <List
              loading={inbox.isLoading}
              dataSource={items}
              data-testid="inbox-list"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('booking.inboxEmpty')} /> }}
              pagination={items.length > 50 ? { pageSize: 50, size: 'small' } : false}
              renderItem={(b) => (
                <BookingLine
                  b={b}
                  actions={
                    <Space wrap>
                      <Button
                        size="small"
                        type="primary"
                        icon={<CheckOutlined />}
                        onClick={() => run(b, 'approve', t('booking.approved'))}
                        data-testid="inbox-approve"
                      >
                        {t('booking.approve')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        icon={<CloseOutlined />}
                        onClick={() => {
                          form.resetFields();
                          setRejecting(b);
                        }}
                        data-testid="inbox-reject"
                      >
                        {t('booking.reject')}
                      </Button>
                    </Space>
                  }
                />
              )}
            />
          </Card>
        </Col>
        {schoolId && (
          <Col xs={24} xl={10}>
            <Card variant="borderless" title={t('booking.today')}>
              <QueryError error={today.error} />
              <List
                loading={today.isLoading}
                dataSource={here}
                data-testid="today-list"
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                renderItem={(b) => (
                  <BookingLine
                    b={b}
                    actions={
                      b.status === 'accepted' && (
                        <Space wrap>
                          <Button size="small" onClick={() => run(b, 'check-in', t('booking.checkedIn'))} data-testid="today-checkin">
                            {t('booking.checkIn')}
                          </Button>
                          <Button size="small" danger onClick={() => run(b, 'no-show', t('booking.markedNoShow'))} data-testid="today-noshow">
                            {t('booking.noShow')}
                          </Button>
                        </Space>
                      )
                    }
                  />
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
      <Modal
        open={!!rejecting}
        title={t('booking.reject')}
        onCancel={() => setRejecting(null)}
        okButtonProps={withTestId('inbox-reject-ok', { danger: true })}
        confirmLoading={action.isPending}
        onOk={async () => {
          const { reason } = await form.validateFields();
          await action
            .mutateAsync({ id: rejecting!.id, action: 'reject', reason })
            .then(() => {
              message.success(t('booking.rejected'));
              setRejecting(null);
            })
            .catch((e) => onError(e, form));
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('booking.rejectReason')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.TextArea rows={3} maxLength={200} placeholder={t('booking.rejectReasonPh')} data-testid="inbox-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
