/**
 * THE FUZZ SUITE (safe to deploy): every API route of the OpenAPI document, as every demo role and with no
 * session, with generated requests — plausible ones built from the route's schema and real ids, then
 * mutated: hostile path params, query strings (impossible dates, huge numbers, arrays), JSON bodies with
 * wrong types, missing and extra keys, control and bidi characters, 100 kB strings, deep nesting and huge
 * arrays, non-JSON and truncated multipart bodies. fast-check with a fixed seed, bounded by count.
 *
 * Invariants: no answer ≥ 500; every answer within 2 s (none hangs); every 4xx is problem+json with a
 * code; a 4xx wrote nothing (row counts and latest updated_at of every table, files in the data folder);
 * /healthz answers after every route.
 *
 * FUZZ_RUNS (inputs per route and role, default 6: ~7,400 requests) and FUZZ_SEED change the run; the summary is printed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { makeTestEnv, type Client, type TestEnv } from './testing.js';
import { addForeignRegion } from './testkit.js';
import { operations, type FuzzCase, type Operation } from './fuzz/gen.js';
import { caseArb, seedOf, sharpCases, type IdPools } from './fuzz/cases.js';
import { loadPools } from './fuzz/pools.js';
import { diff, StateProbe, type Snapshot } from './fuzz/state.js';

const ROLES = ['anon', 'admin', 'bureau', 'evaluator', 'secretary', 'principal', 'teacher', 'reviewer', 'student', 'guardian', 'partner'] as const;
type Role = (typeof ROLES)[number];
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const LIMIT_MS = 2000;
/** FUZZ_ROUTES: a regular expression over "METHOD /path" to fuzz only some routes (while debugging) */
const ONLY = process.env.FUZZ_ROUTES ? new RegExp(process.env.FUZZ_ROUTES) : null;
/** refusals the onRequest hook gives before any handler runs (they depend on the session only) */
const HOOK_CODES = new Set(['unauthenticated', 'session_expired', 'forbidden', 'csrf_failed', 'password_change_required']);
/** routes that may end or weaken the session of the role being fuzzed run after all others, logout last */
const LATE = [
  'POST /api/auth/login',
  'POST /api/auth/password',
  'PATCH /api/auth/me',
  'PATCH /api/users/{id}',
  'POST /api/users/{id}/reset-password',
  'DELETE /api/grants/{id}',
];
const LAST = ['POST /api/auth/logout'];
/**
 * Writes a refused request may legitimately make: a failed sign-in (or wrong current password) counts
 * against the account and the address — that is the throttle itself.
 */
const MAY_WRITE_ON_4XX: Record<string, RegExp> = {
  'POST /api/auth/login': /^(users|audit_log|sessions)$|login|throttl|attempt|lockout/,
  'POST /api/auth/password': /^(users|audit_log|sessions)$|login|throttl|attempt|lockout/,
};

interface Failure {
  what: 'status>=500' | 'hung' | 'slow' | 'not-problem-json' | 'wrote-on-4xx' | 'healthz' | 'session-lost';
  route: string;
  role: Role | '-';
  status?: number;
  detail: string;
  input?: string;
}

const show = (c: FuzzCase) => {
  const p =
    c.payload === undefined ? '' : Buffer.isBuffer(c.payload) ? `<${c.payload.length} bytes ${c.payload.subarray(0, 80).toString('latin1')}>` : c.payload;
  const body = JSON.stringify(p.length > 240 ? `${p.slice(0, 240)}…(${p.length} chars)` : p);
  const url = c.url.length > 240 ? `${c.url.slice(0, 240)}…(${c.url.length} chars)` : c.url;
  return `[${c.kind}] ${c.method} ${url} ${JSON.stringify(c.headers['content-type'] ?? '')} ${body}`;
};

function timed<T>(p: Promise<T>): Promise<{ value?: T; ms: number; hung: boolean }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout;
  const limit = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), LIMIT_MS);
  });
  return Promise.race([p, limit]).then((v) => {
    clearTimeout(timer);
    const ms = performance.now() - t0;
    return v === 'hung' ? { ms, hung: true } : { value: v as T, ms, hung: false };
  });
}

function codeOf(res: LightMyRequestResponse): string | undefined {
  try {
    const b = JSON.parse(res.body);
    return typeof b?.code === 'string' ? b.code : undefined;
  } catch {
    return undefined;
  }
}

describe('fuzz: every route × every role', () => {
  let env: TestEnv;
  let pools: IdPools;
  let probe: StateProbe;
  const clients = new Map<Role, Client>();
  const errorsLogged: string[] = [];

  beforeAll(async () => {
    env = await makeTestEnv();
    await addForeignRegion(env.database, env.storage);
    // the app logs nothing in tests; catch what its error handler reports for a 5xx (the stack)
    const log = env.app.log as unknown as { error: (...a: unknown[]) => void };
    log.error = (obj: unknown) => {
      const err = (obj as { err?: Error })?.err;
      errorsLogged.push(err ? `${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(obj));
    };
    for (const role of ROLES) clients.set(role, role === 'anon' ? env.anon() : await env.login(role));
    pools = await loadPools(
      env.database,
      ROLES.filter((r) => r !== 'anon').map((r) => `u_${r}`),
    );
    probe = new StateProbe(env.database, env.dir, env.storage);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  it('answers every generated request below 500, within 2 s, as problem+json, and writes nothing for a 4xx', async () => {
    const started = performance.now();
    const doc = env.app.swagger() as Record<string, unknown>;
    const documented = operations(doc);
    // every registered route is fuzzed: the documented operation, or (hidden routes) its bare path
    const ops: Operation[] = env.app.xl.routes.map((r) => {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      return (
        documented.find((o) => o.method === r.method && o.path === p) ?? {
          method: r.method,
          path: p,
          multipart: false,
          params: [...p.matchAll(/\{(\w+)\}/g)].map((m) => ({ in: 'path' as const, name: m[1]!, required: true, schema: { type: 'string' } })),
        }
      );
    });
    const key = (o: Operation) => `${o.method} ${o.path}`;
    const rank = (o: Operation) => (LAST.includes(key(o)) ? 3 : LATE.includes(key(o)) ? 2 : o.method === 'GET' ? 0 : 1);
    ops.sort((a, b) => rank(a) - rank(b));
    if (ONLY) ops.splice(0, ops.length, ...ops.filter((o) => ONLY.test(key(o))));

    const failures: Failure[] = [];
    const statusCount = new Map<string, number>();
    let requests = 0;
    let pairs = 0;
    let snapshots = 0;
    let maxMs = 0;
    let slowest = '';
    let base: Snapshot = await probe.snapshot();
    let snapMs = 0;
    let requestMs = 0;
    const snap = async () => {
      snapshots++;
      const t0 = performance.now();
      const s = await probe.snapshot();
      snapMs += performance.now() - t0;
      return s;
    };

    for (const op of ops) {
      const k = key(op);
      const arb = caseArb(op, pools);
      const sharp = sharpCases(op, pools);
      for (const role of ROLES) {
        pairs++;
        // the platform admin passes every permission check: it gets twice the inputs, so that routes only
        // it may call are fuzzed as deeply as the others
        const cases = [...sharp, ...fc.sample(arb, { seed: seedOf(`${k} ${role}`, SEED), numRuns: role === 'admin' ? 2 * RUNS : RUNS })];
        let hookRefusals = 0;
        let sent = 0;
        let sessionGone = false;
        // GET: one snapshot per batch; the refused requests are replayed one by one only if it changed
        const lazy = op.method === 'GET';
        const pending: { c: FuzzCase; s: number; code?: string }[] = [];
        const ignore = MAY_WRITE_ON_4XX[k];
        const changes = (a: Snapshot, b: Snapshot) => diff(a, b, ignore ? (t) => ignore.test(t) : undefined);
        const send = (c: FuzzCase) => timed(clients.get(role)!.request({ method: c.method as never, url: c.url, headers: c.headers, payload: c.payload }));
        for (const c of cases) {
          // a role the hook refuses is refused whatever the input: three tries show it
          if (sent >= 3 && hookRefusals === sent) break;
          sent++;
          requests++;
          const errorsBefore = errorsLogged.length;
          const r = await send(c);
          requestMs += r.ms;
          if (r.ms > maxMs) {
            maxMs = r.ms;
            slowest = `${k} as ${role} ${show(c).slice(0, 160)}`;
          }
          if (r.hung) {
            // what the abandoned request left behind so far belongs to it, not to the next one
            const now = await snap();
            const left = changes(base, now);
            base = now;
            failures.push({
              what: 'hung',
              route: k,
              role,
              detail: `no answer within ${LIMIT_MS} ms${left.length ? `; left behind: ${left.join('; ')}` : ''}`,
              input: show(c),
            });
            continue;
          }
          const res = r.value!;
          const s = res.statusCode;
          const cls = `${Math.floor(s / 100)}xx`;
          statusCount.set(cls, (statusCount.get(cls) ?? 0) + 1);
          if (r.ms > LIMIT_MS) failures.push({ what: 'slow', route: k, role, status: s, detail: `${Math.round(r.ms)} ms`, input: show(c) });
          const code = codeOf(res);
          if (s >= 500) {
            const logged = errorsLogged.slice(errorsBefore).join('\n---\n');
            failures.push({ what: 'status>=500', route: k, role, status: s, detail: `${res.body.slice(0, 200)}\n${logged}`, input: show(c) });
            continue;
          }
          if (s >= 400) {
            if (!/^application\/problem\+json/.test(String(res.headers['content-type'])) || !code) {
              failures.push({
                what: 'not-problem-json',
                route: k,
                role,
                status: s,
                detail: `${res.headers['content-type']} ${res.body.slice(0, 160)}`,
                input: show(c),
              });
            }
            if (code === 'unauthenticated' || code === 'session_expired') sessionGone = role !== 'anon';
            if (code && HOOK_CODES.has(code)) {
              hookRefusals++;
              continue; // refused before any handler ran: checked once at the end of the batch
            }
            if (lazy) {
              pending.push({ c, s, code });
              continue;
            }
            const now = await snap();
            const changed = changes(base, now);
            if (changed.length)
              failures.push({ what: 'wrote-on-4xx', route: k, role, status: s, detail: `${code} wrote: ${changed.join('; ')}`, input: show(c) });
            base = now;
          } else if (!lazy) {
            base = await snap(); // a 2xx may change things: the next request compares against after
          }
        }
        // the end of the batch: anything written since the last snapshot?
        if (lazy || hookRefusals) {
          const now = await snap();
          const changed = changes(base, now);
          base = now;
          if (changed.length && !pending.length && hookRefusals === sent) {
            failures.push({ what: 'wrote-on-4xx', route: k, role, detail: `refused requests wrote: ${changed.join('; ')}` });
          }
          // a 2xx, or one of the refused requests? replay each refused one between two snapshots
          for (const p of changed.length ? pending : []) {
            const r = await send(p.c);
            requests++;
            const after = await snap();
            const again = changes(base, after);
            if (again.length && !r.hung && r.value!.statusCode >= 400) {
              failures.push({
                what: 'wrote-on-4xx',
                route: k,
                role,
                status: r.value!.statusCode,
                detail: `${p.code} wrote: ${again.join('; ')}`,
                input: show(p.c),
              });
            }
            base = after;
          }
        }
        if (sessionGone && !LAST.includes(k)) {
          failures.push({ what: 'session-lost', route: k, role, detail: 'the role was signed out by this route; signed in again' });
          clients.set(role, await env.login(role));
        }
      }
      const h = await timed(env.anon().get('/healthz'));
      if (h.hung || h.value!.statusCode !== 200)
        failures.push({ what: 'healthz', route: k, role: '-', detail: h.hung ? 'hung' : `${h.value!.statusCode} ${h.value!.body.slice(0, 120)}` });
    }

    // the report: counts, then each distinct failure once (route, what, status, role list, one input)
    const distinct = new Map<string, { f: Failure; roles: Set<string>; n: number }>();
    for (const f of failures) {
      const key2 = `${f.what} ${f.route} ${f.status ?? ''} ${f.detail.split('\n')[0]!.slice(0, 80)}`;
      const d = distinct.get(key2) ?? { f, roles: new Set<string>(), n: 0 };
      d.roles.add(f.role);
      d.n++;
      distinct.set(key2, d);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const lines = [
      `fuzz (${env.database.dialect}): ${ops.length} routes × ${ROLES.length} roles = ${pairs} pairs, ${RUNS} inputs each at most, ` +
        `${requests} requests (${[...statusCount]
          .sort()
          .map(([c, n]) => `${c}: ${n}`)
          .join(', ')}), ${snapshots} state snapshots (${(snapMs / 1000).toFixed(1)} s), requests ${(requestMs / 1000).toFixed(1)} s, total ${seconds} s`,
      `  5xx: ${failures.filter((f) => f.what === 'status>=500').length}, hung: ${failures.filter((f) => f.what === 'hung').length}, ` +
        `writes on 4xx: ${failures.filter((f) => f.what === 'wrote-on-4xx').length}, not problem+json: ${failures.filter((f) => f.what === 'not-problem-json').length}, ` +
        `slowest ${Math.round(maxMs)} ms (${slowest})`,
      ...[...distinct.values()].map(
        ({ f, roles, n }) =>
          `  ✗ ${f.what} ${f.status ?? ''} ${f.route} ×${n} as ${[...roles].join(',')}\n      ${f.input ?? ''}\n      ${f.detail.replace(/\n/g, '\n      ')}`,
      ),
    ];
    console.log(lines.join('\n'));
    expect(requests).toBeGreaterThanOrEqual(ops.length * ROLES.length);
    expect([...distinct.keys()], lines.slice(0, 2).join('\n')).toEqual([]);
  }, 1_200_000);

  it('the state probe sees an added row, an updated row and a stored file (so "nothing written" means something)', async () => {
    const before = await probe.snapshot();
    await env.database.db.updateTable('schools').set({ updated_at: '2099-01-01T00:00:00.000Z' }).where('id', '=', 's_00001').execute();
    const updated = await probe.snapshot();
    expect(diff(before, updated)).toEqual([expect.stringMatching(/^schools: /)]);
    await env.database.db
      .insertInto('regions')
      .values({ id: 'r_fz01', parent_id: null, level: 'province', code: '870000', name: '探针省', created_at: '2025-01-01T00:00:00.000Z' })
      .execute();
    await env.storage.put('probe/fz.txt', Buffer.from('x'));
    const added = await probe.snapshot();
    expect(diff(updated, added).sort()).toEqual(['+file files/probe/fz.txt', expect.stringMatching(/^regions: /)]);
    await env.storage.delete('probe/fz.txt');
    await env.database.db.deleteFrom('regions').where('id', '=', 'r_fz01').execute();
    expect(diff(updated, await probe.snapshot())).toEqual([]);
  });

  it('refuses a URL the router cannot read as problem+json (bad percent-encoding, a path param over 100 characters)', async () => {
    const admin = clients.get('admin')!;
    for (const [url, status] of [
      ['/api/schools/%', 400],
      ['/api/schools/%ZZ/terms', 400],
      [`/api/schools/${'x'.repeat(5000)}`, 414],
    ] as const) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status, code: 'validation_failed', errors: [{ field: 'url', code: 'invalid_format' }] });
    }
  });
});
