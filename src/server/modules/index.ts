import type { App, AppContext } from '../platform/context.js';
import { regionRoutes } from './org/regions/routes.js';
import { schoolRoutes } from './org/schools/routes.js';
import { allianceRoutes } from './org/alliances/routes.js';
import { membershipRoutes } from './org/memberships/routes.js';
import { auditRoutes } from './audit/routes.js';
import { userRoutes } from './users/routes.js';
import { importRoutes } from './imports/routes.js';
// ---- S3 / S2 modules (imports) ----
import { facilityRoutes } from './facilities/routes.js';
import { resourceRoutes } from './resources/routes.js';
import { creditRoutes } from './credits/routes.js';
import { utilizationRoutes } from './facilities/utilization-routes.js';

/** Every feature module, in one place: a newcomer sees the whole API surface here. */
export async function registerModules(app: App, ctx: AppContext) {
  await regionRoutes(app, ctx);
  await schoolRoutes(app, ctx);
  await allianceRoutes(app, ctx);
  await membershipRoutes(app, ctx);
  await userRoutes(app, ctx);
  await auditRoutes(app, ctx);
  await importRoutes(app, ctx);
  // ---- S3 / S2 modules ----
  await facilityRoutes(app, ctx);
  await resourceRoutes(app, ctx);
  await creditRoutes(app, ctx);
  await utilizationRoutes(app, ctx);
}
