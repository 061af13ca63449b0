/**
 * Backups that restore (docs/backup.md), SQLite: the documented commands run as written — a backup taken
 * while a real HTTP server keeps writing, restored into a fresh data directory, `check` (files included)
 * passing there, and the restored rows a prefix of the acknowledged writes. Also: retired files still
 * reach a backup, `check` finds missing or truncated files, restore refuses while the database is in use,
 * and a failed backup leaves nothing under the backup's name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoc } from './doc-blocks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { makeTestEnv, type TestEnv } from '../testing.js';
import { sql } from 'kysely';
import { backup, DatabaseInUseError, FILE_COLUMNS, restore } from './backup.js';
import { checkFiles, runChecks } from '../check.js';
import { createDatabase } from './index.js';
import { LocalStorage, TRASH_DIR } from '../platform/storage.js';

const minimalPdf = (n: number) => Buffer.from(`%PDF-1.4\n% version ${n}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

describe.skipIf(!!process.env.DATABASE_URL)('backup and restore (SQLite)', () => {
  let env: TestEnv;
  let work: string;

  beforeAll(async () => {
    env = await makeTestEnv();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-backup-'));
  });
  afterAll(async () => {
    // the load's fetch() connections are left open by the client (bodies not read): close them, or the
    // server's close waits for them
    env?.app.server.closeAllConnections();
    await env?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs up under a write load with the documented commands; the restore passes check and holds a prefix of the acknowledged writes', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(env.app.server.address() as { port: number }).port}`;
    // sign in over HTTP like a browser
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'teacher', password: 'Xiaolian@2026' }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = cookies.find((c) => c.startsWith('xl_csrf='))!.slice('xl_csrf='.length);
    const headers = { cookie: cookies.join('; '), 'x-csrf-token': csrf, 'accept-language': 'zh-CN' };
    const lib = (await (await fetch(`${base}/api/resources?pageSize=1`, { headers })).json()) as { items: { id: string }[] };
    const target = lib.items[0]!.id;
    const draft = await fetch(`${base}/api/resources`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'lesson_plan',
        title: '备份测试教案',
        description: '备份期间反复替换文件',
        subject: 'math',
        stage: 'junior',
        grade: 'g9',
        textbookEdition: 'pep',
        chapter: '第二十二章 二次函数',
        difficulty: 'medium',
        tags: ['备份'],
        licence: 'cc_by_nc',
        visibility: 'alliance',
        allianceId: 'a_0001',
      }),
    });
    expect(draft.status, await draft.clone().text()).toBe(201);
    const draftId = ((await draft.json()) as { id: string }).id;

    // writer 1: comments, one at a time (so commit order = acknowledgement order); writer 2: replaces the
    // draft's main file again and again (each replacement retires the previous file)
    const acked: string[] = [];
    let ackedBeforeBackup = -1;
    let backupDone = false;
    let after = 0;
    const writeComments = async () => {
      for (let i = 0; i < 5000 && after < 30; i++) {
        const body = `负载写入 w${String(i).padStart(5, '0')}`;
        const res = await fetch(`${base}/api/resources/${target}/comments`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ body }),
        });
        expect(res.status).toBe(201);
        acked.push(body);
        if (backupDone) after++;
      }
    };
    let replaced = 0;
    const replaceFiles = async () => {
      for (let i = 0; i < 500 && !backupDone; i++) {
        const form = new FormData();
        form.append('file', new Blob([minimalPdf(i)], { type: 'application/pdf' }), `教案-${i}.pdf`);
        const res = await fetch(`${base}/api/resources/${draftId}/files`, { method: 'POST', headers, body: form });
        expect(res.status, await res.clone().text()).toBe(201);
        replaced++;
      }
    };
    const writers = Promise.all([writeComments(), replaceFiles()]);
    while (acked.length < 50) await new Promise((r) => setTimeout(r, 10));
    ackedBeforeBackup = acked.length;
    const started = performance.now();
    const dir = path.join(work, 'b1');
    const made = await runDoc('sqlite-backup', { DATA_DIR: env.dir, BACKUP: dir }, work);
    const backupMs = Math.round(performance.now() - started);
    backupDone = true;
    await writers;
    expect(made.code, made.out).toBe(0);
    expect(made.out).toMatch(/backup written/);
    const during = acked.length - ackedBeforeBackup - after;
    console.log(`backup under load: ${backupMs} ms (CLI start included), ${during} comments and ${replaced} file replacements acknowledged meanwhile`);
    expect(during, 'the server kept writing during the backup').toBeGreaterThan(0);
    expect(fs.readdirSync(work).filter((n) => n.includes('partial'))).toEqual([]);

    // restore into a fresh data directory with the documented commands (restore, then check incl. files)
    const fresh = path.join(work, 'restored');
    const restored = await runDoc('sqlite-restore', { DATA_DIR: fresh, BACKUP: dir }, work);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/no problems found/);

    // start from it: an app on the restored directory answers, and its rows are a prefix of the acknowledged
    const config = loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: fresh, LOG_LEVEL: 'silent' });
    const database = createDatabase(config);
    const app = await buildApp(config, { database, logger: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const rows = await database.db
        .selectFrom('resource_comments')
        .select('body')
        .where('resource_id', '=', target)
        .where('body', 'like', '负载写入 w%')
        .orderBy('body')
        .execute();
      const got = rows.map((r) => r.body);
      expect(got.length).toBeGreaterThanOrEqual(ackedBeforeBackup);
      expect(got).toEqual(acked.slice(0, got.length));
      expect(await runChecks(database)).toEqual([]);
      expect(await checkFiles(database, path.join(fresh, 'files'))).toEqual([]);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('a file retired after the snapshot still reaches the backup (it was deleted at once before)', async () => {
    const storage = env.storage;
    const row = await env.database.db
      .selectFrom('document_versions')
      .select(['file_key', 'file_size'])
      .where('file_key', 'is not', null)
      .executeTakeFirstOrThrow();
    const key = row.file_key!;
    // the state a backup meets when a replace lands between its snapshot and its file copy: the snapshot's
    // row still names the key, the storage has retired the bytes
    await storage.retire(key);
    expect(fs.existsSync(path.join(env.dir, 'files', key))).toBe(false);
    expect(fs.statSync(path.join(env.dir, 'files', TRASH_DIR, key)).size).toBe(row.file_size);
    const dir = path.join(work, 'b2');
    const res = await backup(env.config, dir);
    expect(res.missing).toEqual([]);
    expect(fs.statSync(path.join(dir, 'files', key)).size).toBe(row.file_size);
    // the live data now lacks the bytes: check says so, and names the retired copy
    const problems = await checkFiles(env.database, path.join(env.dir, 'files'));
    expect(problems).toEqual([expect.stringContaining(`${key} is missing (a retired copy is in ${TRASH_DIR}/${key}`)]);
    fs.renameSync(path.join(env.dir, 'files', TRASH_DIR, key), path.join(env.dir, 'files', key));
    expect(await checkFiles(env.database, path.join(env.dir, 'files'))).toEqual([]);
  });

  it('every column named *_key is a storage key that backups copy and check verifies', async () => {
    const cols = await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p
      where m.type = 'table'`.execute(env.database.db);
    const keys = cols.rows
      .filter((r) => r.c.endsWith('_key'))
      .map((r) => `${r.t}.${r.c}`)
      .sort();
    // a new column holding storage keys belongs in FILE_COLUMNS (db/backup.ts); any other *_key column needs another name
    expect(keys).toEqual(FILE_COLUMNS.map((f) => `${f.table}.${f.key}`).sort());
  });

  it('retired files are purged only after the retention period', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-retain-'));
    try {
      const s = new LocalStorage(root, { retentionDays: 7 });
      await s.put('a/x.bin', Buffer.from('old'));
      await s.retire('a/x.bin');
      expect(await s.purgeRetired(Date.now() + 6 * 86_400_000)).toBe(0);
      expect(fs.readFileSync(s.retainedPath('a/x.bin'), 'utf8')).toBe('old');
      expect(await s.purgeRetired(Date.now() + 8 * 86_400_000)).toBe(1);
      expect(fs.existsSync(s.retainedPath('a/x.bin'))).toBe(false);
      expect(fs.readdirSync(path.join(root, TRASH_DIR))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('check reports a file row whose bytes are missing or of another size', async () => {
    const rows = await env.database.db
      .selectFrom('document_versions')
      .select(['file_key', 'file_size'])
      .where('file_key', 'is not', null)
      .orderBy('id')
      .limit(2)
      .execute();
    const [a, b] = rows.map((r) => path.join(env.dir, 'files', r.file_key!));
    const saved = [fs.readFileSync(a!), fs.readFileSync(b!)];
    try {
      fs.rmSync(a!);
      fs.appendFileSync(b!, 'x');
      const problems = await checkFiles(env.database, path.join(env.dir, 'files'));
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain(`file ${rows[0]!.file_key} is missing`);
      expect(problems[1]).toContain(`file ${rows[1]!.file_key} has ${rows[1]!.file_size! + 1} bytes, the row records ${rows[1]!.file_size}`);
    } finally {
      fs.writeFileSync(a!, saved[0]!);
      fs.writeFileSync(b!, saved[1]!);
    }
    expect(await checkFiles(env.database, path.join(env.dir, 'files'))).toEqual([]);
  });

  it('restore refuses while a server holds the database, and changes nothing', async () => {
    const dir = path.join(work, 'b3');
    await backup(env.config, dir);
    const before = fs.statSync(env.config.sqlitePath).ino;
    await expect(restore(env.config, dir)).rejects.toBeInstanceOf(DatabaseInUseError);
    expect(fs.statSync(env.config.sqlitePath).ino).toBe(before);
    expect(fs.readdirSync(path.dirname(env.config.sqlitePath)).filter((n) => n.includes('.restore-'))).toEqual([]);
    // the server goes on writing to the same database
    const n = await env.database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(0);
  });

  it('a backup that fails leaves nothing under its name, and refuses an existing name', async () => {
    const dir = path.join(work, 'b4');
    // a referenced key that cannot be copied (a directory where the file should be)
    const row = await env.database.db.selectFrom('document_versions').select(['file_key']).where('file_key', 'is not', null).executeTakeFirstOrThrow();
    const file = path.join(env.dir, 'files', row.file_key!);
    const saved = fs.readFileSync(file);
    fs.rmSync(file);
    fs.mkdirSync(file);
    try {
      await expect(backup(env.config, dir)).rejects.toThrow();
      expect(fs.readdirSync(work).filter((n) => n.startsWith('b4'))).toEqual([]);
    } finally {
      fs.rmdirSync(file);
      fs.writeFileSync(file, saved);
    }
    await expect(backup(env.config, path.join(work, 'b3'))).rejects.toThrow(/exists already/);
    // a directory without a manifest is not a backup
    fs.mkdirSync(path.join(work, 'half'));
    await expect(
      restore({ ...env.config, dataDir: path.join(work, 'x'), sqlitePath: path.join(work, 'x', 'xiaolian.sqlite') }, path.join(work, 'half')),
    ).rejects.toThrow(/not a complete xiaolian backup/);
  });
});
