-- GET /api/auth/me (teacher)
-- statements: 1
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select "u"."id", "u"."username", "u"."display_name", "u"."email", "u"."phone", "u"."school_id", "u"."region_id", "u"."locale"
from "users" as "u"
where "u"."id" = ?;
