import { it } from 'vitest';
import { makeTestEnv } from '../testing.js';
import { seedFacilities } from './facilities.js';
it('seed', async () => {
  let t0 = Date.now();
  const env = await makeTestEnv();
  console.log('env ms', Date.now() - t0);
  const db = env.database.db;
  for (const t of ['facilities', 'bookings', 'equipment', 'credit_transactions', 'closures'] as const) {
    const r = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    console.log(t, r?.n);
  }
  const x = await db.selectFrom('bookings').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  console.log(JSON.stringify(x));
  const c = await env.login('admin');
  const res = await c.get('/api/alliances/a_0002/utilization?from=2026-10-08&to=2026-11-22&by=week');
  const j = res.json();
  if (res.statusCode !== 200) console.log(res.body); console.log(res.statusCode, JSON.stringify(j.total).slice(0, 300), j.facilities.filter((f: any) => f.idle).map((f: any) => f.name + f.usedRate));
  const res2 = await c.get('/api/alliances/a_0001/utilization?from=2026-10-08&to=2026-11-22&by=week');
  console.log(JSON.stringify(res2.json().total).slice(0, 200));
  await env.close();
  const env2 = await makeTestEnv({ seed: false });
  const { seedDemo } = await import('./index.js');
  t0 = Date.now();
  await seedDemo(env2.database, env2.storage, { password: 'x' });
  console.log('full seed ms', Date.now() - t0);
  await env2.close();
}, 120000);
