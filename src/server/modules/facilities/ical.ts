/**
 * iCalendar feeds (S3.2) per facility, school and teacher, behind a private token URL. Only the token's
 * SHA-256 is stored, with its owner. Every fetch re-checks the OWNER'S CURRENT access (account active,
 * grants as they are now, the same rule as when the link was made): a disabled account's feed, or one
 * whose grants no longer reach the facility / school, answers 404. Owners list and revoke their links.
 * Times are written with the installation's zone as TZID (ZONE in src/common/time.ts: Asia/Shanghai, a
 * fixed +08:00 zone, VTIMEZONE included). Names of schools and partners come from the organization directory.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { randomToken, sha256 } from '../../platform/ids.js';
import { holds, resolveActor, type Actor } from '../../platform/actor.js';
import { ctxFor, type Ctx } from '../../platform/context.js';
import { BOOKING_STATUSES, DAY, FACILITY_TYPES } from '../../../common/facilities.js';
import { ZONE } from '../../../common/time.js';
import { toGrant } from '../auth/actors.js';
import type { Directory } from '../org/directory.js';
import type { FacilityService } from './service.js';
import type { CalendarFeedKind } from '../../db/tables/facilities.js';

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ZONE.name}`,
  `X-LIC-LOCATION:${ZONE.name}`,
  'BEGIN:STANDARD',
  `TZOFFSETFROM:${ZONE.offset.replace(':', '')}`,
  `TZOFFSETTO:${ZONE.offset.replace(':', '')}`,
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/** ical-generator writes a native Date's UTC fields as the wall time of the event's zone: shift by the zone's offset. */
const wall = (iso: string) => new Date(Date.parse(iso) + ZONE.offsetMs);

type FeedKind = CalendarFeedKind;

/** A feed link as its owner sees it in the list (the secret URL itself is shown once, at creation). */
export const CalendarTokenListOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['facility', 'school', 'teacher']),
      targetId: z.string(),
      targetName: z.string().nullable(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});
/** The public id of a link: the first 16 hex digits of its token's SHA-256 (never the token). */
export const CalendarTokenParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });
const publicId = (hash: string) => hash.slice(0, 16);

export class CalendarService {
  private readonly dir: Directory;
  constructor(
    private readonly database: Database,
    private readonly facilities: FacilityService,
    private readonly publicUrl: string,
  ) {
    this.dir = facilities.dir;
  }

  /** Whether the actor may follow this calendar: the rule at creation AND at every fetch. */
  private async reaches(actor: Actor, kind: FeedKind, id: string): Promise<boolean> {
    if (!holds(actor, 'facility.read')) return false;
    if (kind === 'facility')
      return this.facilities.getVisible(ctxFor(actor), id).then(
        () => true,
        () => false,
      );
    if (kind === 'school') {
      const s = (await this.dir.current()).school(id);
      return !!s && (actor.isPlatformAdmin || actor.schools.has(id) || actor.readRegions.has(s.regionId));
    }
    return id === actor.userId || actor.isPlatformAdmin;
  }

  /** The token owner as an actor with the grants they hold NOW; null when the account is gone or disabled. */
  private async ownerNow(userId: string): Promise<Actor | null> {
    const db = this.database.db;
    const org = await this.dir.current();
    const [u, grants] = await Promise.all([
      db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'school_id', 'region_id', 'partner_id', 'status'])
        .where('id', '=', userId)
        .executeTakeFirst(),
      db.selectFrom('role_grants').select(['id', 'role', 'scope_type', 'scope_id', 'subject']).where('user_id', '=', userId).execute(),
    ]);
    if (u?.status !== 'active') return null;
    return resolveActor(
      {
        userId: u.id,
        username: u.username,
        displayName: u.display_name,
        schoolId: u.school_id,
        regionId: u.region_id,
        partnerId: u.partner_id ?? null,
        grants: grants.map(toGrant),
        sessionId: '',
        csrfToken: '',
        mustChangePassword: false,
      },
      org,
    );
  }

  async createToken(ctx: Ctx, kind: FeedKind, id: string) {
    const { actor } = ctx;
    const db = this.database.db;
    if (!(await this.reaches(actor, kind, id))) throw badRequest([{ field: 'id', code: 'not_found' }]);
    const token = randomToken(24);
    await db
      .insertInto('calendar_tokens')
      .values({ id: sha256(token), user_id: actor.userId, kind, target_id: id, created_at: ctx.now.toISOString(), last_used_at: null })
      .execute();
    return { url: `${this.publicUrl.replace(/\/$/, '')}/api/calendar/feed/${token}.ics`, kind, id };
  }

  async feed(file: string): Promise<string> {
    const db = this.database.db;
    const token = file.replace(/\.ics$/, '');
    const t = await db.selectFrom('calendar_tokens').select(['id', 'kind', 'target_id', 'user_id']).where('id', '=', sha256(token)).executeTakeFirst();
    if (!t) throw notFound('calendar');
    const owner = await this.ownerNow(t.user_id);
    if (!owner || !(await this.reaches(owner, t.kind, t.target_id))) throw notFound('calendar');
    const org = await this.dir.current();
    await db.updateTable('calendar_tokens').set({ last_used_at: nowIso() }).where('id', '=', t.id).execute();
    const from = Date.now() - 60 * DAY;
    const to = Date.now() + 400 * DAY;
    let qb = db
      .selectFrom('bookings as b')
      .innerJoin('facilities as f', 'f.id', 'b.facility_id')
      .select([
        'b.id',
        'b.start_at',
        'b.end_at',
        'b.status',
        'b.purpose',
        'b.group_size',
        'b.responsible_teacher',
        'b.updated_at',
        'f.name as facility_name',
        'f.type',
        'f.location',
        'f.school_id',
        'f.partner_id',
      ])
      .where('b.status', 'in', ['pending', 'accepted', 'checked_in'])
      .where('b.start_ms', '>=', from)
      .where('b.start_ms', '<', to);
    let title = '预约日历';
    if (t.kind === 'facility') {
      qb = qb.where('b.facility_id', '=', t.target_id);
      title = (await db.selectFrom('facilities').select('name').where('id', '=', t.target_id).executeTakeFirst())?.name ?? title;
    } else if (t.kind === 'school') {
      const sid = t.target_id;
      qb = qb.where((eb) => eb.or([eb('b.booker_school_id', '=', sid), eb('f.school_id', '=', sid)]));
      title = `${org.school(sid)?.name ?? ''} 设施预约`;
    } else {
      qb = qb.where('b.booker_id', '=', t.target_id);
      title = '我的设施预约';
    }
    const rows = await qb.orderBy('b.start_ms').limit(5000).execute();
    const cal = ical({ name: title, method: ICalCalendarMethod.PUBLISH, prodId: { company: 'xiaolian', product: 'bookings', language: 'ZH' } });
    cal.timezone({ name: ZONE.name, generator: () => VTIMEZONE });
    const ownerName = (r: { school_id: string | null; partner_id: string | null }) =>
      (r.school_id ? org.school(r.school_id)?.name : undefined) ?? (r.partner_id ? org.partner(r.partner_id)?.name : undefined);
    for (const r of rows) {
      cal.createEvent({
        id: r.id,
        start: wall(r.start_at),
        end: wall(r.end_at),
        timezone: ZONE.name,
        summary: `${r.facility_name}：${r.purpose}`,
        location: [ownerName(r), r.facility_name, r.location].filter(Boolean).join(' '),
        description: `${FACILITY_TYPES.label(r.type)}｜${BOOKING_STATUSES.label(r.status)}｜${r.group_size} 人｜负责教师 ${r.responsible_teacher}`,
        status: r.status === 'pending' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        lastModified: new Date(r.updated_at),
        stamp: new Date(r.updated_at),
      });
    }
    return cal.toString();
  }

  /** The actor's own feed links, newest first. */
  async listTokens(ctx: Ctx) {
    const { actor } = ctx;
    const db = this.database.db;
    const org = await this.dir.current();
    const rows = await db
      .selectFrom('calendar_tokens as t')
      .leftJoin('facilities as f', (j) => j.onRef('f.id', '=', 't.target_id').on('t.kind', '=', 'facility'))
      .select(['t.id', 't.kind', 't.target_id', 't.created_at', 't.last_used_at', 'f.name as facility_name'])
      .where('t.user_id', '=', actor.userId)
      .orderBy('t.created_at', 'desc')
      .limit(200)
      .execute();
    return {
      items: rows.map((r) => ({
        id: publicId(r.id),
        kind: r.kind,
        targetId: r.target_id,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        targetName: r.kind === 'facility' ? r.facility_name : r.kind === 'school' ? (org.school(r.target_id)?.name ?? null) : actor.displayName,
      })),
    };
  }

  /** Revokes one of the actor's own links (the platform admin: anyone's); another user's link is "not found". */
  async revokeToken(ctx: Ctx, id: string) {
    const { actor } = ctx;
    const db = this.database.db;
    // the public id is a prefix of the stored hash: a key range, exact for lower-case hex
    const hits = await db.selectFrom('calendar_tokens').select(['id', 'user_id']).where('id', '>=', id).where('id', '<', `${id}g`).execute();
    const hit = hits.find((r) => publicId(r.id) === id && (r.user_id === actor.userId || actor.isPlatformAdmin));
    if (!hit) throw notFound('calendar');
    await db.deleteFrom('calendar_tokens').where('id', '=', hit.id).execute();
  }
}
