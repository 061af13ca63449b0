import crypto from 'node:crypto';

/** Random, URL-safe, time-ordered ids: 10 chars of time + 12 of randomness. */
export function newId(): string {
  const t = Date.now().toString(36).padStart(10, '0');
  return t + crypto.randomBytes(9).toString('base64url');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}
