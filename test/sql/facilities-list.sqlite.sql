-- GET /api/facilities (teacher)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "total"
from "facilities" as "f"
where ("f"."school_id" in (?, ?, ?, ?, ?) or "f"."partner_id" in (?, ?));

select "f".*
from "facilities" as "f"
where ("f"."school_id" in (?, ?, ?, ?, ?) or "f"."partner_id" in (?, ?))
order by "f"."region_id", "f"."school_id", "f"."name", "f"."id"
limit ?
offset ?;
