/**
 * Whole fuzz requests for one operation: plausible path params (real ids of the right kind, foreign
 * ids), then mutated path params, query strings, headers and bodies (see gen.ts).
 */
import fc from 'fast-check';
import {
  bodyMutation,
  EVIL_STRINGS,
  multipartArb,
  multipartBody,
  mutateBody,
  plausible,
  RAW_BODIES,
  type FuzzCase,
  type Operation,
  type ValueContext,
} from './gen.js';

/** Path values that are not ids at all (sent as they are: some are deliberately badly encoded). */
const EVIL_PATH = [
  'x',
  '0',
  '-1',
  '99999999999999999999',
  'NaN',
  '1e309',
  'x'.repeat(5000),
  '%00',
  '%0d%0a',
  '%E2%80%AE',
  '%ZZ',
  '%',
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'a%2Fb',
  '%20',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  "'%20OR%201=1",
  '%F0%9F%98%80',
  '%ED%A0%80',
  'all',
  '2026-02-30',
];

export interface IdPools extends ValueContext {
  /** real ids for a path segment such as `bookings` (the record kind before `{id}`) */
  forSegment(segment: string): string[];
  /** matching pairs for routes with two ids (/resources/{id}/files/{fileId}) */
  pairs(path: string): Record<string, string>[];
}

function segmentOf(path: string, param: string): string {
  const parts = path.split('/');
  const i = parts.indexOf(`{${param}}`);
  return i > 0 ? parts[i - 1]! : '';
}

/** Plausible values for the path params: a real pair, or one real id per param. */
function pathParams(op: Operation, pools: IdPools): fc.Arbitrary<Record<string, string>> {
  const names = op.params.filter((p) => p.in === 'path').map((p) => p.name);
  if (!names.length) return fc.constant({});
  const pairs = pools.pairs(op.path);
  const single = fc.record(
    Object.fromEntries(
      names.map((n) => {
        const p = op.params.find((x) => x.in === 'path' && x.name === n)!;
        const ids = pools.forSegment(segmentOf(op.path, n));
        const schemaVal = plausible(p.schema, n, pools).map(String);
        return [n, ids.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: schemaVal }) : schemaVal];
      }),
    ),
  );
  return pairs.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pairs) }, { weight: 1, arbitrary: single }) : single;
}

/** URL-encodes a value; a lone surrogate becomes the invalid UTF-8 it would be on the wire. */
const enc = (v: unknown) => {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\s\S]/gu, (ch) => (/[\ud800-\udfff]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch)));
  }
};

function buildUrl(op: Operation, params: Record<string, string>, query: [string, string][], rawPath = false): string {
  const p = op.path.replace(/\{(\w+)\}/g, (_m, n: string) => (rawPath ? params[n]! : enc(params[n] ?? 'x')));
  const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
  return qs ? `${p}?${qs}` : p;
}

function plausibleQuery(op: Operation, pools: IdPools): fc.Arbitrary<[string, string][]> {
  const qp = op.params.filter((p) => p.in === 'query');
  if (!qp.length) return fc.constant([]);
  return fc
    .record(Object.fromEntries(qp.map((p) => [p.name, plausible(p.schema, p.name, pools)])), {
      requiredKeys: qp.filter((p) => p.required).map((p) => p.name),
    })
    .map((o) => Object.entries(o).map(([k, v]) => [k, enc(v)] as [string, string]));
}

const hdr = (op: Operation, v: Record<string, string>) => {
  const h: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'header')) if (v[p.name] !== undefined) h[p.name] = v[p.name]!;
  return h;
};

/** The arbitrary of all requests for one operation. */
export function caseArb(op: Operation, pools: IdPools): fc.Arbitrary<FuzzCase> {
  const path = pathParams(op, pools);
  const query = plausibleQuery(op, pools);
  const body = op.body ? plausible(op.body, 'body', pools) : fc.constant(undefined);
  const headerVal = fc.constantFrom('fz-key-1', 'fz-key-1', 'x'.repeat(300), '', '\u00ff', 'a b');
  const headers = fc.record(Object.fromEntries(op.params.filter((p) => p.in === 'header').map((p) => [p.name, headerVal])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;
  const json = (b: unknown): Record<string, string> => (b === undefined ? {} : { 'content-type': 'application/json' });
  const payload = (b: unknown) => (b === undefined ? undefined : JSON.stringify(b));
  const kinds: { weight: number; arbitrary: fc.Arbitrary<FuzzCase> }[] = [];

  // everything plausible
  kinds.push({
    weight: 3,
    arbitrary: fc.tuple(path, query, body, headers).map(([pp, q, b, h]) => ({
      kind: 'plausible',
      method: op.method,
      url: buildUrl(op, pp, q),
      headers: { ...hdr(op, h), ...json(b) },
      payload: payload(b),
    })),
  });
  // a path param replaced by garbage
  if (op.params.some((p) => p.in === 'path')) {
    const names = op.params.filter((p) => p.in === 'path').map((p) => p.name);
    kinds.push({
      weight: 2,
      arbitrary: fc.tuple(path, fc.constantFrom(...names), fc.constantFrom(...EVIL_PATH), query, body).map(([pp, n, evil, q, b]) => ({
        kind: 'path',
        method: op.method,
        url: buildUrl(op, Object.fromEntries(Object.entries(pp).map(([k, v]) => [k, k === n ? evil : enc(v)])), q, true),
        headers: json(b),
        payload: payload(b),
      })),
    });
  }
  // the query string: one value hostile, repeated (an array), or an unknown key
  const qnames = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  kinds.push({
    weight: qnames.length ? 3 : 1,
    arbitrary: fc
      .tuple(
        path,
        query,
        fc.constantFrom(...(qnames.length ? qnames : ['unknown'])),
        fc.constantFrom(...EVIL_STRINGS),
        fc.constantFrom('replace', 'array', 'extra', 'empty'),
        body,
      )
      .map(([pp, q, n, evil, how, b]) => {
        let qq = q.filter(([k]) => k !== n);
        if (how === 'replace') qq.push([n, enc(evil)]);
        else if (how === 'array') qq.push([n, enc(evil)], [n, enc('2026-09-01')], [`${n}[]`, '1']);
        else if (how === 'empty') qq.push([n, '']);
        else qq = [...q, [`zz${n}`, enc(evil)], ['__proto__[x]', '1']];
        return { kind: `query:${how}`, method: op.method, url: buildUrl(op, pp, qq), headers: json(b), payload: payload(b) };
      }),
  });
  if (op.params.some((p) => p.in === 'header')) {
    kinds.push({
      weight: 1,
      arbitrary: fc.tuple(path, query, body, fc.constantFrom('x'.repeat(5000), '', ' ', '\t', 'ünïcode')).map(([pp, q, b, v]) => ({
        kind: 'header',
        method: op.method,
        url: buildUrl(op, pp, q),
        headers: {
          ...Object.fromEntries(op.params.filter((p) => p.in === 'header').map((p) => [p.name, Buffer.from(v, 'utf8').toString('latin1')])),
          ...json(b),
        },
        payload: payload(b),
      })),
    });
  }
  if (op.method !== 'GET') {
    // a JSON body derived from the schema, then mutated
    kinds.push({
      weight: op.body ? 8 : 2,
      arbitrary: fc.tuple(path, query, body, bodyMutation).map(([pp, q, b, m]) => {
        const mutated = mutateBody(b ?? {}, m);
        return {
          kind: `body:${m.op}`,
          method: op.method,
          url: buildUrl(op, pp, q),
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(mutated === undefined ? null : mutated),
        };
      }),
    });
    // not JSON at all
    kinds.push({
      weight: 2,
      arbitrary: fc.tuple(path, query, fc.nat(RAW_BODIES.length - 1)).map(([pp, q, i]) => {
        const raw = RAW_BODIES[i]!;
        return {
          kind: `raw:${i}`,
          method: op.method,
          url: buildUrl(op, pp, q),
          headers: (raw.type ? { 'content-type': raw.type } : {}) as Record<string, string>,
          payload: raw.payload,
        };
      }),
    });
  }
  if (op.multipart) {
    kinds.push({
      weight: 10,
      arbitrary: fc.tuple(path, query, multipartArb).map(([pp, q, m]) => {
        const mp = multipartBody(m);
        return {
          kind: m.truncate ? 'multipart:truncated' : 'multipart',
          method: op.method,
          url: buildUrl(op, pp, q),
          headers: { 'content-type': mp.type },
          payload: mp.payload,
        };
      }),
    });
  }
  return fc.oneof(...kinds);
}

/**
 * Requests every role sends first, whatever the seed: a multipart body cut off inside its file part
 * (seen to hang or crash upload routes), a file name with a path, a multipart content-type without its
 * boundary (seen to answer 500), and a body over the 1 MB limit.
 */
export function sharpCases(op: Operation, pools: IdPools): FuzzCase[] {
  if (op.method === 'GET') return [];
  const [pp] = fc.sample(pathParams(op, pools), { seed: 1, numRuns: 1 });
  const [q] = fc.sample(plausibleQuery(op, pools), { seed: 1, numRuns: 1 });
  const url = buildUrl(op, pp ?? {}, q ?? []);
  const out: FuzzCase[] = [];
  if (op.multipart) {
    const file = (name: string, body: Buffer, truncate: boolean) =>
      multipartBody({ parts: [{ name: 'file', value: '', file: true, fileName: name, fileBody: body }], truncate });
    const cut = file('cut.txt', Buffer.from('第一条 成员校每月联合教研不少于两次。\n'.repeat(50), 'utf8'), true);
    const trick = file('../../../../tmp/evil.txt', Buffer.from('x\n'), false);
    out.push({ kind: 'sharp:multipart-cut', method: op.method, url, headers: { 'content-type': cut.type }, payload: cut.payload });
    out.push({ kind: 'sharp:multipart-path', method: op.method, url, headers: { 'content-type': trick.type }, payload: trick.payload });
    // a multipart content-type without its boundary (the parser throws while it is being built)
    out.push({ kind: 'sharp:multipart-no-boundary', method: op.method, url, headers: { 'content-type': 'multipart/form-data' }, payload: '--x\r\n' });
  }
  out.push({ kind: 'sharp:too-large', method: op.method, url, headers: { 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(1024 * 1024)}"}` });
  return out;
}

/** A fixed seed per route, so a run is repeatable and each route gets its own inputs. */
export function seedOf(key: string, base: number): number {
  let h = base | 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}
