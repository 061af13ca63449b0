-- POST /api/bookings (teacher, auto-approve facility of another school, free slot, Idempotency-Key)
-- statements: 12
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

begin;

select id
from "facilities"
where id = $1 for update;

select "f".*, (select coalesce(json_agg(agg), '[]') from (select "h"."weekday", "h"."open", "h"."close" from "facility_open_hours" as "h" where "h"."facility_id" = "f"."id" order by "h"."weekday", "h"."open") as agg) as "hours", (select coalesce(json_agg(agg), '[]') from (select "c"."id", "c"."start_date", "c"."end_date", "c"."kind", "c"."reason" from "closures" as "c" where ("c"."facility_id" = "f"."id" or "c"."school_id" = "f"."school_id") and "c"."end_date" >= $1 and "c"."start_date" <= $2 order by "c"."start_date") as agg) as "closures", (select coalesce(json_agg(agg), '[]') from (select "b"."id", "b"."start_ms", "b"."end_ms", "b"."block_end_ms" from "bookings" as "b" where "b"."facility_id" = "f"."id" and "b"."status" in ($3, $4) and "b"."start_ms" < $5 and "b"."block_end_ms" > $6) as agg) as "busy", (select coalesce(json_agg(agg), '[]') from (select "r"."alliance_id", "r"."rules" from "credit_rules" as "r" where "r"."alliance_id" in ($7)) as agg) as "rules", (select coalesce(json_agg(agg), '[]') from (select "k"."start_ms", "k"."end_ms" from "bookings" as "k" where "k"."facility_id" = "f"."id" and "k"."booker_school_id" = $8 and "k"."status" in ($9, $10, $11) and "k"."start_ms" >= $12 and "k"."start_ms" < $13) as agg) as "quota"
from "facilities" as "f"
where "f"."id" = $14;

insert into "credit_transactions" ("id", "alliance_id", "kind", "cause_type", "cause_id", "amount", "memo", "request_hash", "created_by", "created_at")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
on conflict ("alliance_id", "kind", "cause_type", "cause_id") do nothing;

update "credit_accounts"
set "balance" = "balance" + $1
where "alliance_id" = $2 and "owner_type" = $3 and "owner_id" = $4
returning "id";

update "credit_accounts"
set "balance" = "balance" + $1
where "alliance_id" = $2 and "owner_type" = $3 and "owner_id" = $4 and balance + $5 >= -coalesce(overdraft_limit, $6)
returning "id";

update "credit_accounts"
set "balance" = "balance" + $1
where "alliance_id" = $2 and "owner_type" = $3 and "owner_id" = $4
returning "id";

insert into "credit_entries" ("id", "transaction_id", "account_id", "amount")
values ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12);

insert into "bookings" ("id", "facility_id", "alliance_id", "booker_id", "booker_school_id", "series_id", "start_at", "end_at", "start_ms", "end_ms", "block_end_ms", "purpose", "group_size", "responsible_teacher", "status", "decided_by", "decided_at", "decision_reason", "checked_in_at", "cancelled_at", "cancelled_by", "charge_tx_id", "charge_amount", "created_at", "updated_at")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25);

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24);

insert into "idempotency_keys" ("key", "user_id", "route", "request_hash", "status", "response", "created_at")
values ($1, $2, $3, $4, $5, $6, $7);

commit;
