-- GET /api/resources (teacher)
-- statements: 10
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?))));

select "r".*
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?))))
order by "r"."published_at" desc, "r"."id" desc
limit ?
offset ?;

select "r"."subject" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."subject" is not null
group by "r"."subject"
order by "n" desc
limit ?;

select "r"."stage" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."stage" is not null
group by "r"."stage"
order by "n" desc
limit ?;

select "r"."grade" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."grade" is not null
group by "r"."grade"
order by "n" desc
limit ?;

select "r"."kind" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."kind" is not null
group by "r"."kind"
order by "n" desc
limit ?;

select "r"."school_id" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."school_id" is not null
group by "r"."school_id"
order by "n" desc
limit ?;

select "r"."licence" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in (?, ?)) and ("r"."visibility" = ? or "r"."school_id" in (?) or ("r"."visibility" in (?, ?) and "r"."alliance_id" in (?)) or ("r"."visibility" = ? and "r"."region_id" in (?, ?, ?)))) and "r"."licence" is not null
group by "r"."licence"
order by "n" desc
limit ?;

select "resource_id", "name"
from "resource_authors"
where "resource_id" in (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
order by "resource_id", "position";

select "version_id", "mime", "position"
from "resource_files"
where "version_id" in (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
order by "version_id", "position";
