-- GET /api/alliances/a_0001/credit-accounts (school admin: own balance)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select "owner_id"
from "credit_accounts"
where "alliance_id" = ? and "owner_type" = ?;

select *
from "credit_accounts"
where "alliance_id" = ? and "owner_type" = ? and "owner_id" in (?)
order by "owner_type", "owner_id";
