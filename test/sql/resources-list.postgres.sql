-- GET /api/resources (teacher)
-- statements: 10
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11))));

select "r".*
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11))))
order by "r"."published_at" desc, "r"."id" desc
limit $12
offset $13;

select "r"."subject" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."subject" is not null
group by "r"."subject"
order by "n" desc
limit $12;

select "r"."stage" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."stage" is not null
group by "r"."stage"
order by "n" desc
limit $12;

select "r"."grade" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."grade" is not null
group by "r"."grade"
order by "n" desc
limit $12;

select "r"."kind" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."kind" is not null
group by "r"."kind"
order by "n" desc
limit $12;

select "r"."school_id" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."school_id" is not null
group by "r"."school_id"
order by "n" desc
limit $12;

select "r"."licence" as "value", count(*) as "n"
from "resources" as "r"
where (("r"."current_version_id" is not null and "r"."status" not in ($1, $2)) and ("r"."visibility" = $3 or "r"."school_id" in ($4) or ("r"."visibility" in ($5, $6) and "r"."alliance_id" in ($7)) or ("r"."visibility" = $8 and "r"."region_id" in ($9, $10, $11)))) and "r"."licence" is not null
group by "r"."licence"
order by "n" desc
limit $12;

select "resource_id", "name"
from "resource_authors"
where "resource_id" in ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
order by "resource_id", "position";

select "version_id", "mime", "position"
from "resource_files"
where "version_id" in ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
order by "version_id", "position";
