/**
 * The signed-in actor of a session, cached (ARCHITECTURE rule 12).
 *
 * Resolving an actor costs two statements (the session joined to its account, and the grants) plus the
 * reach computed from the organization directory. It is kept per session for `actorMs` (5 s by default)
 * and dropped at once when the directory sees a change: grants, sessions or accounts (`access` version) mean
 * the session is read again; the organization (`org` version) only means the reach is recomputed from the
 * kept grants, without a statement. A session's own expiry is checked on every use.
 */
import type { Db } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { precompiled } from '../../db/precompiled.js';
import { resolveActor, type Actor, type ActorBase, type Grant } from '../../platform/actor.js';
import type { Role } from '../../../common/vocab.js';
import type { Directory } from '../org/directory.js';

/** last_seen is written at most this often per session (keeps reads cheap) */
export const TOUCH_MS = 60_000;
/** at most this many sessions are kept; the oldest go first */
const MAX_ENTRIES = 20_000;

interface Entry {
  base: ActorBase;
  actor: Actor;
  fetchedAt: number;
  access: number;
  org: number;
  expiresAt: string;
  idleExpiresAt: string;
}

export const toGrant = (g: { id: string; role: string; scope_type: string; scope_id: string | null; subject: string | null }): Grant => ({
  id: g.id,
  role: g.role as Role,
  scopeType: g.scope_type as Grant['scopeType'],
  scopeId: g.scope_id,
  subject: g.subject,
});

/** The session joined to its account (precompiled: it runs for every session every few seconds). */
const sessionRow = precompiled((db, p: { id: string }) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.csrf_token',
      's.expires_at',
      's.idle_expires_at',
      's.last_seen_at',
      's.via',
      'u.id',
      'u.username',
      'u.display_name',
      'u.school_id',
      'u.region_id',
      'u.partner_id',
      'u.status',
      'u.must_change_password',
    ])
    .where('s.id', '=', p.id),
);

/** The grants of the session's account. */
const sessionGrants = precompiled((db, p: { id: string }) =>
  db
    .selectFrom('role_grants as g')
    .innerJoin('sessions as s', 's.user_id', 'g.user_id')
    .select(['g.id', 'g.role', 'g.scope_type', 'g.scope_id', 'g.subject'])
    .where('s.id', '=', p.id),
);

const addMinutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();

export class ActorCache {
  private readonly entries = new Map<string, Entry>();
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly opts: { actorMs: number; idleMinutes: number },
  ) {}

  /** The actor of a session id (sha-256 of the cookie), 'expired', or null when there is no such session. */
  async get(sessionId: string): Promise<Actor | 'expired' | null> {
    const v = await this.directory.versions();
    const now = Date.now();
    const hit = this.entries.get(sessionId);
    if (hit && hit.access === v.access && now - hit.fetchedAt < this.opts.actorMs) {
      const iso = new Date(now).toISOString();
      if (hit.expiresAt <= iso || hit.idleExpiresAt <= iso) {
        this.entries.delete(sessionId);
      } else {
        this.stats.hits++;
        if (hit.org !== v.org) {
          const org = await this.directory.current();
          hit.actor = resolveActor(hit.base, org);
          hit.org = org.version;
        }
        return hit.actor;
      }
    }
    this.stats.misses++;
    return this.load(sessionId, v.access);
  }

  /** Forget a session here at once (logout, password change); other instances follow the access version. */
  forget(sessionId: string): void {
    this.entries.delete(sessionId);
    this.directory.invalidate();
  }

  /** Forget every cached session (a grant or an account changed in this process). */
  clear(): void {
    this.entries.clear();
    this.directory.invalidate();
  }

  private async load(id: string, accessVersion: number): Promise<Actor | 'expired' | null> {
    // the session and its user's grants in parallel (one round trip less on PostgreSQL)
    const [[row], grantRows] = await Promise.all([sessionRow(this.db, { id }), sessionGrants(this.db, { id })]);
    this.entries.delete(id);
    if (!row) return null;
    const now = nowIso();
    if (row.expires_at <= now || row.idle_expires_at <= now || row.status !== 'active') {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute();
      this.directory.invalidate();
      return 'expired';
    }
    let idleExpiresAt = row.idle_expires_at;
    if (Date.now() - Date.parse(row.last_seen_at) > TOUCH_MS) {
      idleExpiresAt = addMinutes(now, this.opts.idleMinutes);
      await this.db.updateTable('sessions').set({ last_seen_at: now, idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
    }
    const base: ActorBase = {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      schoolId: row.school_id,
      regionId: row.region_id,
      partnerId: row.partner_id ?? null,
      grants: grantRows.map(toGrant),
      sessionId: id,
      csrfToken: row.csrf_token,
      // a session opened by single sign-on never used the local password: no forced change for it
      mustChangePassword: row.must_change_password === 1 && row.via !== 'oidc',
    };
    const org = await this.directory.current();
    const actor = resolveActor(base, org);
    if (this.opts.actorMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, { base, actor, fetchedAt: Date.now(), access: accessVersion, org: org.version, expiresAt: row.expires_at, idleExpiresAt });
    }
    return actor;
  }
}
