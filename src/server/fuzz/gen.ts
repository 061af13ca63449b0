/**
 * Fuzz inputs derived from the OpenAPI document: a plausible value for every JSON schema (fast-check
 * arbitraries), hostile values (wrong types, extreme numbers and dates, control and bidi characters,
 * huge strings, deep nesting, huge arrays), and whole requests built from one route's operation —
 * path params, query string, headers and a JSON, non-JSON or multipart body.
 */
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export interface Operation {
  method: string;
  /** the OpenAPI path, e.g. /api/bookings/{id} */
  path: string;
  params: { in: 'path' | 'query' | 'header'; name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  /** a mutating route without a JSON body in the document: it takes multipart/form-data */
  multipart: boolean;
}

/** One generated request, described so a failure report can show it. */
export interface FuzzCase {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Reads the operations of the document (paths under /api/ only). */
export function operations(doc: JsonSchema): Operation[] {
  const out: Operation[] = [];
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as JsonSchema)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const o = op as JsonSchema;
      const body = o.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      const m = method.toUpperCase();
      out.push({
        method: m,
        path: p,
        params: (o.parameters ?? []).map((x: JsonSchema) => ({ in: x.in, name: x.name, required: !!x.required, schema: x.schema ?? {} })),
        body,
        multipart: !body && m === 'POST' && MULTIPART_ROUTES.some((r) => r.test(p)),
      });
    }
  }
  return out;
}

/** Routes that read multipart/form-data (the document does not describe their bodies). */
const MULTIPART_ROUTES = [/\/documents$/, /\/documents\/\{id\}\/versions$/, /^\/api\/imports$/, /\/resources\/\{id\}\/files$/];

// ---- hostile values -------------------------------------------------------------------------------

const HUGE = 'x'.repeat(100_000);
const HUGE_CN = '校'.repeat(40_000);
const deep = (n: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};
const deepArray = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/** Strings that must never crash a parser, a date helper or a query. */
export const EVIL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'line\r\nbreak',
  '\ttab',
  '\u202eevil\u202c',
  '\u2066iso\u2069',
  '\u200f',
  '\ufeffbom',
  '\ud800',
  '😀𠀀',
  '9999-12-31',
  '0000-01-01',
  '2026-02-30',
  '2026-02-29',
  '2100-12-31',
  '1999-12-31',
  '+010000-01-01',
  '-000001-01-01',
  '2026-13-01',
  '2026-1-1',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T00:00:00+99:99',
  '2026-01-01T00:00',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '2026-00',
  '2026-13',
  '9999-12',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '0',
  '-0',
  '99999999999999999999999',
  '0x10',
  '1.5',
  'null',
  'true',
  '../../../../etc/passwd',
  '..\\..\\boot.ini',
  '%2e%2e%2f',
  '/',
  '.',
  '..',
  'con',
  'a/b',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%',
  '_',
  '\\',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, sent as plain text on purpose
  '${jndi:x}',
  '{{7*7}}',
  'x'.repeat(41),
  'x'.repeat(10_000),
  HUGE,
  HUGE_CN,
];

const EVIL_NUMBERS = [0, -1, 1, -0, 0.5, 1e308, -1e308, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, -(2 ** 53) - 2, Number.MIN_VALUE, 1e-7, 2000, 2100, 1999, 2101, 9999];

/** Any JSON value a client could send in place of a field. */
export const evilValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EVIL_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...EVIL_NUMBERS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      [],
      {},
      [null],
      [1, 'a'],
      { '': 1 },
      JSON.parse('{"__proto__":{"polluted":1}}'),
      JSON.parse('{"constructor":{"prototype":{"x":1}}}'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      deep(2000),
      deepArray(2000),
      Array.from({ length: 100_000 }, () => 0),
      Array.from({ length: 5000 }, () => ({ a: 'x' })),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

// ---- plausible values from a schema ---------------------------------------------------------------

export interface ValueContext {
  /** real ids for a field or param name (facilityId, schoolId, id …), or null for "any id" */
  ids(name: string): string[];
}

const INSTANT_PATTERN = /T\\d\{2\}:\\d\{2\}/;
const DATE_ONLY = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/;

function plausibleString(s: JsonSchema, name: string, ctx: ValueContext): fc.Arbitrary<string> {
  const pattern: string | undefined = s.pattern;
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 60);
  const options: fc.Arbitrary<string>[] = [];
  if (pattern?.includes('[\\w-]') && /id$/i.test(name)) {
    const ids = ctx.ids(name);
    if (ids.length) options.push(fc.constantFrom(...ids), fc.constantFrom(...ids));
  }
  if (pattern && INSTANT_PATTERN.test(pattern)) {
    options.push(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2110-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()));
    options.push(
      fc.constantFrom('2026-12-07T09:00:00+08:00', '2026-12-07T10:00:00+08:00', '2099-06-01T02:00:00.000Z', '2026-02-30T10:00:00Z', '2026-01-01T24:00:00Z'),
    );
  } else if (pattern && DATE_ONLY.test(pattern)) {
    options.push(fc.constantFrom('2026-09-01', '2026-12-31', '2027-01-20', '2026-02-30', '9999-12-31', '0000-01-01', '2000-01-01', '2100-12-31'));
  } else if (pattern) {
    try {
      const re = new RegExp(pattern);
      options.push(fc.stringMatching(re).filter((x) => x.length >= min && x.length <= (s.maxLength ?? 1e9)));
    } catch {
      options.push(fc.string({ minLength: min, maxLength: max }));
    }
  } else if (s.format === 'date-time' || /(^|[a-z])(start|end|from|to|at)$/i.test(name)) {
    options.push(fc.constantFrom('2026-12-07T09:00:00+08:00', '2026-09-01', '2099-06-01T02:00:00.000Z', '2026-02-30', '9999-12-31T23:59:59Z'));
    options.push(fc.string({ minLength: min, maxLength: max }));
  } else {
    options.push(fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, min) }));
    options.push(fc.constantFrom('测试', '联合教研', '临川市实验小学', 'zh-CN', 'en-US', '2026-09', '2026-09-01'));
  }
  return fc.oneof(...options);
}

/** A value that mostly satisfies the schema (ids are real ones of the demo database when known). */
export function plausible(s: JsonSchema | undefined, name: string, ctx: ValueContext, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum);
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => plausible(a, name, ctx, depth + 1)));
  if (s.allOf?.length) return plausible(s.allOf[0], name, ctx, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return plausibleString(s, name, ctx);
    case 'integer': {
      const lo = Number.isFinite(s.minimum) ? s.minimum : Number.isFinite(s.exclusiveMinimum) ? s.exclusiveMinimum + 1 : -1000;
      const hi = Number.isFinite(s.maximum) ? s.maximum : Number.isFinite(s.exclusiveMaximum) ? s.exclusiveMaximum - 1 : 100_000;
      return fc.oneof(fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31) }), fc.constantFrom(lo, hi));
    }
    case 'number': {
      const lo = Number.isFinite(s.minimum) ? s.minimum : -1e6;
      const hi = Number.isFinite(s.maximum) ? s.maximum : 1e6;
      return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const maxItems = Math.min(s.maxItems ?? 4, 4);
      return fc.array(plausible(s.items, name, ctx, depth + 1), { minLength: Math.min(s.minItems ?? 0, maxItems), maxLength: maxItems });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const keys = Object.keys(props);
      if (!keys.length) {
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), plausible(s.additionalProperties, name, ctx, depth + 1), { maxKeys: 4 });
        }
        return fc.constant({});
      }
      const model = Object.fromEntries(keys.map((k) => [k, plausible(props[k], k, ctx, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k: string) => keys.includes(k)) });
    }
    default:
      return fc.constantFrom<unknown>('x', 1, null);
  }
}

// ---- mutations ------------------------------------------------------------------------------------

type Json = unknown;

/** Paths (key lists) of every property in an object tree (arrays: their first element). */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v && typeof v === 'object' && prefix.length < 6) {
    if (Array.isArray(v)) {
      if (v.length) {
        out.push([...prefix, 0]);
        paths(v[0], [...prefix, 0], out);
      }
    } else {
      for (const k of Object.keys(v)) {
        out.push([...prefix, k]);
        paths((v as Record<string, Json>)[k], [...prefix, k], out);
      }
    }
  }
  return out;
}

function setAt(v: Json, p: (string | number)[], value: Json | typeof REMOVE): Json {
  if (!p.length) return value === REMOVE ? undefined : value;
  const [k, ...rest] = p;
  const copy: Json = Array.isArray(v) ? [...v] : { ...(v as object) };
  const c = copy as Record<string | number, Json>;
  if (!rest.length && value === REMOVE) {
    if (Array.isArray(copy)) copy.splice(k as number, 1);
    else delete c[k!];
  } else c[k!] = setAt(c[k!], rest, value);
  return copy;
}
const REMOVE = Symbol('remove');

/** A body mutation: which kind, where (an index into the body's property paths) and with what. */
export const bodyMutation = fc.record({
  op: fc.constantFrom('replace', 'replace', 'replace', 'remove', 'extra', 'whole', 'dup'),
  at: fc.nat(),
  value: evilValue,
});

export function mutateBody(body: Json, m: { op: string; at: number; value: Json }): Json {
  const ps = paths(body);
  const p = ps.length ? ps[m.at % ps.length]! : [];
  switch (m.op) {
    case 'replace':
      return p.length ? setAt(body, p, m.value) : m.value;
    case 'remove':
      return p.length ? setAt(body, p, REMOVE) : {};
    case 'extra':
      return body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), [`x${m.at}`]: m.value, __proto__x: 1 } : [body, m.value];
    case 'dup':
      // every string field at once gets the hostile value
      return ps.reduce<Json>((b, q) => (typeof getAt(body, q) === 'string' ? setAt(b, q, m.value) : b), body);
    default:
      return m.value;
  }
}
function getAt(v: Json, p: (string | number)[]): Json {
  return p.reduce<Json>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, Json>)[k] : undefined), v);
}

/** Raw bodies that are not (valid) JSON, with the content type they are sent as. */
export const RAW_BODIES: { type: string | undefined; payload: string | Buffer }[] = [
  { type: 'application/json', payload: '' },
  { type: 'application/json', payload: '{' },
  { type: 'application/json', payload: '{"a":1,}' },
  { type: 'application/json', payload: 'null' },
  { type: 'application/json', payload: '"text"' },
  { type: 'application/json', payload: '123' },
  { type: 'application/json', payload: '[]' },
  { type: 'application/json', payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}' },
  { type: 'application/json', payload: '['.repeat(50_000) + ']'.repeat(50_000) },
  { type: 'application/json', payload: `{"a":${'1'.repeat(400)}}` },
  { type: 'application/json', payload: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d]) },
  { type: 'application/json; charset=latin1', payload: '{}' },
  { type: 'application/json', payload: Buffer.alloc(1024 * 1024 + 10, 0x20) },
  { type: 'text/plain', payload: 'hello' },
  { type: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
  { type: 'application/xml', payload: '<a/>' },
  { type: 'multipart/form-data', payload: '--x\r\n' },
  { type: 'multipart/form-data; boundary=zz', payload: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc' },
  { type: undefined, payload: '{"a":1}' },
  { type: 'application/json', payload: '{"a":"\\ud800"}' },
];

// ---- multipart ------------------------------------------------------------------------------------

const PART_NAMES = ['file', 'kind', 'title', 'terms', 'effectiveFrom', 'effectiveTo', 'note', 'role', 'x'];
const FILE_NAMES = [
  'a.txt',
  '教案.pdf',
  '../../../etc/passwd',
  'a\u0000b.txt',
  '\u202etxt.exe',
  `${'x'.repeat(300)}.txt`,
  '',
  '.',
  'con.txt',
  'a/b/c.txt',
  'rows.csv',
];
const FILE_BODIES: Buffer[] = [
  Buffer.from('第一条 成员校每月联合教研不少于两次。\n', 'utf8'),
  Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1'),
  Buffer.from('学校标识码,学校名称,学校类型,办学性质,所在地类型\r\n9700000001,导入测试小学,小学,公办,乡镇\r\n', 'utf8'),
  Buffer.from('用户名,姓名,角色\r\nfz_user,模糊,教师\r\n', 'utf8'),
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]),
  Buffer.alloc(0),
  Buffer.from('\u0000\u0001\u0002garbage', 'binary'),
];

export const multipartArb = fc.record({
  parts: fc.array(
    fc.record({
      name: fc.constantFrom(...PART_NAMES),
      value: fc.oneof(
        fc.constantFrom('agreement', 'charter', '合作协议', '2025-09-01', '[]', '[{"kind":"x","op":">=","value":1}]', 'lesson'),
        fc.constantFrom(...EVIL_STRINGS),
      ),
      file: fc.boolean(),
      fileName: fc.constantFrom(...FILE_NAMES),
      fileBody: fc.constantFrom(...FILE_BODIES),
    }),
    { maxLength: 6 },
  ),
  truncate: fc.constantFrom(false, false, true),
});

export function multipartBody(m: { parts: { name: string; value: string; file: boolean; fileName: string; fileBody: Buffer }[]; truncate: boolean }) {
  const boundary = 'fzboundary7b1c';
  const chunks: Buffer[] = [];
  for (const p of m.parts) {
    const isFile = p.file || p.name === 'file';
    const disp = isFile ? `form-data; name="${p.name}"; filename="${p.fileName}"` : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}${isFile ? '\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n`));
    chunks.push(isFile ? p.fileBody : Buffer.from(p.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  if (!m.truncate) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  let payload = Buffer.concat(chunks);
  if (m.truncate) payload = payload.subarray(0, Math.max(0, payload.length - 7));
  return { payload, type: `multipart/form-data; boundary=${boundary}` };
}
