/**
 * A rolling restart of two instances under load (only when DATABASE_URL is set; `npm run build` first).
 * The test plays nginx: a round-robin client over keep-alive connections that passes an idempotent request
 * to the other instance on a connection error or a 503, at most once per instance, exactly as
 * docs/deploy.md's upstream does (`proxy_next_upstream error timeout http_503; proxy_next_upstream_tries 2`).
 * The restart is docs/deploy.md's procedure, one instance at a time: SIGTERM (the instance drains and exits
 * 0), start it again on the same port, wait until /readyz answers 200, then the next one.
 * Expected: 0 failed requests, not a single 503 even at the first attempt, both old processes exit 0 within
 * the drain limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Session } from '../../bench/_booking-lib.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { apiSignIn, call, dropSchema, freshSchema, spawnServe, waitFor, type Instance } from './harness';

const PG_URL = process.env.DATABASE_URL || undefined;
const WORKERS = 8;

describe.skipIf(!PG_URL)('rolling restart of two instances under load, PostgreSQL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-rolling-'));
  const schema = freshSchema('e2e_rolling');
  const env = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, DATA_DIR: dataDir };
  const upstreams: Instance[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let bureau: Session;

  beforeAll(async () => {
    upstreams.push(await spawnServe({ ...env, SEED_ON_START: '1' }));
    upstreams.push(await spawnServe({ ...env, SEED_ON_START: '0' }));
    bureau = await apiSignIn(upstreams[0].url, 'bureau');
  }, 240_000);
  afterAll(async () => {
    agent.destroy();
    await Promise.all(upstreams.map((u) => u.stop('SIGTERM', 5000).catch(() => undefined)));
    await dropSchema(PG_URL!, schema).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM, restart, wait for /readyz, one instance at a time: 0 failed idempotent requests', async () => {
    const paths = ['/api/schools?pageSize=5', '/api/facilities?pageSize=5', '/api/alliances?pageSize=5', '/api/auth/me'];
    const stats = {
      requests: 0,
      failed: [] as string[],
      passedOn: 0,
      firstAttempt: { connectionErrors: 0, unavailable: 0 },
      byPhase: [0, 0, 0],
      errorCodes: {} as Record<string, number>,
    };
    let phase = 0; // 0 before, 1 during, 2 after the roll
    let rr = 0;
    let running = true;

    /** One request the way nginx's upstream module handles it: next upstream on error or 503, each tried once. */
    async function proxied(p: string): Promise<void> {
      const first = rr++ % upstreams.length;
      let last = '';
      for (let t = 0; t < upstreams.length; t++) {
        const u = upstreams[(first + t) % upstreams.length];
        try {
          const r = await call(agent, u.url, 'GET', p, bureau.headers());
          if (r.status === 503) {
            if (t === 0) stats.firstAttempt.unavailable++;
            last = `503 ${JSON.stringify(r.body)}`;
            continue;
          }
          if (r.status !== 200) last = `${r.status} ${JSON.stringify(r.body)}`;
          else last = '';
          if (t > 0) stats.passedOn++;
          break;
        } catch (err) {
          if (t === 0) {
            stats.firstAttempt.connectionErrors++;
            const code = String((err as { code?: string }).code ?? (err as Error).message);
            stats.errorCodes[code] = (stats.errorCodes[code] ?? 0) + 1;
          }
          last = `connection error ${String(err)}`;
        }
      }
      stats.requests++;
      stats.byPhase[phase]++;
      if (last) stats.failed.push(`${p}: ${last}`);
    }

    const load = Promise.all(
      Array.from({ length: WORKERS }, async (_, i) => {
        for (let k = i; running; k++) await proxied(paths[k % paths.length]);
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    phase = 1;
    const drains: number[] = [];
    for (let i = 0; i < upstreams.length; i++) {
      const old = upstreams[i];
      const t0 = performance.now();
      const code = await old.stop('SIGTERM', 30_000);
      drains.push(Math.round(performance.now() - t0));
      expect(code, old.log()).toBe(0);
      const fresh = await spawnServe({ ...env, SEED_ON_START: '0' }, { port: old.port, ready: false });
      upstreams[i] = fresh;
      await waitFor(fresh, '/readyz', 120_000);
    }
    phase = 2;
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await load;

    console.log(`rolling restart: ${JSON.stringify({ ...stats, failed: stats.failed.length, drainMs: drains })}`);
    expect(stats.failed.slice(0, 5)).toEqual([]);
    // a draining instance still serves what arrives on its open connections (with Connection: close) instead
    // of answering 503, so even nginx's default `proxy_next_upstream error timeout` (no http_503) loses nothing
    expect(stats.firstAttempt.unavailable).toBe(0);
    expect(stats.byPhase.every((n) => n > 0)).toBe(true);
    for (const u of upstreams) expect((await fetch(`${u.url}/readyz`)).status).toBe(200);
  }, 300_000);
});

/** Raw HTTP/1.1 over one socket: the requests written so far and the bytes answered. */
function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (b: Buffer) => (received += b.toString()));
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('error', () => undefined);
  return {
    send: (p: string) => socket.write(`GET ${p} HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\n\r\n`),
    received: () => received,
    closed,
  };
}

describe('draining (in process, SQLite)', () => {
  it('during shutdown a request in flight completes, a request on its open connection gets /readyz 503 shutting_down, then the connection closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-drain-'));
    const config = loadConfig({ ...process.env, DATABASE_URL: '', DATABASE_SCHEMA: undefined, DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_ON_START: '0' });
    const app = await buildApp(config, { logger: false });
    let release!: () => void;
    const started = new Promise<void>((resolveStarted) => {
      app.get('/test-slow', async () => {
        resolveStarted();
        await new Promise<void>((r) => (release = r));
        return { done: true };
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as net.AddressInfo).port;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const conn = rawConnection(port);
      conn.send('/test-slow');
      await started;
      const closing = app.close(); // what SIGTERM does
      await new Promise((r) => setTimeout(r, 100));
      // no new connections
      await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
      conn.send('/readyz'); // arrives on the open connection while the instance drains
      await new Promise((r) => setTimeout(r, 100));
      release();
      await conn.closed;
      await closing;
      const answers = conn.received().split(/(?=HTTP\/1\.1 )/);
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
      expect(answers[0]).toContain('{"done":true}');
      expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(answers[1]).toMatch(/retry-after: \d+/i);
      expect(answers[1]).toMatch(/connection: close/i);
      expect(answers[1]).toContain('"code":"shutting_down"');
    } finally {
      release?.();
      await app.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
