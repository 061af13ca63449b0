#!/usr/bin/env node
/**
 * `npm run bench -- <name>`: builds the server bundle, then runs bench/<name>.ts with tsx.
 * Each benchmark prints its figures and writes bench/results/<name>.json.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
const available = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`用法 usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
const run = (cmd, args) => {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
};
run('npm', ['run', '--silent', 'build:server']);
run(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`), ...process.argv.slice(3)]);
