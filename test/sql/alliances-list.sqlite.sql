-- GET /api/alliances (city bureau)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "total"
from "alliances" as "a"
inner join "regions" as "r" on "r"."id" = "a"."region_id"
inner join "schools" as "c" on "c"."id" = "a"."core_school_id"
where "a"."region_id" in (?, ?, ?, ?);

select "a".*, "r"."name" as "region_name", "c"."name" as "core_name", (select count(*) as "n" from "alliance_members" as "m" where "m"."alliance_id" = "a"."id" and "m"."status" = ?) as "member_count", (select count(*) as "n" from "alliance_partners" as "p" where "p"."alliance_id" = "a"."id") as "partner_count", (select "s"."result" from "assessments" as "s" where "s"."alliance_id" = "a"."id" order by "s"."assessed_on" desc, "s"."created_at" desc, "s"."id" desc limit ?) as "last_result"
from "alliances" as "a"
inner join "regions" as "r" on "r"."id" = "a"."region_id"
inner join "schools" as "c" on "c"."id" = "a"."core_school_id"
where "a"."region_id" in (?, ?, ?, ?)
order by "a"."region_id", "a"."name"
limit ?
offset ?;
