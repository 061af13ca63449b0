-- GET /api/facilities (teacher)
-- statements: 2
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "total"
from "facilities" as "f"
left join "schools" as "s" on "s"."id" = "f"."school_id"
left join "partners" as "p" on "p"."id" = "f"."partner_id"
where ("f"."school_id" in (?) or "f"."school_id" in (select "m"."school_id" from "alliance_members" as "m" where "m"."alliance_id" in (?) and "m"."status" = ?) or "f"."partner_id" in (select "ap"."partner_id" from "alliance_partners" as "ap" where "ap"."alliance_id" in (?)));

select "f".*, "s"."name" as "school_name", "p"."name" as "partner_name", "s"."lat", "s"."lng"
from "facilities" as "f"
left join "schools" as "s" on "s"."id" = "f"."school_id"
left join "partners" as "p" on "p"."id" = "f"."partner_id"
where ("f"."school_id" in (?) or "f"."school_id" in (select "m"."school_id" from "alliance_members" as "m" where "m"."alliance_id" in (?) and "m"."status" = ?) or "f"."partner_id" in (select "ap"."partner_id" from "alliance_partners" as "ap" where "ap"."alliance_id" in (?)))
order by "f"."region_id", "f"."school_id", "f"."name", "f"."id"
limit ?
offset ?;
