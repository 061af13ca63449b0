/**
 * Test helper: runs the shell blocks of docs/backup.md marked `<!-- tested: name -->` exactly as written,
 * with `xiaolian` on PATH as this checkout's CLI, so the backup docs are the commands the tests run.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shell block of docs/backup.md marked `<!-- tested: name -->`. */
export function docBlock(name: string): string {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/backup.md'), 'utf8');
  const m = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/backup.md has no block "${name}"`);
  return m[1]!;
}

/** Runs a documented block with bash (`xiaolian` is this checkout's CLI); resolves with its output. */
export function runDoc(name: string, env: Record<string, string>, cwd: string): Promise<{ code: number; out: string }> {
  const shim = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-shim-'));
  fs.writeFileSync(path.join(shim, 'xiaolian'), `#!/bin/sh\nexec "${ROOT}/node_modules/.bin/tsx" "${ROOT}/src/server/main.ts" "$@"\n`, { mode: 0o755 });
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATABASE_SCHEMA;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', docBlock(name)],
      {
        cwd,
        env: { ...base, PATH: `${shim}:${process.env.PATH}`, LOG_LEVEL: 'silent', SEED_ON_START: '0', ...env },
        maxBuffer: 1 << 24,
      },
      (err, stdout, stderr) => {
        fs.rmSync(shim, { recursive: true, force: true });
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}
