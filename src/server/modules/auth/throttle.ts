/**
 * Sign-in throttling (issues 9 and 10): by account and by client address, with exponential back-off that
 * decays, instead of a hard lock an outsider can keep on forever.
 *
 * Every attempt is admitted and counted in ONE statement per key (an upsert with a condition, the same on
 * SQLite and PostgreSQL), before the password is checked: attempts sent in parallel are counted one by one,
 * and once a key's free failures are used up the next attempts are refused (429 + Retry-After) without
 * touching the password until the back-off has passed. Refused attempts do not count, so an outsider can
 * only keep the back-off at its ceiling by trying once per ceiling; the owner's successful sign-in clears
 * the account's counter. A key whose last failure is older than the decay window starts again from zero.
 * A browser the owner signed in with before carries a device cookie: its attempts are counted under its own
 * key instead of the account's, so an outsider's failures never make the owner wait there (OWASP's
 * "device cookies").
 */
import net from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { randomToken, sha256 } from '../../platform/ids.js';
import type { ThrottleRule } from '../../config.js';

export type { ThrottleRule };

export interface ThrottleSettings {
  account: ThrottleRule;
  ip: ThrottleRule;
}

export type Admission = { admitted: true; failures: number; delayMs: number } | { admitted: false; retryMs: number };

export const accountKey = (username: string) => `acct:${username.trim().toLowerCase()}`;

/** The client's address as a throttle key; IPv6 by its /64 (one subscriber usually holds a whole /64). */
export function ipKey(ip: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return `ip:${v4mapped[1]}`;
  if (net.isIPv6(ip)) return `ip:${expand6(ip).slice(0, 4).join(':')}::/64`;
  return `ip:${ip}`;
}

function expand6(ip: string): string[] {
  const [head, tail] = ip.split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((x) => (parseInt(x, 16) || 0).toString(16));
}

/** Admits one attempt for `key` and counts it as a failure, or says how long to wait. */
export async function admit(db: Db, key: string, rule: ThrottleRule, now = Date.now()): Promise<Admission> {
  const first = rule.free <= 1 ? rule.baseMs : 0;
  const decayed = sql`login_throttle.last_failure_ms < ${now - rule.decayMs}`;
  const nextDelay = sql`case
      when ${decayed} then ${first}
      when login_throttle.failures + 1 < ${rule.free} then 0
      when login_throttle.delay_ms * 2 < ${rule.baseMs} then ${rule.baseMs}
      when login_throttle.delay_ms * 2 > ${rule.maxMs} then ${rule.maxMs}
      else login_throttle.delay_ms * 2 end`;
  const res = await sql<{ failures: number; delay_ms: number }>`
    insert into login_throttle (key, failures, delay_ms, blocked_until_ms, last_failure_ms)
    values (${key}, 1, ${first}, ${first ? now + first : 0}, ${now})
    on conflict (key) do update set
      failures = case when ${decayed} then 1 else login_throttle.failures + 1 end,
      delay_ms = ${nextDelay},
      blocked_until_ms = case when ${nextDelay} = 0 then 0 else ${now} + ${nextDelay} end,
      last_failure_ms = ${now}
    where login_throttle.blocked_until_ms <= ${now}
    returning failures, delay_ms`.execute(db);
  const row = res.rows[0];
  if (row) return { admitted: true, failures: Number(row.failures), delayMs: Number(row.delay_ms) };
  const blocked = await sql<{ blocked_until_ms: number }>`select blocked_until_ms from login_throttle where key = ${key}`.execute(db);
  const until = Number(blocked.rows[0]?.blocked_until_ms ?? now);
  return { admitted: false, retryMs: Math.max(1000, until - now) };
}

/** The owner signed in: the account starts again from zero. */
export async function clearKey(db: Db, key: string): Promise<void> {
  await sql`delete from login_throttle where key = ${key}`.execute(db);
}

/**
 * A successful attempt from this address: take back the failure it was counted as (and the back-off it
 * started, if that failure was the one that started it). Other failures from the address stay counted.
 */
export async function forgiveOne(db: Db, key: string, rule: ThrottleRule): Promise<void> {
  await sql`update login_throttle set
      failures = case when failures > 0 then failures - 1 else 0 end,
      delay_ms = case when failures - 1 < ${rule.free} then 0 else delay_ms end,
      blocked_until_ms = case when failures - 1 < ${rule.free} then 0 else blocked_until_ms end
    where key = ${key}`.execute(db);
}

/** Rows whose last failure is older than the longest decay window and that block nothing any more. */
export async function purgeThrottle(db: Db, settings: ThrottleSettings, now: number): Promise<void> {
  const decay = Math.max(settings.account.decayMs, settings.ip.decayMs);
  await sql`delete from login_throttle where last_failure_ms < ${now - decay} and blocked_until_ms <= ${now}`.execute(db);
  await sql`delete from login_devices where last_used_ms < ${now - DEVICE_DAYS * 86_400_000}`.execute(db);
}

// ---- devices the owner signed in with ---------------------------------------------------------
export const DEVICE_COOKIE = 'xl_dev';
export const DEVICE_DAYS = 180;

/** The device key of a cookie, when the cookie belongs to this account; otherwise null. */
export async function deviceKey(db: Db, cookie: string | undefined, account: string): Promise<string | null> {
  if (!cookie || cookie.length > 100) return null;
  const hash = sha256(cookie);
  const r = await sql<{ account: string }>`select account from login_devices where token_hash = ${hash}`.execute(db);
  return r.rows[0]?.account === account ? `dev:${hash}` : null;
}

/** Remembers the browser the owner just signed in with; returns a new cookie value, or null when it is known. */
export async function rememberDevice(db: Db, cookie: string | undefined, account: string, now = Date.now()): Promise<string | null> {
  if (cookie && (await deviceKey(db, cookie, account))) {
    await sql`update login_devices set last_used_ms = ${now} where token_hash = ${sha256(cookie)}`.execute(db);
    return null;
  }
  const token = randomToken(24);
  await sql`insert into login_devices (token_hash, account, created_ms, last_used_ms) values (${sha256(token)}, ${account}, ${now}, ${now})`.execute(db);
  return token;
}

/** An administrator reset the password: the account's back-off ends (call inside or after the reset). */
export async function clearAccountThrottle(db: Db, username: string): Promise<void> {
  await clearKey(db, accountKey(username));
}
