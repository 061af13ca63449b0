/**
 * Real ids to fuzz with: a few rows of every record kind (the first and the last by id, so both the demo
 * region and the foreign region added by testkit appear), and matching pairs for routes with two ids.
 * The demo accounts themselves (and their grants) are left out, so that a fuzzed "reset password" or
 * "remove grant" that happens to succeed does not end the session of the role being fuzzed.
 */
import { sql } from 'kysely';
import type { Database } from '../db/index.js';
import type { IdPools } from './cases.js';

/** path segment before `{id}` → table */
const SEGMENTS: Record<string, string> = {
  regions: 'regions',
  schools: 'schools',
  alliances: 'alliances',
  bodies: 'governance_bodies',
  milestones: 'milestones',
  documents: 'documents',
  applications: 'membership_applications',
  users: 'users',
  grants: 'role_grants',
  imports: 'imports',
  facilities: 'facilities',
  closures: 'closures',
  equipment: 'equipment',
  kits: 'mobile_kits',
  bookings: 'bookings',
  waitlist: 'waitlist',
  loans: 'equipment_loans',
  resources: 'resources',
  'resource-comments': 'resource_comments',
  notifications: 'resource_notifications',
  accounts: 'credit_accounts',
  transactions: 'credit_transactions',
  members: 'schools',
  files: 'resource_files',
};

/** body / query field name (without "Id") → table */
const FIELDS: Record<string, string> = {
  facility: 'facilities',
  school: 'schools',
  coreSchool: 'schools',
  nearSchool: 'schools',
  memberSchool: 'schools',
  owner: 'schools',
  alliance: 'alliances',
  region: 'regions',
  partner: 'partners',
  user: 'users',
  reviewer: 'users',
  actor: 'users',
  equipment: 'equipment',
  account: 'credit_accounts',
  resource: 'resources',
  kit: 'mobile_kits',
  booking: 'bookings',
  document: 'documents',
  entity: 'schools',
  body: 'governance_bodies',
  file: 'resource_files',
};

const PAIRS: { path: RegExp; query: string; names: [string, string] }[] = [
  { path: /\/resources\/\{id\}\/files\/\{fileId\}/, query: 'select resource_id as a, id as b from resource_files', names: ['id', 'fileId'] },
  { path: /\/alliances\/\{id\}\/members\/\{schoolId\}/, query: 'select alliance_id as a, school_id as b from alliance_members', names: ['id', 'schoolId'] },
  { path: /\/documents\/\{id\}\/versions\/\{version\}/, query: 'select document_id as a, version as b from document_versions', names: ['id', 'version'] },
];

export async function loadPools(database: Database, protectedUsers: string[]): Promise<IdPools> {
  const db = database.db;
  const ids = new Map<string, string[]>();
  const tables = new Set([...Object.values(SEGMENTS), ...Object.values(FIELDS)]);
  const quoted = (t: string) => sql.table(t);
  for (const t of tables) {
    try {
      let filter = sql``;
      if (t === 'users') filter = sql`where id not in (${sql.join(protectedUsers)})`;
      if (t === 'role_grants') filter = sql`where user_id not in (${sql.join(protectedUsers)})`;
      const first = await sql<{ id: string | number }>`select id from ${quoted(t)} ${filter} order by id limit 3`.execute(db);
      const last = await sql<{ id: string | number }>`select id from ${quoted(t)} ${filter} order by id desc limit 2`.execute(db);
      ids.set(t, [...new Set([...first.rows, ...last.rows].map((r) => String(r.id)))]);
    } catch {
      ids.set(t, []);
    }
  }
  const pairs = new Map<RegExp, Record<string, string>[]>();
  for (const p of PAIRS) {
    const r = await sql<{ a: string; b: string | number }>`${sql.raw(p.query)} order by 1, 2 limit 3`.execute(db);
    const r2 = await sql<{ a: string; b: string | number }>`${sql.raw(p.query)} order by 1 desc, 2 desc limit 2`.execute(db);
    pairs.set(
      p.path,
      [...r.rows, ...r2.rows].map((x) => ({ [p.names[0]]: x.a, [p.names[1]]: String(x.b) })),
    );
  }
  const all = [...new Set([...ids.values()].flat())];
  return {
    forSegment: (segment) => ids.get(SEGMENTS[segment] ?? '') ?? [],
    pairs: (path) => [...pairs].find(([re]) => re.test(path))?.[1] ?? [],
    ids(name) {
      const base = name.replace(/Ids?$/, '');
      const t = FIELDS[base];
      if (t) return ids.get(t) ?? [];
      return all;
    },
  };
}
