#!/usr/bin/env node
/**
 * xiaolian CLI: serve | migrate | seed [--scale demo|province] | backup <file> | restore <file> | check
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { createDatabase, ensureSchema } from './db/index.js';
import { migrate } from './db/migrate.js';
import { LocalStorage } from './platform/storage.js';

const USAGE = `用法 usage: xiaolian <command>
  serve                         启动服务 (PORT, DATA_DIR, DATABASE_URL)
  migrate                       执行数据库迁移
  seed [--scale demo|province]  生成演示数据 (demo: 临川市演示区域; province: 万校规模, 供压测)
  backup <file>                 SQLite 在线备份到文件 (PostgreSQL 见 docs/backup.md)
  restore <file>                从备份文件恢复 SQLite 数据库 (服务需停止)
  check                         检查数据一致性
  create-admin <username>       创建平台管理员（打印一次性初始密码，首次登录须修改）`;

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const config = loadConfig();
  switch (cmd) {
    case 'serve': {
      const started = performance.now();
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const storage = new LocalStorage(path.join(config.dataDir, 'files'));
      if (config.seedOnStart) {
        const { seedDemo, DEMO_ACCOUNTS } = await import('./seed/index.js');
        const summary = await seedDemo(database, storage, { password: config.demoPassword });
        if (!summary.skipped) console.log(`演示数据已生成 demo data seeded: ${summary.schools} 所学校, ${summary.alliances} 个联盟 (${summary.ms} ms)`);
        printAccounts(DEMO_ACCOUNTS, config.demoPassword);
      }
      const app = await buildApp(config, { database, storage });
      // expired sessions and unfinished sign-in flows are deleted every 10 minutes (by every instance: harmless)
      const { AuthService } = await import('./modules/auth/service.js');
      const auth = new AuthService(database.db, config);
      const purge = setInterval(() => auth.purgeExpired().catch((err) => app.log.warn({ err }, 'purge of expired sessions failed')), 10 * 60_000);
      purge.unref();
      const close = async () => {
        clearInterval(purge);
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.on('SIGINT', close);
      process.on('SIGTERM', close);
      await app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
      console.log(`\n校联 xiaolian ${config.version} 已启动 (${database.dialect}, ${Math.round(performance.now() - started)} ms): ${url}\n`);
      return;
    }
    case 'migrate': {
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      const applied = await migrate(database);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      await database.close();
      return;
    }
    case 'seed': {
      const scale = args.includes('--scale') ? args[args.indexOf('--scale') + 1] : 'demo';
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const seed = await import('./seed/index.js');
      const summary =
        scale === 'province'
          ? await seed.seedProvince(database, { password: config.demoPassword })
          : await seed.seedDemo(database, new LocalStorage(path.join(config.dataDir, 'files')), { password: config.demoPassword });
      console.log(JSON.stringify(summary));
      if (scale !== 'province') printAccounts(seed.DEMO_ACCOUNTS, config.demoPassword);
      await database.close();
      return;
    }
    case 'backup': {
      const file = args[0];
      if (!file) throw new Error('backup needs a target file');
      const { backupSqlite } = await import('./db/backup.js');
      const res = await backupSqlite(config, path.resolve(file));
      console.log(`backup written: ${res.file} (${res.bytes} bytes, ${res.ms} ms)`);
      return;
    }
    case 'restore': {
      const file = args[0];
      if (!file || !fs.existsSync(file)) throw new Error('restore needs an existing backup file');
      const { restoreSqlite } = await import('./db/backup.js');
      const res = await restoreSqlite(config, path.resolve(file));
      console.log(`restored ${res.file} from ${file}`);
      return;
    }
    case 'check': {
      const database = createDatabase(config);
      const { runChecks } = await import('./db/check.js');
      const problems = await runChecks(database);
      for (const p of problems) console.log(`✗ ${p}`);
      console.log(problems.length ? `${problems.length} problem(s)` : '✓ no problems found');
      await database.close();
      process.exitCode = problems.length ? 1 : 0;
      return;
    }
    case 'create-admin': {
      const username = args[0];
      if (!username || !/^[A-Za-z0-9_.-]{3,64}$/.test(username)) throw new Error('create-admin needs a username of 3–64 letters, digits, _ . -');
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const { initialPassword } = await import('./modules/auth/service.js');
      const { hashPassword } = await import('./platform/passwords.js');
      const { newId } = await import('./platform/ids.js');
      const { newUserRow } = await import('./modules/users/service.js');
      const password = initialPassword();
      const passwordHash = await hashPassword(password);
      const now = new Date().toISOString();
      const userId = newId();
      await database.db.transaction().execute(async (tx) => {
        await tx.insertInto('users').values(
          newUserRow({ id: userId, username, displayName: '平台管理员', passwordHash, schoolId: null, regionId: null }, now),
        ).execute();
        await tx.insertInto('role_grants').values({
          id: newId(), user_id: userId, role: 'platform_admin', scope_type: 'installation', scope_id: null, subject: null, granted_by: null, granted_at: now,
        }).execute();
        await tx.insertInto('audit_log').values({
          at: now, actor_id: null, actor_name: 'cli', ip: null, request_id: null, action: 'user.create', entity_type: 'user',
          entity_id: userId, region_id: null, alliance_id: null, school_id: null, detail: JSON.stringify({ username, role: 'platform_admin', via: 'create-admin' }),
        }).execute();
      });
      console.log(`platform admin ${username} created; initial password (change it at first sign-in): ${password}`);
      await database.close();
      return;
    }
    default:
      console.log(USAGE);
      process.exitCode = cmd ? 2 : 0;
  }
}

function printAccounts(accounts: { username: string; role: string; note: string }[], password: string) {
  console.log(`\n演示账号 demo accounts (密码 password: ${password === 'Xiaolian@2026' ? 'Xiaolian@2026 (DEMO_PASSWORD)' : '$DEMO_PASSWORD'}):`);
  for (const a of accounts) console.log(`  ${a.username.padEnd(12)} ${a.role.padEnd(16)} ${a.note}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
