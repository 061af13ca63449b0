/**
 * iCalendar feeds (S3.2) per facility, school and teacher, behind a private token URL. Only the token's
 * SHA-256 is stored; the feed is re-scoped on every fetch (a disabled account's feed goes dark).
 * Times are written with TZID=Asia/Shanghai (a fixed +08:00 zone, VTIMEZONE included).
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Database } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { randomToken, sha256 } from '../../platform/ids.js';
import type { Actor } from '../../platform/policy.js';
import { BOOKING_STATUSES, DAY, FACILITY_TYPES, TZ_OFFSET_MS } from '../../../common/facilities.js';
import type { FacilityService } from './service.js';

const VTIMEZONE = [
  'BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai', 'X-LIC-LOCATION:Asia/Shanghai', 'BEGIN:STANDARD', 'TZOFFSETFROM:+0800', 'TZOFFSETTO:+0800',
  'TZNAME:CST', 'DTSTART:19700101T000000', 'END:STANDARD', 'END:VTIMEZONE',
].join('\r\n');

/** ical-generator writes a native Date's UTC fields as the wall time of the event's zone: shift by +8 h. */
const wall = (iso: string) => new Date(Date.parse(iso) + TZ_OFFSET_MS);

export class CalendarService {
  constructor(private readonly database: Database, private readonly facilities: FacilityService, private readonly publicUrl: string) {}

  async createToken(actor: Actor, kind: 'facility' | 'school' | 'teacher', id: string) {
    const db = this.database.db;
    if (kind === 'facility') {
      await this.facilities.getVisible(actor, id).catch(() => {
        throw badRequest([{ field: 'id', code: 'not_found' }]);
      });
    } else if (kind === 'school') {
      const s = await db.selectFrom('schools').select(['id', 'region_id']).where('id', '=', id).executeTakeFirst();
      if (!s || !(actor.isPlatformAdmin || actor.schools.has(id) || actor.readRegions.has(s.region_id))) throw badRequest([{ field: 'id', code: 'not_found' }]);
    } else if (id !== actor.userId && !actor.isPlatformAdmin) {
      throw badRequest([{ field: 'id', code: 'not_found' }]);
    }
    const token = randomToken(24);
    await db.insertInto('calendar_tokens').values({ id: sha256(token), user_id: actor.userId, kind, target_id: id, created_at: nowIso(), last_used_at: null }).execute();
    return { url: `${this.publicUrl.replace(/\/$/, '')}/api/calendar/feed/${token}.ics`, kind, id };
  }

  async feed(file: string): Promise<string> {
    const db = this.database.db;
    const token = file.replace(/\.ics$/, '');
    const t = await db.selectFrom('calendar_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').select(['t.id', 't.kind', 't.target_id', 'u.status'])
      .where('t.id', '=', sha256(token)).executeTakeFirst();
    if (!t || t.status !== 'active') throw notFound('calendar');
    await db.updateTable('calendar_tokens').set({ last_used_at: nowIso() }).where('id', '=', t.id).execute();
    const from = Date.now() - 60 * DAY;
    const to = Date.now() + 400 * DAY;
    let qb = db.selectFrom('bookings as b').innerJoin('facilities as f', 'f.id', 'b.facility_id').leftJoin('schools as s', 's.id', 'f.school_id')
      .leftJoin('partners as p', 'p.id', 'f.partner_id')
      .select(['b.id', 'b.start_at', 'b.end_at', 'b.status', 'b.purpose', 'b.group_size', 'b.responsible_teacher', 'b.updated_at', 'f.name as facility_name', 'f.type', 'f.location',
        's.name as school_name', 'p.name as partner_name'])
      .where('b.status', 'in', ['pending', 'accepted', 'checked_in'])
      .where('b.start_ms', '>=', from).where('b.start_ms', '<', to);
    let title = '预约日历';
    if (t.kind === 'facility') {
      qb = qb.where('b.facility_id', '=', t.target_id);
      title = (await db.selectFrom('facilities').select('name').where('id', '=', t.target_id).executeTakeFirst())?.name ?? title;
    } else if (t.kind === 'school') {
      const sid = t.target_id;
      qb = qb.where((eb) => eb.or([eb('b.booker_school_id', '=', sid), eb('f.school_id', '=', sid)]));
      title = `${(await db.selectFrom('schools').select('name').where('id', '=', sid).executeTakeFirst())?.name ?? ''} 设施预约`;
    } else {
      qb = qb.where('b.booker_id', '=', t.target_id);
      title = '我的设施预约';
    }
    const rows = await qb.orderBy('b.start_ms').limit(5000).execute();
    const cal = ical({ name: title, method: ICalCalendarMethod.PUBLISH, prodId: { company: 'xiaolian', product: 'bookings', language: 'ZH' } });
    cal.timezone({ name: 'Asia/Shanghai', generator: () => VTIMEZONE });
    for (const r of rows) {
      cal.createEvent({
        id: r.id,
        start: wall(r.start_at),
        end: wall(r.end_at),
        timezone: 'Asia/Shanghai',
        summary: `${r.facility_name}：${r.purpose}`,
        location: [r.school_name ?? r.partner_name, r.facility_name, r.location].filter(Boolean).join(' '),
        description: `${FACILITY_TYPES.label(r.type)}｜${BOOKING_STATUSES.label(r.status)}｜${r.group_size} 人｜负责教师 ${r.responsible_teacher}`,
        status: r.status === 'pending' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        lastModified: new Date(r.updated_at),
        stamp: new Date(r.updated_at),
      });
    }
    return cal.toString();
  }
}
