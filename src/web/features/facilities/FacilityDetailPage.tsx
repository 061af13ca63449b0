import { useState } from 'react';
import { Button, Card, Col, Descriptions, Row, Skeleton, Table, Tag, Typography } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { BOOKING_POLICIES, CLOSURE_KINDS, EQUIPMENT_STATUSES, EQUIPMENT_USAGE, FACILITY_TYPES } from '../../../common/facilities';
import { SUBJECTS } from '../../../common/vocab';
import { useMe } from '../../app/auth';
import { dayjs, TZ } from '../../app/format';
import { canSee, may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useAvailability, useFacility } from './api';
import { BookingModal } from './BookingModal';
import { addDaysW, localIso, mondayOf, WeekCalendar } from './WeekCalendar';

export default function FacilityDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const { label } = useVocab();
  const q = useFacility(id);
  const f = q.data;
  const [week, setWeek] = useState(() => mondayOf(dayjs().tz(TZ).format('YYYY-MM-DD')));
  const avail = useAvailability(id, localIso(week), localIso(addDaysW(week, 7)));
  const [booking, setBooking] = useState(false);
  const canBook = canSee(me, 'facilities') && may(me, 'booking.create');
  const names = t('facility.weekdays').split(',');

  return (
    <>
      <PageHeader
        crumbs={[{ title: t('facility.find'), to: '/facilities' }, { title: f?.name ?? '…' }]}
        title={f?.name ?? t('facility.detail')}
        sub={f ? `${f.schoolName ?? f.partnerName ?? ''}${f.location ? ` · ${f.location}` : ''}` : undefined}
        extra={
          f &&
          canBook &&
          f.status === 'active' && (
            <Button type="primary" icon={<CalendarOutlined />} onClick={() => setBooking(true)} data-testid="book-open">
              {t('facility.book')}
            </Button>
          )
        }
      />
      <QueryError error={q.error} />
      {q.isLoading && <Skeleton active />}
      {f && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Card variant="borderless" title={t('facility.week')} data-testid="fac-week">
              <QueryError error={avail.error} />
              <WeekCalendar
                weekStart={week}
                onWeek={setWeek}
                openHours={avail.data?.openHours ?? f.openHours}
                closures={avail.data?.closures ?? f.closures}
                events={(avail.data?.busy ?? []).map((b) => ({
                  id: b.bookingId,
                  start: b.start,
                  end: b.end,
                  kind: b.mine ? 'mine' : b.status === 'pending' ? 'pending' : 'busy',
                }))}
              />
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <Card variant="borderless" title={t('facility.detail')}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('facility.type')}>
                  <Tag color="blue">{label(FACILITY_TYPES, f.type)}</Tag>
                  {f.subject && <Tag>{label(SUBJECTS, f.subject)}</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label={t('facility.owner')}>{f.schoolName ?? f.partnerName}</Descriptions.Item>
                <Descriptions.Item label={t('facility.capacity')}>{t('facility.capacityN', { n: f.capacity })}</Descriptions.Item>
                <Descriptions.Item label={t('facility.policy')}>
                  <Tag color={f.policy === 'auto' ? 'green' : 'orange'}>{label(BOOKING_POLICIES, f.policy)}</Tag>
                  {f.communityOpen && <Tag color="purple">{t('facility.community')}</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label={t('facility.openHours')}>
                  {f.openHours.length === 0 ? '—' : f.openHours.map((h) => `${names[h.weekday - 1]} ${h.open}–${h.close}`).join('；')}
                </Descriptions.Item>
                <Descriptions.Item label={t('facility.rules')}>
                  {t('facility.rulesText', {
                    min: f.minMinutes,
                    max: f.maxMinutes,
                    notice: f.minNoticeHours,
                    ahead: f.maxDaysAhead,
                    cancel: f.cancelDeadlineHours,
                  })}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            {f.photos.length > 0 && (
              <Card variant="borderless" title={t('facility.photos')} style={{ marginTop: 16 }}>
                <div style={{ display: 'flex', gap: 8, overflowX: 'auto' }}>
                  {f.photos.map((p) => (
                    <img key={p} src={p} alt={f.name} style={{ height: 120, borderRadius: 6 }} />
                  ))}
                </div>
              </Card>
            )}
          </Col>
          <Col xs={24} xl={15}>
            <Card variant="borderless" title={t('facility.equipment')}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={f.equipment}
                scroll={{ x: 480 }}
                columns={[
                  { title: t('facility.equipmentName'), dataIndex: 'name' },
                  { title: t('facility.quantity'), dataIndex: 'quantity', width: 80 },
                  { title: t('facility.usage'), dataIndex: 'usage', width: 120, render: (v: string) => label(EQUIPMENT_USAGE, v) },
                  {
                    title: t('facility.status'),
                    dataIndex: 'status',
                    width: 90,
                    render: (v: string) => <Tag color={v === 'available' ? 'green' : 'orange'}>{label(EQUIPMENT_STATUSES, v)}</Tag>,
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <Card variant="borderless" title={t('facility.safety')} data-testid="fac-safety">
              {f.safetyRules && <Typography.Paragraph>{f.safetyRules}</Typography.Paragraph>}
              {f.responsibilityTerms && (
                <Typography.Paragraph type="secondary">
                  <b>{t('facility.terms')}：</b>
                  {f.responsibilityTerms}
                </Typography.Paragraph>
              )}
              {f.closures.length > 0 && (
                <>
                  <Typography.Text strong>{t('facility.closures')}</Typography.Text>
                  <ul style={{ paddingLeft: 18, margin: '6px 0 0' }}>
                    {f.closures.map((c) => (
                      <li key={c.id}>
                        {c.startDate === c.endDate ? c.startDate : `${c.startDate} – ${c.endDate}`} <Tag>{label(CLOSURE_KINDS, c.kind)}</Tag>
                        {c.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Card>
          </Col>
        </Row>
      )}
      {f && booking && <BookingModal facility={f} open onClose={() => setBooking(false)} />}
    </>
  );
}
