/**
 * The first-run CLI on a fresh installation: `xiaolian region create|list` as a separate process against a
 * temp DATA_DIR (or a fresh PostgreSQL schema when DATABASE_URL is set), then the rows checked directly.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.js';
import { createDatabase } from '../../../db/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-cli-'));
const schema = process.env.DATABASE_URL ? `t_cli_${crypto.randomBytes(5).toString('hex')}` : undefined;
const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_ON_START: '0', LANG: 'zh_CN.UTF-8', ...(schema ? { DATABASE_SCHEMA: schema } : {}) };

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('xiaolian region (CLI)', () => {
  const config = loadConfig(env);
  afterAll(async () => {
    if (schema) {
      const database = createDatabase(config);
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates province → city → county on an empty installation and lists them', async () => {
    const empty = cli('region', 'list');
    expect(empty.code, empty.out).toBe(0);
    expect(empty.out).toContain('还没有任何区域');

    expect(cli('region', 'create', '--code', '360000', '--name', '江西省').code).toBe(0);
    const city = cli('region', 'create', '--code', '361000', '--name', '抚州市', '--parent', '360000');
    expect(city.code, city.out).toBe(0);
    expect(city.out).toContain('361000 地市级 抚州市');
    expect(cli('region', 'create', '--code=361002', '--name=临川区', '--parent=361000').code).toBe(0);

    // the same rules as the API: a wrong prefix is refused naming the field, an unknown parent too
    const bad = cli('region', 'create', '--code', '371000', '--name', '错前缀市', '--parent', '360000');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('code: 应以上级区域代码的前 2 位“36”开头');
    const orphan = cli('region', 'create', '--code', '361003', '--name', '东乡区', '--parent', '369900');
    expect(orphan.code).toBe(1);
    expect(orphan.out).toContain('369900');
    const dup = cli('region', 'create', '--code', '360000', '--name', '又一个江西省');
    expect(dup.code).toBe(1);
    expect(dup.out).toContain('已存在');

    const list = cli('region', 'list');
    expect(list.code).toBe(0);
    const lines = list.out
      .trim()
      .split('\n')
      .filter((l) => /^\d{6}\t/.test(l));
    expect(lines.map((l) => l.split('\t').slice(0, 4))).toEqual([
      ['360000', '省级', '江西省', '-'],
      ['361000', '地市级', '抚州市', '360000'],
      ['361002', '区县级', '临川区', '361000'],
    ]);

    const database = createDatabase(config);
    try {
      const rows = await database.db.selectFrom('regions').select(['id', 'code', 'level', 'parent_id']).orderBy('code').execute();
      expect(rows.map((r) => [r.code, r.level])).toEqual([
        ['360000', 'province'],
        ['361000', 'city'],
        ['361002', 'district'],
      ]);
      expect(rows[1]!.parent_id).toBe(rows[0]!.id);
      expect(rows[2]!.parent_id).toBe(rows[1]!.id);
      const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'region.create').execute();
      expect(audit.length).toBe(3);
      expect(audit.every((a) => a.actor_name === 'cli' && a.actor_id === null)).toBe(true);
    } finally {
      await database.close();
    }
  }, 300_000);
});
