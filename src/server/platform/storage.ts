import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

/** Where files live. Local folder by default (a shared mount serves several instances). */
export interface Storage {
  /** Streams `body` into `key`; on any failure nothing is left behind. */
  put(key: string, body: Readable | Buffer, opts?: { maxBytes?: number }): Promise<StoredFile>;
  /** Streams the file, or the bytes start..end (inclusive) of it (HTTP Range). */
  get(key: string, range?: { start: number; end: number }): Readable;
  stat(key: string): Promise<{ size: number } | null>;
  /** Removes at once bytes that no committed row ever referenced (an upload that failed or was refused). */
  delete(key: string): Promise<void>;
  /**
   * Retires a file that committed rows referenced (a replaced or removed file): its bytes are kept aside
   * for the retention period, so a backup whose database snapshot still names the key finds them.
   */
  retire(key: string): Promise<void>;
}

/** Folder under the storage root that holds retired files (keys cannot start with a dot). */
export const TRASH_DIR = '.trash';
/** How long retired files are kept: longer than the interval between backups (docs/backup.md). */
export const DEFAULT_RETENTION_DAYS = 7;

export class FileTooLargeError extends Error {
  constructor(public readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}

/**
 * An upload whose body ended before its closing multipart boundary (a dropped connection, a cut-off
 * request). The multipart parser then destroys the file stream without an error, and Node's pipeline()
 * would wait for it forever: `put` refuses such a stream at once.
 */
export class UploadCutOffError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
  constructor() {
    super('upload cut off before its end');
  }
}

/** A readable that was closed before its end: nothing more will ever come from it. */
export const closedBeforeEnd = (s: Readable) => s.destroyed && !s.readableEnded;

/** Whether `err` says the upload's body was cut off (the parser's, the stream's or ours). */
export function isUploadCutOff(err: unknown): boolean {
  const msg = (err as Error)?.message ?? '';
  return (
    err instanceof UploadCutOffError ||
    (err as { code?: string })?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    /unexpected end of (form|multipart)|premature close/i.test(msg)
  );
}

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*(\/[a-zA-Z0-9][a-zA-Z0-9._-]*)*$/;

export function validKey(key: string): boolean {
  return KEY.test(key) && !key.includes('..');
}

export class LocalStorage implements Storage {
  private readonly retentionMs: number;
  private lastPurge = 0;

  constructor(
    readonly root: string,
    opts: { retentionDays?: number } = {},
  ) {
    fs.mkdirSync(root, { recursive: true });
    this.retentionMs = (opts.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  }

  private file(key: string): string {
    if (!validKey(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, key);
  }

  /** Where a retired file's bytes are kept until the retention period has passed. */
  retainedPath(key: string): string {
    if (!validKey(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, TRASH_DIR, key);
  }

  async put(key: string, body: Readable | Buffer, opts: { maxBytes?: number } = {}): Promise<StoredFile> {
    const target = this.file(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.part`;
    const hash = crypto.createHash('sha256');
    let size = 0;
    const max = opts.maxBytes ?? Infinity;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > max) return cb(new FileTooLargeError(max));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    if (closedBeforeEnd(source)) throw new UploadCutOffError();
    try {
      await pipeline(source, meter, fs.createWriteStream(tmp, { flags: 'wx' }));
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      if (!Buffer.isBuffer(body)) body.resume(); // drain the rest of the request so the reply can be sent
      throw err;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  get(key: string, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(this.file(key), range ? { start: range.start, end: range.end } : undefined);
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const s = await fs.promises.stat(this.file(key));
      return { size: s.size };
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.file(key), { force: true });
  }

  async retire(key: string): Promise<void> {
    const from = this.file(key);
    const to = this.retainedPath(key);
    await fs.promises.mkdir(path.dirname(to), { recursive: true });
    try {
      await fs.promises.rename(from, to);
      const now = new Date();
      await fs.promises.utimes(to, now, now); // the retention period counts from the retirement
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (Date.now() - this.lastPurge > 3_600_000) {
      this.lastPurge = Date.now();
      this.purgeRetired().catch(() => undefined);
    }
  }

  /** Removes retired files older than the retention period; returns how many were removed. */
  async purgeRetired(now = Date.now()): Promise<number> {
    const cutoff = now - this.retentionMs;
    let removed = 0;
    const walk = async (dir: string): Promise<boolean> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return false;
      }
      let left = entries.length;
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (await walk(p)) left--;
          continue;
        }
        const st = await fs.promises.stat(p).catch(() => null);
        if (st && st.mtimeMs < cutoff) {
          await fs.promises.rm(p, { force: true });
          removed++;
          left--;
        }
      }
      if (left === 0 && dir !== path.join(this.root, TRASH_DIR)) {
        await fs.promises.rmdir(dir).catch(() => undefined);
        return true;
      }
      return false;
    };
    await walk(path.join(this.root, TRASH_DIR));
    return removed;
  }
}

/** A file name as uploaded, reduced to its last path part without control or reserved characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const clean = base
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return clean || 'file';
}
