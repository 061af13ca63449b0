/**
 * The organization directory (ARCHITECTURE rule 10): who is where, now.
 *
 * Regions, schools, alliances, memberships and partners belong to the org module (this folder). Every
 * other module asks the directory — "which alliances is this school in now?", "the region tree under
 * this city", "the schools of this alliance" — and never reads those tables itself.
 *
 * The whole directory is held in memory as one immutable snapshot (a province: ~10,000 schools, 1,000
 * alliances, 150 regions, a few MB). Triggers bump `cache_versions('org')` on every write to the org tables
 * (migration 010), whoever writes. Each instance compares its snapshot's version with the database at most
 * every `checkMs` (500 ms by default) and reloads on a difference, so a member's exit on one instance takes
 * effect on every other within a second. Writers in this process call `invalidate()` after they commit, so
 * their own next request sees the change at once.
 *
 * The same check watches `cache_versions('access')` (grants, sessions, accounts) for the actor cache.
 *
 * Queries never run inside the caller's transaction: on SQLite they use the raw connection (synchronous,
 * no wait on Kysely's connection lock) and never while a write transaction of this process is open on it
 * (they would see its uncommitted rows), on PostgreSQL the pool. Take the snapshot before opening a
 * transaction; a snapshot is immutable and safe to keep for the whole request.
 */
import { noteStatement, type Database } from '../../db/index.js';

export interface RegionRef {
  id: string;
  parentId: string | null;
  level: string;
  code: string;
  name: string;
}
export interface SchoolRef {
  id: string;
  regionId: string;
  code: string;
  name: string;
  shortName: string | null;
  /** 统一社会信用代码 (unique when set) */
  creditCode: string | null;
  /** 薄弱校, 农村校… (SCHOOL_TAGS codes) */
  tags: string[];
  type: string;
  location: string;
  /** coordinates (facilities sort by distance from a school) */
  lat?: number | null;
  lng?: number | null;
}
export interface AllianceRef {
  id: string;
  regionId: string;
  name: string;
  kind: string;
  pattern: string;
  coreSchoolId: string;
  status: 'active' | 'dissolved';
}
export interface PartnerRef {
  id: string;
  regionId: string;
  name: string;
  kind: string;
}
export interface MemberRef {
  allianceId: string;
  schoolId: string;
  role: 'core' | 'member';
  joinedOn: string;
}

export interface Versions {
  org: number;
  access: number;
}

interface Rows {
  regions: RegionRef[];
  schools: SchoolRef[];
  alliances: AllianceRef[];
  partners: PartnerRef[];
  members: MemberRef[];
  alliancePartners: { allianceId: string; partnerId: string }[];
}

const EMPTY: readonly string[] = Object.freeze([]);

/** One consistent, immutable picture of the organization. All lookups are synchronous. */
export class OrgSnapshot {
  private readonly regions = new Map<string, RegionRef>();
  private readonly children = new Map<string, string[]>();
  private readonly schools = new Map<string, SchoolRef>();
  private readonly schoolsByRegion = new Map<string, string[]>();
  private readonly alliances = new Map<string, AllianceRef>();
  private readonly partners = new Map<string, PartnerRef>();
  private readonly bySchool = new Map<string, MemberRef[]>();
  private readonly byAlliance = new Map<string, MemberRef[]>();
  private readonly partnersByAlliance = new Map<string, string[]>();
  private readonly alliancesByPartner = new Map<string, string[]>();
  private readonly descendantsMemo = new Map<string, ReadonlySet<string>>();

  constructor(
    readonly version: number,
    rows: Rows,
  ) {
    for (const r of rows.regions) {
      this.regions.set(r.id, r);
      if (r.parentId) push(this.children, r.parentId, r.id);
    }
    for (const s of rows.schools) {
      // tags arrive as the column's JSON text
      s.tags = parseTags(s.tags as unknown as string | null);
      this.schools.set(s.id, s);
      push(this.schoolsByRegion, s.regionId, s.id);
    }
    for (const a of rows.alliances) this.alliances.set(a.id, a);
    for (const p of rows.partners) this.partners.set(p.id, p);
    for (const m of rows.members) {
      push(this.bySchool, m.schoolId, m);
      push(this.byAlliance, m.allianceId, m);
    }
    for (const ap of rows.alliancePartners) {
      push(this.partnersByAlliance, ap.allianceId, ap.partnerId);
      push(this.alliancesByPartner, ap.partnerId, ap.allianceId);
    }
  }

  // ---- regions ----
  region(id: string): RegionRef | undefined {
    return this.regions.get(id);
  }
  /** The regions themselves and every region below them. Unknown ids are left out. */
  regionsUnder(roots: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const root of roots) for (const id of this.subtree(root)) out.add(id);
    return out;
  }
  /** The regions themselves and every region above them (the chain to the province). */
  regionsAbove(ids: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const start of ids) {
      let r = this.regions.get(start);
      for (let guard = 0; r && guard < 32 && !out.has(r.id); guard++) {
        out.add(r.id);
        r = r.parentId ? this.regions.get(r.parentId) : undefined;
      }
    }
    return out;
  }
  /** Region names from the top down to the region: 某省 / 某市 / 某区. */
  regionPath(id: string): RegionRef[] {
    const chain: RegionRef[] = [];
    let r = this.regions.get(id);
    for (let guard = 0; r && guard < 32; guard++) {
      chain.unshift(r);
      r = r.parentId ? this.regions.get(r.parentId) : undefined;
    }
    return chain;
  }

  allRegions(): IterableIterator<RegionRef> {
    return this.regions.values();
  }
  private subtree(root: string): ReadonlySet<string> {
    let set = this.descendantsMemo.get(root);
    if (set) return set;
    const out = new Set<string>();
    if (this.regions.has(root)) {
      const stack = [root];
      while (stack.length) {
        const id = stack.pop()!;
        if (out.has(id)) continue;
        out.add(id);
        for (const c of this.children.get(id) ?? EMPTY) stack.push(c);
      }
    }
    set = out;
    this.descendantsMemo.set(root, set);
    return set;
  }

  // ---- schools ----
  school(id: string): SchoolRef | undefined {
    return this.schools.get(id);
  }
  /** Schools located directly in one region (not below it). */
  schoolsInRegion(regionId: string): readonly string[] {
    return this.schoolsByRegion.get(regionId) ?? EMPTY;
  }
  /** Schools in the regions and every region below them. */
  schoolsUnder(roots: Iterable<string>): string[] {
    const out: string[] = [];
    for (const r of this.regionsUnder(roots)) for (const s of this.schoolsInRegion(r)) out.push(s);
    return out;
  }

  // ---- alliances and memberships (active memberships only; exited ones are history, kept by the org module) ----
  alliance(id: string): AllianceRef | undefined {
    return this.alliances.get(id);
  }
  allAlliances(): IterableIterator<AllianceRef> {
    return this.alliances.values();
  }
  /** The alliances the school is an active member of now (of alliances of any status). */
  alliancesOfSchool(schoolId: string): string[] {
    return (this.bySchool.get(schoolId) ?? []).map((m) => m.allianceId);
  }
  /** Active alliances (not dissolved) the school is an active member of. */
  activeAlliancesOfSchool(schoolId: string): string[] {
    return (this.bySchool.get(schoolId) ?? []).filter((m) => this.alliances.get(m.allianceId)?.status === 'active').map((m) => m.allianceId);
  }
  /** Union over several schools. */
  alliancesOfSchools(schoolIds: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const s of schoolIds) for (const m of this.bySchool.get(s) ?? []) out.add(m.allianceId);
    return out;
  }
  membership(allianceId: string, schoolId: string): MemberRef | undefined {
    return (this.byAlliance.get(allianceId) ?? []).find((m) => m.schoolId === schoolId);
  }
  isMember(allianceId: string, schoolId: string): boolean {
    return this.membership(allianceId, schoolId) !== undefined;
  }
  membersOf(allianceId: string): readonly MemberRef[] {
    return this.byAlliance.get(allianceId) ?? [];
  }
  schoolsOf(allianceId: string): string[] {
    return this.membersOf(allianceId).map((m) => m.schoolId);
  }
  /** Schools of several alliances, each once. */
  schoolsOfAlliances(allianceIds: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const a of allianceIds) for (const m of this.byAlliance.get(a) ?? []) out.add(m.schoolId);
    return out;
  }
  /** Alliances both schools are active members of. */
  sharedAlliances(schoolA: string, schoolB: string): string[] {
    const b = new Set(this.alliancesOfSchool(schoolB));
    return this.alliancesOfSchool(schoolA).filter((a) => b.has(a));
  }

  // ---- partners ----
  partner(id: string): PartnerRef | undefined {
    return this.partners.get(id);
  }
  partnersOf(allianceId: string): readonly string[] {
    return this.partnersByAlliance.get(allianceId) ?? EMPTY;
  }
  alliancesOfPartner(partnerId: string): readonly string[] {
    return this.alliancesByPartner.get(partnerId) ?? EMPTY;
  }
}

function parseTags(text: string | null): string[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export interface DirectoryOptions {
  /** How often (ms) at most the database's versions are compared with the cached ones; 0 = on every call. */
  checkMs: number;
}

const DEFAULT_CHECK_MS = 500;

export class Directory {
  private snap: OrgSnapshot | null = null;
  private loading: Promise<OrgSnapshot> | null = null;
  private checking: Promise<Versions> | null = null;
  private known: Versions = { org: -1, access: -1 };
  private checkedAt = 0;
  /** statements run by the directory itself (version checks and loads), for benchmarks and the SQL snapshot test */
  readonly stats = { checks: 0, loads: 0 };
  checkMs: number;

  constructor(
    private readonly database: Database,
    opts: Partial<DirectoryOptions> = {},
  ) {
    this.checkMs = opts.checkMs ?? DEFAULT_CHECK_MS;
  }

  /** The current snapshot: at most `checkMs` old, reloaded when the org tables changed. Call it outside transactions. */
  async current(): Promise<OrgSnapshot> {
    const v = await this.versions();
    if (this.snap && v.org >= 0 && this.snap.version === v.org) return this.snap;
    if (!this.loading) {
      const loading = this.load(v.org).finally(() => {
        if (this.loading === loading) this.loading = null;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** The database's versions as last seen, checked again when the last check is older than `checkMs`. */
  async versions(): Promise<Versions> {
    if (this.known.org >= 0 && Date.now() - this.checkedAt < this.checkMs) return this.known;
    if (!this.checking) {
      const checking = this.readVersions().finally(() => {
        if (this.checking === checking) this.checking = null;
      });
      this.checking = checking;
    }
    return this.checking;
  }

  /** After a commit that changed the organization, grants or sessions: the next call looks again. */
  invalidate(): void {
    this.checkedAt = 0;
  }

  /**
   * SQLite: the directory reads on the connection Kysely's transactions use. While one of this process's
   * write transactions is open, that connection shows its uncommitted rows (and its uncommitted version
   * bump, whose number a later commit may reuse after a rollback), so nothing is read then: a version check
   * keeps the last known versions, a load waits for the transaction to end (bounded; a snapshot read
   * inside a transaction after all is never trusted again: it gets no version).
   */
  private inWriteTransaction(): boolean {
    return this.database.sqlite?.inTransaction ?? false;
  }

  private async outOfWriteTransaction(maxMs = 2_000): Promise<boolean> {
    const until = Date.now() + maxMs;
    while (this.inWriteTransaction()) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 1));
    }
    return true;
  }

  private async readVersions(): Promise<Versions> {
    if (this.inWriteTransaction()) {
      if (this.known.org >= 0) return this.known;
      await this.outOfWriteTransaction();
      // still inside after the wait (a caller asking from within its own transaction): nothing here is trusted
      if (this.inWriteTransaction()) return { org: -1, access: -1 };
    }
    // no await between the check above and the read below (SQLite reads synchronously)
    this.stats.checks++;
    const started = Date.now();
    const rows = await this.query<{ name: string; version: number }>('select name, version from cache_versions');
    const v: Versions = { org: 0, access: 0 };
    for (const r of rows) if (r.name === 'org' || r.name === 'access') v[r.name] = Number(r.version);
    this.known = v;
    this.checkedAt = started;
    return v;
  }

  private async load(seen: number): Promise<OrgSnapshot> {
    // rows read inside an open write transaction get no version (never trusted); a version seen before a
    // commit that happened while waiting labels newer rows with an older version: reloaded on the next check
    const waited = await this.outOfWriteTransaction();
    const version = waited && !this.inWriteTransaction() ? seen : -1;
    this.stats.loads++;
    const [regions, schools, alliances, partners, members, alliancePartners] = await Promise.all([
      this.query<RegionRef>('select id, parent_id as "parentId", level, code, name from regions'),
      this.query<SchoolRef>(
        'select id, region_id as "regionId", code, name, short_name as "shortName", credit_code as "creditCode", type, location, lat, lng, tags from schools',
      ),
      this.query<AllianceRef>('select id, region_id as "regionId", name, kind, pattern, core_school_id as "coreSchoolId", status from alliances'),
      this.query<PartnerRef>('select id, region_id as "regionId", name, kind from partners'),
      this.query<MemberRef>(
        `select alliance_id as "allianceId", school_id as "schoolId", role, joined_on as "joinedOn" from alliance_members where status = 'active' order by joined_on, id`,
      ),
      this.query<{ allianceId: string; partnerId: string }>('select alliance_id as "allianceId", partner_id as "partnerId" from alliance_partners'),
    ]);
    const snap = new OrgSnapshot(version, { regions, schools, alliances, partners, members, alliancePartners });
    // a newer version may have been seen while loading: keep the newest snapshot only
    if (!this.snap || this.snap.version <= version) this.snap = snap;
    return snap;
  }

  private async query<T>(text: string): Promise<T[]> {
    const { database } = this;
    noteStatement(database, text);
    if (database.sqlite) return database.sqlite.prepare(text).all() as T[];
    if (!database.pool) throw new Error('directory: no database handle');
    const res = await database.pool.query(text);
    return res.rows as T[];
  }
}

const directories = new WeakMap<Database, Directory>();

/** The one directory of a database (created on first use; `buildApp` sets its options from the config). */
export function directoryOf(database: Database, opts?: Partial<DirectoryOptions>): Directory {
  let d = directories.get(database);
  if (!d) {
    d = new Directory(database, opts);
    directories.set(database, d);
  } else if (opts?.checkMs !== undefined) {
    d.checkMs = opts.checkMs;
  }
  return d;
}
