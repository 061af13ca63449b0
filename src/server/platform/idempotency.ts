/**
 * Idempotency-Key (contracts: POST booking / cancel / grant). The key, the user, the route, a hash of
 * the request body and the response are stored in the SAME transaction as the effect, so a retry with
 * the same key and body gets the stored response and the effect happens once; the same key with a
 * different body is refused (422 idempotency_mismatch). Failed requests (4xx thrown inside) store
 * nothing: their transaction rolled back, so a retry simply runs again.
 */
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/index.js';
import { fromJson, nowIso, toJson } from '../db/index.js';
import { AppError, badRequest } from './errors.js';

export interface Stored<T> {
  status: number;
  body: T;
  /** true when the answer is a replay of an earlier request */
  replayed: boolean;
}

/** Stable JSON (sorted keys) so that the same body always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export const requestHash = (body: unknown) => crypto.createHash('sha256').update(canonical(body)).digest('hex');

/** The Idempotency-Key header of the request (1–200 printable characters), or undefined. */
export function idempotencyKey(req: FastifyRequest): string | undefined {
  const h = req.headers['idempotency-key'];
  if (h === undefined) return undefined;
  const v = Array.isArray(h) ? h[0] : h;
  if (!v || v.length > 200 || !/^[\x21-\x7e]+$/.test(v)) throw badRequest([{ field: 'headers.idempotency-key', code: 'invalid_format' }]);
  return v;
}

async function lookup(db: Db | Tx, userId: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
}

function replay<T>(row: { route: string; request_hash: string; status: number; response: string }, route: string, hash: string): Stored<T> {
  if (row.route !== route || row.request_hash !== hash) throw new AppError(422, 'idempotency_mismatch');
  return { status: row.status, body: fromJson<T>(row.response, null as T), replayed: true };
}

/**
 * Runs `effect` in one transaction; with a key, records its answer in that transaction, and answers a
 * retry from the record.
 */
export async function runIdempotent<T>(
  db: Db,
  opts: { key: string | undefined; userId: string; route: string; body: unknown; status?: number },
  effect: (tx: Tx) => Promise<T>,
): Promise<Stored<T>> {
  const status = opts.status ?? 200;
  if (!opts.key) return { status, body: await db.transaction().execute(effect), replayed: false };
  const key = opts.key;
  const hash = requestHash(opts.body);
  try {
    // no look-up first: the effect runs, and the key is recorded with its answer in the same transaction.
    // A retry (or a concurrent twin) either fails inside its effect (the slot is taken, the status moved on)
    // or on the key's unique index; either way its transaction rolls back and it is answered from the record.
    return await db.transaction().execute(async (tx) => {
      const body = await effect(tx);
      await tx
        .insertInto('idempotency_keys')
        .values({ key, user_id: opts.userId, route: opts.route, request_hash: hash, status, response: toJson(body), created_at: nowIso() })
        .execute();
      return { status, body, replayed: false };
    });
  } catch (err) {
    // an earlier or concurrent request with the same key committed first: answer from its record
    const row = await lookup(db, opts.userId, key);
    if (row) return replay<T>(row, opts.route, hash);
    throw err;
  }
}
