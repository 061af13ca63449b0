import { Button, Empty, Flex, Grid, Tag, Tooltip, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dayjs, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { BOOKING_STATUSES } from '../../../common/facilities';

export interface CalEvent {
  id: string;
  start: string;
  end: string;
  kind: 'busy' | 'mine' | 'pending';
  title?: string;
}
export interface CalClosure {
  startDate: string;
  endDate: string;
  kind: string;
  reason: string | null;
}

/** Monday (YYYY-MM-DD, Beijing time) of the week holding `date`. */
export function mondayOf(date: string): string {
  const d = dayjs.tz(date, TZ);
  const wd = (d.day() + 6) % 7;
  return d.subtract(wd, 'day').format('YYYY-MM-DD');
}
export const addDaysW = (date: string, n: number) => dayjs.tz(date, TZ).add(n, 'day').format('YYYY-MM-DD');
/** Local midnight of a date as an ISO instant. */
export const localIso = (date: string, hm = '00:00') => dayjs.tz(`${date} ${hm}`, TZ).toISOString();

const COLORS = { busy: '#bfbfbf', mine: '#1677ff', pending: '#faad14' } as const;
const FROM_H = 7;
const TO_H = 20;
/** The hours the grid shows (FROM_H … TO_H - 1). */
const HOURS = Array.from({ length: TO_H - FROM_H }, (_, i) => FROM_H + i);
const PX_PER_H = 36;

/**
 * A week calendar: busy / own / pending blocks, open hours shaded, closures marked. On a phone it turns
 * into a list per day (7 columns do not fit 390 px).
 */
export function WeekCalendar({
  weekStart,
  onWeek,
  events,
  closures = [],
  openHours,
  testId = 'week-calendar',
}: {
  weekStart: string;
  onWeek: (monday: string) => void;
  events: CalEvent[];
  closures?: CalClosure[];
  openHours?: { weekday: number; open: string; close: string }[];
  testId?: string;
}) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const screens = Grid.useBreakpoint();
  const days = Array.from({ length: 7 }, (_, i) => addDaysW(weekStart, i));
  const names = t('facility.weekdays').split(',');
  const closureOf = (d: string) => closures.find((c) => c.startDate <= d && d <= c.endDate);
  const byDay = (d: string) => events.filter((e) => dayjs(e.start).tz(TZ).format('YYYY-MM-DD') === d).sort((a, b) => a.start.localeCompare(b.start));
  const hm = (iso: string) => dayjs(iso).tz(TZ).format('HH:mm');

  const header = (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
      <Typography.Text strong data-testid={`${testId}-range`}>
        {weekStart} – {days[6]}
      </Typography.Text>
      <Flex gap={4}>
        <Button
          size="small"
          icon={<LeftOutlined />}
          onClick={() => onWeek(addDaysW(weekStart, -7))}
          aria-label={t('facility.prevWeek')}
          data-testid={`${testId}-prev`}
        />
        <Button size="small" onClick={() => onWeek(mondayOf(dayjs().tz(TZ).format('YYYY-MM-DD')))}>
          {t('facility.thisWeek')}
        </Button>
        <Button
          size="small"
          icon={<RightOutlined />}
          onClick={() => onWeek(addDaysW(weekStart, 7))}
          aria-label={t('facility.nextWeek')}
          data-testid={`${testId}-next`}
        />
      </Flex>
    </Flex>
  );
  const legend = (
    <Flex gap={8} wrap style={{ marginTop: 8 }}>
      <Tag color={COLORS.mine}>{t('facility.mine')}</Tag>
      <Tag color={COLORS.pending}>{label(BOOKING_STATUSES, 'pending')}</Tag>
      <Tag color={COLORS.busy}>{t('facility.busy')}</Tag>
      <Tag color="red">{t('facility.closed')}</Tag>
    </Flex>
  );

  if (!screens.md) {
    return (
      <div data-testid={testId}>
        {header}
        {days.map((d, i) => {
          const cl = closureOf(d);
          const list = byDay(d);
          return (
            <div key={d} style={{ borderTop: '1px solid #f0f0f0', padding: '8px 0' }}>
              <Flex gap={8} align="baseline" wrap>
                <Typography.Text strong style={{ width: 96, whiteSpace: 'nowrap' }}>{`${names[i]} ${d.slice(5)}`}</Typography.Text>
                {cl && (
                  <Tag color="red">
                    {t('facility.closed')} · {cl.reason ?? cl.kind}
                  </Tag>
                )}
                {!cl && list.length === 0 && <Typography.Text type="secondary">{t('facility.free')}</Typography.Text>}
                {list.map((e) => (
                  <Tag key={e.id} color={COLORS[e.kind]} data-testid={`${testId}-event`}>
                    {hm(e.start)}–{hm(e.end)} {e.title ?? ''}
                  </Tag>
                ))}
              </Flex>
            </div>
          );
        })}
        {legend}
      </div>
    );
  }

  const height = (TO_H - FROM_H) * PX_PER_H;
  const top = (iso: string) => {
    const d = dayjs(iso).tz(TZ);
    return Math.max(0, (d.hour() + d.minute() / 60 - FROM_H) * PX_PER_H);
  };
  const hmTop = (s: string) => {
    const [h, m] = s.split(':').map(Number);
    return Math.max(0, (h! + m! / 60 - FROM_H) * PX_PER_H);
  };
  return (
    <div data-testid={testId}>
      {header}
      <div style={{ display: 'grid', gridTemplateColumns: '44px repeat(7, 1fr)', border: '1px solid #f0f0f0', borderRadius: 8, overflow: 'hidden' }}>
        <div />
        {days.map((d, i) => (
          <div key={d} style={{ textAlign: 'center', padding: 6, background: '#fafafa', borderLeft: '1px solid #f0f0f0', fontSize: 13, lineHeight: 1.3 }}>
            <div>{names[i]}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.slice(5)}
            </Typography.Text>
          </div>
        ))}
        <div style={{ position: 'relative', height }}>
          {HOURS.map((hour) => (
            <div key={hour} style={{ position: 'absolute', top: (hour - FROM_H) * PX_PER_H - 7, right: 6, fontSize: 11, color: '#8c8c8c' }}>{`${hour}:00`}</div>
          ))}
        </div>
        {days.map((d, i) => {
          const cl = closureOf(d);
          const wd = i + 1;
          const open = (openHours ?? []).filter((h) => h.weekday === wd);
          return (
            <div
              key={d}
              style={{ position: 'relative', height, borderLeft: '1px solid #f0f0f0', background: openHours && open.length === 0 ? '#fafafa' : undefined }}
            >
              {HOURS.map((hour) => (
                <div key={hour} style={{ position: 'absolute', top: (hour - FROM_H) * PX_PER_H, left: 0, right: 0, borderTop: '1px dashed #f5f5f5' }} />
              ))}
              {open.map((h) => (
                <div
                  key={h.open}
                  style={{
                    position: 'absolute',
                    top: hmTop(h.open),
                    height: hmTop(h.close) - hmTop(h.open),
                    left: 0,
                    right: 0,
                    background: 'rgba(82,196,26,0.06)',
                  }}
                />
              ))}
              {cl && (
                <div
                  style={{
                    position: 'absolute',
                    inset: 0,
                    background: 'repeating-linear-gradient(45deg,#fff1f0,#fff1f0 6px,#fff 6px,#fff 12px)',
                    display: 'flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                  }}
                >
                  <Tag color="red" style={{ whiteSpace: 'normal', textAlign: 'center' }}>
                    {cl.reason ?? t('facility.closed')}
                  </Tag>
                </div>
              )}
              {byDay(d).map((e) => (
                <Tooltip key={e.id} title={`${hm(e.start)}–${hm(e.end)} ${e.title ?? ''}`}>
                  <div
                    data-testid={`${testId}-event`}
                    style={{
                      position: 'absolute',
                      top: top(e.start),
                      height: Math.max(14, top(e.end) - top(e.start)),
                      left: 3,
                      right: 3,
                      background: COLORS[e.kind],
                      color: e.kind === 'busy' ? '#262626' : '#fff',
                      borderRadius: 4,
                      fontSize: 11,
                      padding: '1px 4px',
                      overflow: 'hidden',
                    }}
                  >
                    {hm(e.start)}–{hm(e.end)} {e.title ?? ''}
                  </div>
                </Tooltip>
              ))}
            </div>
          );
        })}
      </div>
      {events.length === 0 && closures.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('facility.free')} />}
      {legend}
    </div>
  );
}
