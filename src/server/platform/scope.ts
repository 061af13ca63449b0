/**
 * One typed scope filter (ARCHITECTURE rule 11). A module's policy says which records an actor reaches as
 * a `Scope` — sets of region, alliance, school, partner and user ids, any of which lets a record in — and
 * `inScope` turns it into the WHERE clause over the columns that carry those ids in the query at hand.
 *
 *   const scope = facilityPolicy.readScope(actor);                 // in modules/facilities/policy.ts
 *   db.selectFrom('facilities as f').where((eb) => inScope(eb, scope, { school: 'f.school_id', partner: 'f.partner_id' }))
 */
import { sql, type Expression, type ExpressionBuilder, type ReferenceExpression, type SqlBool } from 'kysely';

/** Which records an actor reaches: everything, or those tied to one of these ids. */
export type Scope =
  | { all: true }
  | {
      all: false;
      regions?: ReadonlySet<string>;
      alliances?: ReadonlySet<string>;
      schools?: ReadonlySet<string>;
      partners?: ReadonlySet<string>;
      users?: ReadonlySet<string>;
    };

export const EVERYTHING: Scope = { all: true };
export const NOTHING: Scope = { all: false };

export type ScopeDimension = 'regions' | 'alliances' | 'schools' | 'partners' | 'users';

/** The columns of the query that carry each kind of id (leave out what the table has not). */
export type ScopeColumns<DB, TB extends keyof DB> = Partial<Record<ScopeDimension, ReferenceExpression<DB, TB>>>;

/** The scope as a WHERE condition: true for the platform, false when nothing reaches. */
export function inScope<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, scope: Scope, columns: ScopeColumns<DB, TB>): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const ors: Expression<SqlBool>[] = [];
  for (const dim of ['regions', 'alliances', 'schools', 'partners', 'users'] as const) {
    const ids = scope[dim];
    const col = columns[dim];
    if (!ids || ids.size === 0 || col === undefined) continue;
    ors.push(eb(col, 'in', [...ids] as never));
  }
  if (ors.length === 0) return sql<SqlBool>`1 = 0`;
  return ors.length === 1 ? ors[0]! : eb.or(ors);
}

/** Whether one record (its ids) is in the scope: the same rule as `inScope`, in memory. */
export function reaches(scope: Scope, record: Partial<Record<ScopeDimension, string | null | undefined>>): boolean {
  if (scope.all) return true;
  for (const dim of ['regions', 'alliances', 'schools', 'partners', 'users'] as const) {
    const id = record[dim];
    if (id != null && scope[dim]?.has(id)) return true;
  }
  return false;
}

/** Union of scopes (a record reached by any of them). */
export function anyOf(...scopes: Scope[]): Scope {
  if (scopes.some((s) => s.all)) return { all: true };
  const out: Record<ScopeDimension, Set<string>> = { regions: new Set(), alliances: new Set(), schools: new Set(), partners: new Set(), users: new Set() };
  for (const s of scopes) {
    if (s.all) continue;
    for (const dim of Object.keys(out) as ScopeDimension[]) for (const id of s[dim] ?? []) out[dim].add(id);
  }
  return { all: false, ...out };
}
