-- GET /api/alliances (city bureau)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "total"
from "alliances" as "a"
where "a"."region_id" in ($1, $2, $3, $4);

select "a".*, (select "s"."result" from "assessments" as "s" where "s"."alliance_id" = "a"."id" order by "s"."assessed_on" desc, "s"."created_at" desc, "s"."id" desc limit $1) as "last_result"
from "alliances" as "a"
where "a"."region_id" in ($2, $3, $4, $5)
order by "a"."region_id", "a"."name"
limit $6
offset $7;
