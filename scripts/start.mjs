#!/usr/bin/env node
/**
 * `npm start`: builds the web app and the server when the build is missing or older than the sources,
 * then runs `xiaolian serve` (migrates, serves PORT on 127.0.0.1 unless HOST is set).
 * Demo data is opt-in (SEED_ON_START=1), with one exception: the very first `npm start` of a fresh checkout
 * (no SQLite database yet, no DATABASE_URL, NODE_ENV not production) seeds the demo region, loudly.
 * Extra arguments are passed to the CLI: `npm start -- seed --scale province`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputs = [path.join(root, 'dist/server/main.js'), path.join(root, 'dist/web/index.html')];
const inputs = ['src', 'package.json', 'package-lock.json', 'vite.config.ts'].map((p) => path.join(root, p));

function newest(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const built = Math.min(...outputs.map((p) => fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0));
if (built === 0 || Math.max(...inputs.map(newest)) > built) {
  console.log('构建中 building web app and server…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (process.argv.length <= 2) {
  process.argv.push('serve');
  const sqlite = path.resolve(process.env.DATA_DIR || './data', 'xiaolian.sqlite');
  const fresh = !process.env.DATABASE_URL && !fs.existsSync(sqlite);
  if (fresh && process.env.NODE_ENV !== 'production' && process.env.SEED_ON_START === undefined) {
    console.error(`首次启动：生成演示数据 first start of a fresh checkout: seeding the demo region into ${sqlite} (SEED_ON_START=0 to skip)`);
    process.env.SEED_ON_START = '1';
  }
}
await import(pathToFileURL(outputs[0]).href);
