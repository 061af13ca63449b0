import { sql } from 'kysely';
import { makeTestEnv } from './src/server/testing.js';
import { ftsMatch } from './src/server/db/fts.js';
import { queryTerms } from './src/server/platform/search.js';
const env = await makeTestEnv();
const db = env.database.db;
await sql`analyze`.execute(db);
for (const [q, subject] of [['高一 数学 增函数', 'math'], ['课件', undefined]] as const) {
  let b = db.selectFrom('resources as r').innerJoin(ftsMatch('sqlite', queryTerms(q)).as('m'), 'm.doc_id', 'r.id').where('r.status', '=', 'published');
  if (subject) b = b.where('r.subject', '=', subject);
  for (const c of [b.select((eb) => eb.fn.countAll().as('n')).compile(), b.select(['r.id', 'm.rank']).orderBy('m.rank', 'desc').limit(20).compile()]) {
    const st = env.database.sqlite!.prepare('explain query plan ' + c.sql);
    console.log(q, subject, st.all(...(c.parameters as unknown[])).map((r: any) => r.detail).join(' | '));
  }
}
await env.close();
