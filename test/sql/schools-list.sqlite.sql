-- GET /api/schools?page=2&pageSize=20 (city bureau)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "total"
from "schools" as "s"
where "s"."region_id" in (?, ?, ?, ?);

select "s"."id", "s"."code", "s"."name", "s"."type", "s"."ownership", "s"."location", "s"."tags", "s"."region_id", "s"."students", "s"."teachers"
from "schools" as "s"
where "s"."id" in (select "s"."id" from "schools" as "s" where "s"."region_id" in (?, ?, ?, ?) order by "s"."region_id", "s"."code" limit ? offset ?)
order by "s"."region_id", "s"."code";
