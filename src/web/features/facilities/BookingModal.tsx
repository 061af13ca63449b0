import { useMemo, useState } from 'react';
import { Alert, App, Checkbox, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { OCCURRENCE_STATUSES } from '../../../common/facilities';
import { useMe } from '../../app/auth';
import { dayjs, fmtDateTime, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import { newKey, useCreateBooking, useMyAlliances, usePreview, type FacilityDetail, type Preview } from './api';

interface Values {
  allianceId: string;
  date: string;
  start: string;
  end: string;
  weekly: boolean;
  until: string;
  purpose: string;
  groupSize: number;
  responsibleTeacher: string;
  acceptTerms: boolean;
  mode: 'all_free' | 'all_or_nothing';
}

const OWN = '__own__';
const STATUS_COLOR: Record<string, string> = { free: 'green', conflict: 'red', closed: 'volcano', outside_hours: 'orange' };

/** End of the current term by the national convention (第一学期 ends in January, 第二学期 in July). */
function termEnd(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  if (m >= 8) return `${y + 1}-01-22`;
  if (m === 1) return `${y}-01-22`;
  return `${y}-07-10`;
}

export function BookingModal({
  facility,
  open,
  onClose,
  initial,
}: {
  facility: FacilityDetail;
  open: boolean;
  onClose: () => void;
  initial?: { date: string; start: string; end: string };
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { label } = useVocab();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<Values>();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [key] = useState(newKey);
  const previewM = usePreview();
  const create = useCreateBooking();
  const mine = useMyAlliances(me);
  const ownSchool = !!me.user.schoolId && facility.schoolId === me.user.schoolId;
  const myIds = new Set(mine.preferred.map((a) => a.id));
  const allianceOptions = useMemo(() => {
    const shared = facility.alliances.filter((a) => myIds.has(a.id) || mine.preferred.length === 0);
    return [...(ownSchool ? [{ value: OWN, label: t('booking.ownSchool') }] : []), ...shared.map((a) => ({ value: a.id, label: a.name }))];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [facility.alliances, mine.preferred.length, ownSchool, t, myIds.has]);
  const today = dayjs().tz(TZ).format('YYYY-MM-DD');
  const weekly = Form.useWatch('weekly', form);

  const body = (v: Values) => ({
    facilityId: facility.id,
    allianceId: v.allianceId === OWN ? null : v.allianceId,
    start: dayjs.tz(`${v.date} ${v.start}`, TZ).toISOString(),
    end: dayjs.tz(`${v.date} ${v.end}`, TZ).toISOString(),
    ...(v.weekly ? { recurrence: { until: v.until } } : {}),
  });

  const check = async () => {
    try {
      const v = await form.validateFields(['allianceId', 'date', 'start', 'end', 'weekly', 'until', 'groupSize']);
      const p = await previewM.mutateAsync({ ...body(v as Values), groupSize: v.groupSize });
      setPreview(p);
      if (p.free < p.occurrences.length) form.setFieldValue('mode', 'all_free');
    } catch (e) {
      if (e && typeof e === 'object' && 'errorFields' in e) return;
      onError(e, form);
    }
  };

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    if (!preview) return check();
    try {
      const res = await create.mutateAsync({
        key,
        body: { ...body(v), purpose: v.purpose, groupSize: v.groupSize, responsibleTeacher: v.responsibleTeacher, acceptTerms: v.acceptTerms, mode: v.mode },
      });
      const pending = res.bookings.some((b) => b.status === 'pending');
      message.success(
        `${t(pending ? 'booking.createdPending' : 'booking.created', { n: res.bookings.length })}${res.skipped.length ? `；${t('booking.skipped', { n: res.skipped.length })}` : ''}`,
      );
      onClose();
      navigate('/bookings');
    } catch (e) {
      onError(e, form);
    }
  };

  const q = preview?.quote;
  return (
    <Modal
      open={open}
      title={`${t('booking.new')} · ${facility.name}`}
      onCancel={onClose}
      width={720}
      okText={preview ? t('booking.submit') : t('booking.preview')}
      onOk={preview ? submit : check}
      confirmLoading={previewM.isPending || create.isPending}
      okButtonProps={withTestId(preview ? 'book-submit' : 'book-preview')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          allianceId: allianceOptions[0]?.value,
          date: initial?.date ?? dayjs().tz(TZ).add(7, 'day').format('YYYY-MM-DD'),
          start: initial?.start ?? '14:00',
          end: initial?.end ?? '16:00',
          weekly: false,
          until: termEnd(today),
          groupSize: Math.min(40, facility.capacity || 40),
          responsibleTeacher: me.user.displayName,
          acceptTerms: false,
          mode: 'all_or_nothing',
        }}
        onValuesChange={(changed) => {
          if (!('acceptTerms' in changed) && !('purpose' in changed) && !('responsibleTeacher' in changed) && !('mode' in changed)) setPreview(null);
        }}
      >
        <Form.Item
          name="allianceId"
          label={t('booking.alliance')}
          extra={t('booking.allianceHelp')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={allianceOptions} loading={mine.isLoading} data-testid="book-alliance" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="date" label={t('booking.date')} rules={[{ required: true, message: t('common.required') }]}>
              <Input type="date" min={today} data-testid="book-date" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={7}>
            <Form.Item name="start" label={t('booking.start')} rules={[{ required: true, message: t('common.required') }]}>
              <Input type="time" step={600} data-testid="book-start" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={7}>
            <Form.Item name="end" label={t('booking.end')} rules={[{ required: true, message: t('common.required') }]}>
              <Input type="time" step={600} data-testid="book-end" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12} align="middle">
          <Col xs={12} sm={10}>
            <Form.Item name="weekly" label={t('booking.weekly')} valuePropName="checked">
              <Switch data-testid="book-weekly" />
            </Form.Item>
          </Col>
          {weekly && (
            <Col xs={12} sm={14}>
              <Form.Item name="until" label={t('booking.until')} rules={[{ required: true, message: t('common.required') }]}>
                <Input type="date" min={today} data-testid="book-until" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="purpose" label={t('booking.purpose')} rules={[{ required: true, message: t('common.required') }]}>
              <Input placeholder={t('booking.purposePh')} maxLength={200} data-testid="book-purpose" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="groupSize" label={t('booking.groupSize')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} data-testid="book-group" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="responsibleTeacher" label={t('booking.teacher')} rules={[{ required: true, message: t('common.required') }]}>
              <Input maxLength={30} data-testid="book-teacher" />
            </Form.Item>
          </Col>
        </Row>

        {preview && (
          <div data-testid="book-preview-result">
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('booking.occurrences')} ·{' '}
              <span data-testid="book-free-count">{t('booking.freeN', { free: preview.free, total: preview.occurrences.length })}</span>
            </Typography.Title>
            <Table
              size="small"
              rowKey="start"
              pagination={false}
              scroll={{ y: 220 }}
              dataSource={preview.occurrences}
              data-testid="book-occurrences"
              columns={[
                { title: t('booking.when'), render: (_, o) => `${fmtDateTime(o.start)}–${dayjs(o.end).tz(TZ).format('HH:mm')}` },
                {
                  title: t('booking.status'),
                  render: (_, o) => (
                    <span data-testid={`occ-${o.status}`}>
                      <Tag color={STATUS_COLOR[o.status]}>{label(OCCURRENCE_STATUSES, o.status)}</Tag>
                      {o.closure?.reason && <Typography.Text type="secondary">{o.closure.reason}</Typography.Text>}
                      {o.clash && (
                        <Typography.Text type="secondary">{`${dayjs(o.clash.start).tz(TZ).format('HH:mm')}–${dayjs(o.clash.end).tz(TZ).format('HH:mm')}`}</Typography.Text>
                      )}
                    </span>
                  ),
                },
              ]}
            />
            {preview.free < preview.occurrences.length && preview.occurrences.length > 1 && (
              <Form.Item name="mode" label={t('booking.mode')} style={{ marginTop: 12 }}>
                <Radio.Group>
                  <Radio value="all_free" data-testid="book-mode-all-free">
                    {t('booking.allFree')}
                  </Radio>
                  <Radio value="all_or_nothing" data-testid="book-mode-none">
                    {t('booking.allOrNothing')}
                  </Radio>
                </Radio.Group>
              </Form.Item>
            )}
            {q && (
              <Alert
                style={{ margin: '12px 0' }}
                type={q.free ? 'success' : 'info'}
                showIcon
                data-testid="book-quote"
                message={t('booking.price')}
                description={
                  q.free
                    ? t('booking.priceFree', { reason: t(`booking.reason_${q.reason}`) })
                    : t('booking.priceText', { hours: q.hours, peak: q.peakHours, amount: q.amount })
                }
              />
            )}
            {(preview.terms.safetyRules || preview.terms.responsibilityTerms) && (
              <div style={{ background: '#fffbe6', border: '1px solid #ffe58f', borderRadius: 8, padding: 12, marginBottom: 12 }}>
                {preview.terms.safetyRules && (
                  <p style={{ margin: 0 }}>
                    <b>{t('facility.safety')}：</b>
                    {preview.terms.safetyRules}
                  </p>
                )}
                {preview.terms.responsibilityTerms && (
                  <p style={{ margin: '6px 0 0' }}>
                    <b>{t('facility.terms')}：</b>
                    {preview.terms.responsibilityTerms}
                  </p>
                )}
              </div>
            )}
            <Form.Item
              name="acceptTerms"
              valuePropName="checked"
              rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('booking.acceptRequired')))) }]}
            >
              <Checkbox data-testid="book-accept">{t('booking.accept')}</Checkbox>
            </Form.Item>
          </div>
        )}
      </Form>
    </Modal>
  );
}
