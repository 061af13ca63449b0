/**
 * Application steps are compare-and-set (issue 5): the secretariat's pass and fail and the applicant's
 * withdrawal fired at the same moment, 10 rounds. Every answer is 200 or 409, the final status is the
 * one the successful requests explain, and there is exactly one decision row and one audit entry per
 * effective step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, type Client, type TestEnv } from '../../../testing.js';

const ROUNDS = 10;

describe('application decision races', () => {
  let env: TestEnv;
  let principal2: Client;
  let secretary: Client;
  let secretary2: Client;

  beforeAll(async () => {
    env = await makeTestEnv();
    [principal2, secretary, secretary2] = await Promise.all([env.login('principal2'), env.login('secretary'), env.login('secretary')]);
  }, 120_000);
  afterAll(async () => env?.close());

  it(`pass vs fail vs withdraw, ${ROUNDS} rounds`, async () => {
    const db = env.database.db;
    const open = (await principal2.get('/api/applications'))
      .json()
      .items.find((a: { allianceId: string; status: string }) => a.allianceId === 'a_0001' && a.status === 'submitted');
    if (open) expect((await principal2.post(`/api/applications/${open.id}/withdraw`)).statusCode).toBe(200);
    for (let round = 0; round < ROUNDS; round++) {
      const created = await principal2.post('/api/applications', { allianceId: 'a_0001', schoolId: 's_00033', reason: `第 ${round + 1} 次申请加入集团` });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const calls = [
        ['pass', () => secretary.post(`/api/applications/${id}/evaluate`, { decision: 'pass', comment: '同意' })],
        ['fail', () => secretary2.post(`/api/applications/${id}/evaluate`, { decision: 'fail', comment: '材料不全' })],
        ['withdraw', () => principal2.post(`/api/applications/${id}/withdraw`)],
      ] as const;
      const order = round % 2 ? [...calls].reverse() : [...calls];
      const replies = await Promise.all(order.map(([, f]) => f()));
      const ok = new Set<string>();
      replies.forEach((r, i) => {
        if (r.statusCode === 200) ok.add(order[i]![0]);
        else {
          expect(r.statusCode, r.body).toBe(409);
          expect(r.json().code).toBe('invalid_transition');
        }
      });
      const label = `round ${round}: ${[...ok].join(', ')}`;
      expect(ok.has('pass') && ok.has('fail'), label).toBe(false);
      const app = await db.selectFrom('membership_applications').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      const expected = ok.has('withdraw') ? 'withdrawn' : ok.has('fail') ? 'rejected' : 'evaluated';
      expect(app.status, label).toBe(expected);
      const decisions = await db.selectFrom('application_decisions').select('step').where('application_id', '=', id).execute();
      expect(decisions.filter((d) => d.step !== 'submit').length, label).toBe(ok.size);
      const audits = await db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'application')
        .where('entity_id', '=', id)
        .where('action', '!=', 'application.submit')
        .execute();
      expect(audits.length, label).toBe(ok.size);
      if (app.status === 'evaluated') expect((await principal2.post(`/api/applications/${id}/withdraw`)).statusCode).toBe(200);
    }
  }, 120_000);
});
