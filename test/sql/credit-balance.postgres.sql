-- GET /api/alliances/a_0001/credit-accounts (school admin: own balance)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select "owner_id"
from "credit_accounts"
where "alliance_id" = $1 and "owner_type" = $2;

select *
from "credit_accounts"
where "alliance_id" = $1 and "owner_type" = $2 and "owner_id" in ($3)
order by "owner_type", "owner_id";
