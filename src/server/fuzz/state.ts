/**
 * What a request may have written: the row count of every table (listed from the database catalog),
 * the latest `updated_at` of tables that have one (an UPDATE that should not have happened), and the
 * files under the test's data folder (database files aside).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../db/index.js';

export interface Snapshot {
  tables: Map<string, string>;
  files: Set<string>;
}

export class StateProbe {
  private query: string | null = null;
  /** calls of the storage's writing methods so far; the folder is walked again only after one */
  private writes = 0;
  private walkedAt = -1;
  private files = new Set<string>();

  constructor(
    private readonly database: Database,
    private readonly dir: string,
    storage: object,
  ) {
    // files are written through the storage adapter only: count its writing calls (walking the data
    // folder after every request would cost more than the request)
    const s = storage as Record<string, unknown>;
    for (const name of ['put', 'delete', 'retire', 'purgeRetired']) {
      const fn = s[name];
      if (typeof fn !== 'function') continue;
      s[name] = (...args: unknown[]) => {
        this.writes++;
        const out = (fn as (...a: unknown[]) => unknown).apply(storage, args);
        // a write that finishes later counts again, so a walk in between is not taken as final
        if (out instanceof Promise) void out.finally(() => this.writes++).catch(() => undefined);
        return out;
      };
    }
  }

  private async build(): Promise<string> {
    const db = this.database.db;
    let tables: string[];
    let withUpdated: Set<string>;
    if (this.database.dialect === 'postgres') {
      const t = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
      tables = t.rows.map((r) => r.name);
      const c = await sql<{ name: string }>`select table_name as name from information_schema.columns
        where table_schema = current_schema() and column_name = 'updated_at'`.execute(db);
      withUpdated = new Set(c.rows.map((r) => r.name));
    } else {
      const t = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
      // FTS5 shadow tables are maintained by the engine; their owner table is counted
      tables = t.rows.map((r) => r.name).filter((n) => !/_(data|idx|docsize|config|content)$/.test(n));
      withUpdated = new Set<string>();
      for (const n of tables) {
        const cols = await sql<{ name: string }>`select name from pragma_table_info(${n})`.execute(db);
        if (cols.rows.some((c) => c.name === 'updated_at')) withUpdated.add(n);
      }
    }
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
    return tables.map((n) => `select '${n}' as t, count(*) as n, ${withUpdated.has(n) ? 'max(updated_at)' : 'null'} as u from ${q(n)}`).join(' union all ');
  }

  async snapshot(): Promise<Snapshot> {
    this.query ??= await this.build();
    const r = await sql<{ t: string; n: number | string; u: string | null }>`${sql.raw(this.query)}`.execute(this.database.db);
    const tables = new Map(r.rows.map((x) => [x.t, `${Number(x.n)}|${x.u ?? ''}`]));
    if (this.walkedAt !== this.writes) {
      this.walkedAt = this.writes;
      this.files = listFiles(this.dir);
    }
    return { tables, files: this.files };
  }
}

function listFiles(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.(db|sqlite3?)(-wal|-shm|-journal)?$/.test(e.name)) out.add(path.relative(root, p));
    }
  };
  walk(root);
  return out;
}

/** The differences between two snapshots ("table: before → after", "+file", "-file"). */
export function diff(a: Snapshot, b: Snapshot, ignoreTables: (t: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const [t, v] of b.tables) {
    const w = a.tables.get(t);
    if (w !== v && !ignoreTables(t)) out.push(`${t}: ${w ?? '∅'} → ${v}`);
  }
  for (const f of b.files) if (!a.files.has(f)) out.push(`+file ${f}`);
  for (const f of a.files) if (!b.files.has(f)) out.push(`-file ${f}`);
  return out;
}
