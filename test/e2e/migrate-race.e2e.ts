/**
 * Several instances starting together on an empty PostgreSQL database (only when DATABASE_URL is set):
 *  - 10 times, two `serve` processes start at the same moment on a fresh schema: both serve (/readyz 200),
 *    every migration is recorded once, and a later `migrate` finds nothing to do;
 *  - 10 times, two `migrate` commands run at the same moment: both succeed, exactly one applies the
 *    migrations and the other reports the database up to date;
 *  - 10 times, three connection pools of one process call ensureSchema + migrate in the same tick (the
 *    tightest race, where a process start's jitter does not spread the contenders apart);
 *  - SQLite (always): two `migrate` commands on one new file at the same moment (BEGIN IMMEDIATE) both succeed.
 * Before the fix the bookkeeping table was created before the advisory lock was taken (and the schema with
 * a bare `create schema if not exists`), so a pair could die on a duplicate key in the catalog.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, ensureSchema } from '../../src/server/db/index.js';
import { migrate } from '../../src/server/db/migrate.js';
import { dropSchema, freshSchema, runCli, spawnServe, type Instance } from './harness';

const PG_URL = process.env.DATABASE_URL || undefined;
const ROUNDS = 10;

describe.skipIf(!PG_URL)('migrations race, PostgreSQL', () => {
  const schemas: string[] = [];
  const dirs: string[] = [];
  const env = (schema: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-migrate-race-'));
    dirs.push(dir);
    schemas.push(schema);
    return { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, DATA_DIR: dir, SEED_ON_START: '0' };
  };
  afterAll(async () => {
    for (const s of schemas) await dropSchema(PG_URL!, s).catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function recorded(schema: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const r = await client.query<{ name: string }>(`select name from "${schema}".xl_migrations order by name`);
      return r.rows.map((x) => x.name);
    } finally {
      await client.end();
    }
  }

  it(`two instances started together on an empty database, ${ROUNDS} times: both serve, migrations applied once`, async () => {
    let expected: string[] | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const e = env(freshSchema('e2e_migrace'));
      const started = await Promise.allSettled([spawnServe(e), spawnServe(e)]);
      const up = started.filter((s): s is PromiseFulfilledResult<Instance> => s.status === 'fulfilled').map((s) => s.value);
      try {
        const failures = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason).slice(0, 600));
        expect(failures, `round ${round}`).toEqual([]);
        for (const inst of up) expect((await fetch(`${inst.url}/readyz`)).status).toBe(200);
        const names = await recorded(e.DATABASE_SCHEMA);
        expect(new Set(names).size).toBe(names.length);
        expected ??= names;
        expect(names).toEqual(expected);
        const again = await runCli(['migrate'], e);
        expect(again.status, again.out).toBe(0);
        expect(again.out).toContain('database is up to date');
      } finally {
        const codes = await Promise.all(up.map((i) => i.stop()));
        expect(codes).toEqual(up.map(() => 0)); // a clean SIGTERM exit
      }
    }
    expect(expected!.length).toBeGreaterThan(5);
  }, 360_000); // ~40 s on an idle machine; generous for a loaded CI host

  it(`two \`migrate\` commands at the same moment, ${ROUNDS} times: both succeed, one applies, the other finds nothing to do`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const e = env(freshSchema('e2e_migcli'));
      const [a, b] = await Promise.all([runCli(['migrate'], e), runCli(['migrate'], e)]);
      expect([a.status, b.status], `round ${round}:\n${a.out}\n${b.out}`).toEqual([0, 0]);
      const outs = [a.out, b.out];
      expect(outs.filter((o) => o.includes('applied: ')).length, outs.join('\n')).toBe(1);
      expect(outs.filter((o) => o.includes('database is up to date')).length, outs.join('\n')).toBe(1);
    }
  }, 240_000);

  it(`three migrations started in the same tick, ${ROUNDS} times: all succeed, each migration applied once`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const schema = freshSchema('e2e_migtick');
      schemas.push(schema);
      const databases = [0, 1, 2].map(() => createDatabase({ databaseUrl: PG_URL, databaseSchema: schema, sqlitePath: ':memory:' }));
      try {
        const results = await Promise.allSettled(
          databases.map(async (d) => {
            await ensureSchema(d, schema);
            return migrate(d);
          }),
        );
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
        expect(failures, `round ${round}`).toEqual([]);
        const applied = results.map((r) => (r as PromiseFulfilledResult<string[]>).value);
        // one of them applied everything, the others found nothing to do
        expect(applied.filter((a) => a.length > 0).length, JSON.stringify(applied)).toBe(1);
        expect(applied.flat().sort()).toEqual(await recorded(schema));
      } finally {
        await Promise.all(databases.map((d) => d.close()));
      }
    }
  }, 180_000);
});

describe('migrations race, SQLite (one file, two processes)', () => {
  it('two `migrate` commands on one new file at the same moment, 5 times: both succeed, every migration recorded once', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-migrate-sqlite-'));
      try {
        const e = { DATABASE_URL: undefined, DATABASE_SCHEMA: undefined, DATA_DIR: dir };
        const [a, b] = await Promise.all([runCli(['migrate'], e), runCli(['migrate'], e)]);
        expect([a.status, b.status], `round ${round}:\n${a.out}\n${b.out}`).toEqual([0, 0]);
        const database = createDatabase({ sqlitePath: path.join(dir, 'xiaolian.sqlite') });
        const rows = database.sqlite!.prepare('select name from xl_migrations').all() as { name: string }[];
        await database.close();
        // what the two reported as applied, together, is exactly what is recorded
        const applied = [a.out, b.out].flatMap((o) => /applied: (.*)/.exec(o)?.[1].split(', ') ?? []).sort();
        expect(applied).toEqual(rows.map((r) => r.name).sort());
        expect(rows.length).toBeGreaterThan(5);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
