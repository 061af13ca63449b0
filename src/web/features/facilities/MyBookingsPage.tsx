import { useState } from 'react';
import { App, Button, Card, Col, Input, List, Popconfirm, Row, Segmented, Space, Tag, Typography } from 'antd';
import { CopyOutlined, LinkOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { BOOKING_STATUSES, FACILITY_TYPES } from '../../../common/facilities';
import { useMe } from '../../app/auth';
import { dayjs, fmtDateTime, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { useBookingAction, useBookings, useCalendarLink, type Booking } from './api';
import { addDaysW, localIso, mondayOf, WeekCalendar } from './WeekCalendar';
import { CalendarLinks } from './CalendarLinks';

export const STATUS_COLORS: Record<string, string> = {
  pending: 'gold',
  accepted: 'blue',
  checked_in: 'green',
  rejected: 'red',
  cancelled: 'default',
  no_show: 'volcano',
};

export function BookingLine({ b, actions }: { b: Booking; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  return (
    <List.Item actions={actions ? [actions] : undefined} data-testid="booking-row" data-status={b.status} data-id={b.id}>
      <List.Item.Meta
        title={
          <Space wrap size={4}>
            <Link to={`/facilities/${b.facilityId}`}>{b.facilityName}</Link>
            <Tag color={STATUS_COLORS[b.status]} data-testid="booking-status">
              {label(BOOKING_STATUSES, b.status)}
            </Tag>
            {b.chargeAmount > 0 && !['cancelled', 'rejected'].includes(b.status) && <Tag color="purple">{`${t('booking.charge')} ${b.chargeAmount}`}</Tag>}
          </Space>
        }
        description={
          <>
            <div>
              {`${fmtDateTime(b.start)}–${dayjs(b.end).tz(TZ).format('HH:mm')}`} · {label(FACILITY_TYPES, b.facilityType)}
            </div>
            <div>
              {b.purpose} · {b.groupSize} 人 · {b.responsibleTeacher}
              {b.bookerName !== b.responsibleTeacher ? `（${b.bookerName}）` : ''}
            </div>
            {b.decisionReason && <Typography.Text type="danger">{b.decisionReason}</Typography.Text>}
          </>
        }
      />
    </List.Item>
  );
}

export default function MyBookingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [when, setWhen] = useState<'upcoming' | 'past' | 'all'>('upcoming');
  const [week, setWeek] = useState(() => mondayOf(dayjs().tz(TZ).format('YYYY-MM-DD')));
  // fixed for the page's life: a fresh instant on every render would change the query key and refetch forever
  const [now] = useState(() => dayjs().toISOString());
  const range = when === 'upcoming' ? { from: now } : when === 'past' ? { to: now } : {};
  const list = useBookings({ scope: 'mine', ...range, pageSize: 200 });
  const weekList = useBookings({ scope: 'mine', from: localIso(week), to: localIso(addDaysW(week, 7)), pageSize: 200 });
  const action = useBookingAction();
  const ical = useCalendarLink();
  const [feed, setFeed] = useState<string | null>(null);

  const items = [...(list.data?.items ?? [])].sort((a, b) => (when === 'past' ? b.start.localeCompare(a.start) : a.start.localeCompare(b.start)));
  const cancellable = (b: Booking) => ['pending', 'accepted'].includes(b.status) && b.start > now;

  return (
    <>
      <PageHeader
        title={t('menu.bookings')}
        extra={
          <Button
            icon={<LinkOutlined />}
            loading={ical.isPending}
            onClick={() => ical.mutate({ kind: 'teacher', id: me.user.id }, { onSuccess: (r) => setFeed(r.url), onError: (e) => onError(e) })}
            data-testid="ical-link"
          >
            {t('booking.ical')}
          </Button>
        }
      />
      {feed && (
        <Card variant="borderless" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('booking.icalHelp')}
          </Typography.Paragraph>
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={feed} data-testid="ical-url" />
            <Button icon={<CopyOutlined />} onClick={() => navigator.clipboard?.writeText(feed).then(() => message.success(t('booking.icalCopied')))}>
              {t('booking.icalCopy')}
            </Button>
          </Space.Compact>
        </Card>
      )}
      <CalendarLinks />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}>
          <Card
            variant="borderless"
            title={t('booking.list')}
            extra={
              <Segmented
                size="small"
                value={when}
                onChange={(v) => setWhen(v as typeof when)}
                options={[
                  { value: 'upcoming', label: t('booking.upcoming') },
                  { value: 'past', label: t('booking.past') },
                  { value: 'all', label: t('booking.all') },
                ]}
              />
            }
          >
            <QueryError error={list.error} />
            <List
              loading={list.isLoading}
              dataSource={items}
              data-testid="my-bookings"
              pagination={items.length > 20 ? { pageSize: 20, size: 'small' } : false}
              renderItem={(b) => (
                <BookingLine
                  b={b}
                  actions={
                    cancellable(b) && (
                      <Popconfirm
                        title={t('booking.cancel')}
                        description={<div style={{ maxWidth: 260 }}>{t('booking.cancelConfirm', { h: 24 })}</div>}
                        onConfirm={() =>
                          action
                            .mutateAsync({ id: b.id, action: 'cancel' })
                            .then(() => message.success(t('booking.cancelled')))
                            .catch(onError)
                        }
                      >
                        <Button size="small" danger data-testid="booking-cancel">
                          {t('booking.cancel')}
                        </Button>
                      </Popconfirm>
                    )
                  }
                />
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card variant="borderless" title={t('booking.calendar')}>
            <WeekCalendar
              testId="my-week"
              weekStart={week}
              onWeek={setWeek}
              events={(weekList.data?.items ?? [])
                .filter((b) => ['pending', 'accepted', 'checked_in'].includes(b.status))
                .map((b) => ({ id: b.id, start: b.start, end: b.end, kind: b.status === 'pending' ? 'pending' : 'mine', title: b.facilityName }))}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
