#!/usr/bin/env node
/**
 * `npm start`: builds the web app and the server when the build is missing or older than the sources,
 * then runs `xiaolian serve` (migrates, seeds the demo region on first start, serves PORT).
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

if (process.argv.length <= 2) process.argv.push('serve');
await import(pathToFileURL(outputs[0]).href);
