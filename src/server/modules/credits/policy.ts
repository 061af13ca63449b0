/**
 * Credits: who may do what with an alliance's ledger (ARCHITECTURE rule 11). Route permissions are checked
 * before a handler runs (src/common/permissions.ts); these rules then decide per alliance and account.
 *
 * WHO READS THE WHOLE LEDGER? (`readsLedger`) — the platform admin, the bureau and evaluators of the
 * alliance's region, the alliance's secretariat (alliance admins).
 * Who reads SOME accounts (`ownLedgerSchools`) — a school admin reads the accounts of the schools they
 * administer, in alliances those schools belong to (or once belonged to: they keep an account there).
 * Who reads the RULES (`readsRules`) — the ledger's readers and every member of the alliance.
 * Who MANAGES the ledger (`managesLedger`: rules, grants, adjustments, overdraft limits) — the platform
 * admin, the bureau of the alliance's region, the alliance's secretariat.
 * Who sees that the alliance EXISTS (`seesAlliance`: a refusal is then 403, not 404) — readers of the
 * alliance: overseers of its region (and the regions above the actor's schools), its members.
 */
import type { Actor } from '../../platform/actor.js';
import type { Scope } from '../../platform/scope.js';

/** What the rules need of an alliance (the directory's `AllianceRef`). */
export interface LedgerAlliance {
  id: string;
  regionId: string;
}

export function readsLedger(actor: Actor, a: LedgerAlliance): boolean {
  return actor.isPlatformAdmin || actor.readRegions.has(a.regionId) || actor.adminAlliances.has(a.id);
}

/** The schools whose own accounts the actor reads (school admins), among an alliance's accounts. */
export function ownLedgerSchools(actor: Actor): string[] {
  return [...actor.adminSchools];
}

export function readsRules(actor: Actor, a: LedgerAlliance): boolean {
  return readsLedger(actor, a) || actor.memberAlliances.has(a.id);
}

export function managesLedger(actor: Actor, a: LedgerAlliance): boolean {
  return actor.isPlatformAdmin || actor.bureauRegions.has(a.regionId) || actor.adminAlliances.has(a.id);
}

export function seesAlliance(actor: Actor, a: LedgerAlliance): boolean {
  return actor.isPlatformAdmin || actor.readRegions.has(a.regionId) || actor.memberAlliances.has(a.id) || actor.homeRegionChain.has(a.regionId);
}

/**
 * The credit accounts the actor reads, as a scope over `credit_accounts` (alliances: alliance_id; schools:
 * owner_id of school accounts — combine with `owner_type = 'school'`): whole ledgers of the alliances given
 * (`ledgers`: those among them the actor reads entirely), own school accounts elsewhere.
 */
export function accountReadScope(actor: Actor, ledgers: readonly LedgerAlliance[]): Scope {
  if (actor.isPlatformAdmin) return { all: true };
  return { all: false, alliances: new Set(ledgers.filter((a) => readsLedger(actor, a)).map((a) => a.id)), schools: new Set(ownLedgerSchools(actor)) };
}
