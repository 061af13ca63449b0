#!/usr/bin/env node
/**
 * xiaolian CLI: serve | migrate | seed [--scale demo|province] | backup <dir> | restore <dir> | check
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describeDatabase, loadConfig, PUBLIC_DEMO_PASSWORD, type Config } from './config.js';
import { buildApp } from './app.js';
import { createDatabase, ensureSchema } from './db/index.js';
import { migrate } from './db/migrate.js';
import { directoryOf } from './modules/org/directory.js';
import { LocalStorage } from './platform/storage.js';

const USAGE = `用法 usage: xiaolian <command>
  serve                         启动服务 (PORT, DATA_DIR, DATABASE_URL)
  migrate                       执行数据库迁移
  seed [--scale demo|province]  生成演示数据 (demo: 临川市演示区域; province: 万校规模, 供压测)
  backup <dir>                  在线备份数据库和文件到新目录 (PostgreSQL: 数据库用 pg_dump, 见 docs/backup.md)
  restore <dir>                 从备份目录恢复 (SQLite: 服务需停止, 运行中的服务会被拒绝)
  check                         检查数据一致性
  create-admin <username>       创建平台管理员（打印一次性初始密码，首次登录须修改）
  region list | region create --code <代码> --name <名称> [--parent <上级代码>]
                                区域（首次安装：省 → 市 → 区县，GB/T 2260 行政区划代码）`;

/** The longest a shutdown waits for requests in flight (systemd's TimeoutStopSec must be longer). */
const DRAIN_MS = 10_000;

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const config = loadConfig();
  await announceDatabase(config, cmd);
  switch (cmd) {
    case 'serve': {
      const started = performance.now();
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      const applied = await migrate(database);
      const storage = new LocalStorage(path.join(config.dataDir, 'files'));
      let seeded: { schools: number; alliances: number; ms: number } | null = null;
      if (config.seedOnStart) {
        const { seedDemo, DEMO_ACCOUNTS } = await import('./seed/index.js');
        const summary = await seedDemo(database, storage, { password: config.demoPassword, mustChangePassword: config.demoMustChangePassword });
        if (!summary.skipped) {
          seeded = summary;
          demoBanner(config, summary);
          printAccounts(DEMO_ACCOUNTS, config.demoPassword, console.error);
        }
      }
      const app = await buildApp(config, { database, storage });
      // stdout carries JSON lines only (the human-readable lines above and below go to stderr)
      process.on('uncaughtException', (err) => {
        app.log.fatal({ err }, 'uncaught exception');
        process.exit(1);
      });
      app.log.info(
        { database: describeDatabase(config), migrations: applied, version: config.version, production: config.production },
        applied.length ? 'migrations applied' : 'database is up to date',
      );
      for (const w of config.warnings) app.log.warn({ setting: true }, w);
      if (seeded)
        app.log.warn(
          { demo: true, schools: seeded.schools, publicPassword: config.demoPassword === PUBLIC_DEMO_PASSWORD },
          'DEMO DATA SEEDED: demo accounts exist; never use this database in production',
        );
      // expired sessions and unfinished sign-in flows are deleted every 10 minutes (by every instance: harmless)
      const { AuthService } = await import('./modules/auth/service.js');
      const auth = new AuthService(database.db, config, directoryOf(database));
      const purge = setInterval(() => auth.purgeExpired().catch((err) => app.log.warn({ err }, 'purge of expired sessions failed')), 10 * 60_000);
      purge.unref();
      // SIGTERM / SIGINT: /readyz answers 503 at once, the listener closes (no new connections), requests in
      // flight finish (at most DRAIN_MS, then their connections are cut), the pool closes, the process exits 0.
      // A second signal exits at once. A lost database connection or a stray rejection must not end the
      // process: it is logged, and the request concerned answered 503 (see isDatabaseUnavailable).
      let stopping = false;
      const close = async (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        clearInterval(purge);
        app.log.info({ signal }, 'shutting down: draining requests in flight');
        const cut = setTimeout(() => {
          app.log.warn({ drainMs: DRAIN_MS }, 'drain timeout: closing the remaining connections');
          app.server.closeAllConnections();
        }, DRAIN_MS);
        setTimeout(() => process.exit(1), DRAIN_MS + 5000).unref();
        await app.close().catch((err) => app.log.error({ err }, 'close failed'));
        clearTimeout(cut);
        await database.close().catch(() => undefined);
        process.exit(0);
      };
      process.on('SIGINT', () => void close('SIGINT'));
      process.on('SIGTERM', () => void close('SIGTERM'));
      process.on('unhandledRejection', (err) => app.log.error({ err }, 'unhandled rejection'));
      await app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
      console.error(`\n校联 xiaolian ${config.version} 已启动 (${describeDatabase(config)}, ${Math.round(performance.now() - started)} ms): ${url}\n`);
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
      if (config.production && config.demoPassword === PUBLIC_DEMO_PASSWORD) {
        throw new Error(
          `seed: refused — NODE_ENV=production and the demo accounts would get the published password ${PUBLIC_DEMO_PASSWORD}; set a private DEMO_PASSWORD`,
        );
      }
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const seed = await import('./seed/index.js');
      const summary =
        scale === 'province'
          ? await seed.seedProvince(database, { password: config.demoPassword })
          : await seed.seedDemo(database, new LocalStorage(path.join(config.dataDir, 'files')), {
              password: config.demoPassword,
              mustChangePassword: config.demoMustChangePassword,
            });
      if (!summary.skipped && scale !== 'province') demoBanner(config, summary);
      console.log(JSON.stringify(summary));
      if (scale !== 'province') printAccounts(seed.DEMO_ACCOUNTS, config.demoPassword);
      await database.close();
      return;
    }
    case 'backup': {
      const dir = args[0];
      if (!dir) throw new Error('backup needs a target directory (a new name, e.g. backups/xiaolian-2026-11-23)');
      const { backup } = await import('./db/backup.js');
      const database = config.databaseUrl ? createDatabase(config) : undefined;
      try {
        const res = await backup(config, path.resolve(dir), database);
        console.log(`backup written: ${res.dir} (database ${res.dbBytes} bytes, ${res.files} files ${res.fileBytes} bytes, ${res.ms} ms)`);
        if (res.missing.length)
          console.error(`warning: ${res.missing.length} referenced file(s) were missing in storage: ${res.missing.slice(0, 10).join(', ')}`);
      } finally {
        await database?.close();
      }
      return;
    }
    case 'restore': {
      const dir = args[0];
      if (!dir || !fs.existsSync(dir)) throw new Error('restore needs an existing backup directory');
      const { restore } = await import('./db/backup.js');
      const res = await restore(config, path.resolve(dir));
      console.log(`restored ${res.file ?? 'files'} (${res.files} files) from ${dir}`);
      return;
    }
    case 'check': {
      const database = createDatabase(config);
      const { runChecks, checkFiles } = await import('./check.js');
      const problems = await runChecks(database);
      problems.push(...(await checkFiles(database, path.join(config.dataDir, 'files'))));
      for (const p of problems) console.log(`✗ ${p}`);
      console.log(problems.length ? `${problems.length} problem(s)` : '✓ no problems found');
      await database.close();
      process.exitCode = problems.length ? 1 : 0;
      return;
    }
    case 'create-admin': {
      const username = args[0];
      if (!username || !/^[A-Za-z0-9_.-]{3,40}$/.test(username)) throw new Error('create-admin needs a username of 3–40 letters, digits, _ . -');
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      // the same code as POST /api/users (and a platform_admin grant in its transaction), acting as the installation
      const { UserService } = await import('./modules/users/service.js');
      const { systemCtx } = await import('./platform/context.js');
      const { initialPassword: password } = await new UserService(database).create(systemCtx('create-admin'), { username, displayName: '平台管理员' }, [
        { role: 'platform_admin', scopeType: 'installation', scopeId: null },
      ]);
      console.log(`platform admin ${username} created; initial password (change it at first sign-in): ${password}`);
      await database.close();
      return;
    }
    case 'region': {
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const { regionCommand } = await import('./modules/org/regions/cli.js');
      process.exitCode = await regionCommand(database, args);
      await database.close();
      return;
    }
    default:
      console.log(USAGE);
      process.exitCode = cmd ? 2 : 0;
  }
}

function printAccounts(accounts: { username: string; role: string; note: string }[], password: string, out: (s: string) => void = console.log) {
  out(`\n演示账号 demo accounts (密码 password: ${password === PUBLIC_DEMO_PASSWORD ? `${PUBLIC_DEMO_PASSWORD} (DEMO_PASSWORD)` : '$DEMO_PASSWORD'}):`);
  for (const a of accounts) out(`  ${a.username.padEnd(12)} ${a.role.padEnd(16)} ${a.note}`);
}

/** A banner nobody overlooks whenever demo accounts are created. */
function demoBanner(config: Config, summary: { schools: number; alliances: number; ms: number }) {
  const line = '!'.repeat(78);
  console.error(
    [
      line,
      `!! 演示数据已生成 DEMO DATA SEEDED into ${describeDatabase(config)}`,
      `!! ${summary.schools} 所学校, ${summary.alliances} 个联盟 (${summary.ms} ms); demo accounts such as admin exist.`,
      config.demoPassword === PUBLIC_DEMO_PASSWORD
        ? `!! 密码是公开的 THE PASSWORD IS PUBLIC (${PUBLIC_DEMO_PASSWORD}): for trying out only, never for real data.`
        : '!! Their password is $DEMO_PASSWORD.',
      config.demoMustChangePassword
        ? '!! NODE_ENV=production: every demo account must change its password at first sign-in.'
        : '!! Real deployments: SEED_ON_START unset, first admin with `create-admin` (docs/deploy.md).',
      line,
    ].join('\n'),
  );
}

/** Commands that use the database say which one; these refuse one that is missing or was never migrated. */
const DB_COMMANDS = new Set(['migrate', 'seed', 'backup', 'restore', 'check', 'create-admin', 'region']);
const NEEDS_EXISTING = new Set(['backup', 'check', 'create-admin']);
/** in production also these: a real installation is migrated first (docs/deploy.md) */
const NEEDS_EXISTING_IN_PRODUCTION = new Set(['seed', 'region']);

async function announceDatabase(config: Config, cmd: string | undefined) {
  if (!cmd || !DB_COMMANDS.has(cmd)) return;
  console.error(`数据库 database: ${describeDatabase(config)}${config.production ? ' (NODE_ENV=production)' : ''}`);
  const mustExist = NEEDS_EXISTING.has(cmd) || (config.production && NEEDS_EXISTING_IN_PRODUCTION.has(cmd));
  if (!mustExist) return;
  const hint = `run \`migrate\` (or \`serve\`) against the right database first; is the env file loaded (DATABASE_URL, DATA_DIR)?`;
  if (!config.databaseUrl && !fs.existsSync(config.sqlitePath)) {
    throw new Error(`${cmd}: refused — there is no database at ${config.sqlitePath}; ${hint}`);
  }
  const database = createDatabase(config);
  try {
    const found =
      database.dialect === 'postgres'
        ? await sql<{ t: string | null }>`select to_regclass('xl_migrations')::text as t`.execute(database.db)
        : await sql<{ t: string | null }>`select name as t from sqlite_master where type = 'table' and name = 'xl_migrations'`.execute(database.db);
    if (!found.rows[0]?.t) throw new Error(`${cmd}: refused — ${describeDatabase(config)} is empty (never migrated); ${hint}`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
