-- POST /api/bookings (teacher, auto-approve facility of another school, free slot, Idempotency-Key)
-- statements: 11
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

begin immediate;

select "f".*, (select coalesce(json_group_array(json_object('weekday', "agg"."weekday", 'open', "agg"."open", 'close', "agg"."close")), '[]') from (select "h"."weekday", "h"."open", "h"."close" from "facility_open_hours" as "h" where "h"."facility_id" = "f"."id" order by "h"."weekday", "h"."open") as agg) as "hours", (select coalesce(json_group_array(json_object('id', "agg"."id", 'start_date', "agg"."start_date", 'end_date', "agg"."end_date", 'kind', "agg"."kind", 'reason', "agg"."reason")), '[]') from (select "c"."id", "c"."start_date", "c"."end_date", "c"."kind", "c"."reason" from "closures" as "c" where ("c"."facility_id" = "f"."id" or "c"."school_id" = "f"."school_id") and "c"."end_date" >= ? and "c"."start_date" <= ? order by "c"."start_date") as agg) as "closures", (select coalesce(json_group_array(json_object('id', "agg"."id", 'start_ms', "agg"."start_ms", 'end_ms', "agg"."end_ms", 'block_end_ms', "agg"."block_end_ms")), '[]') from (select "b"."id", "b"."start_ms", "b"."end_ms", "b"."block_end_ms" from "bookings" as "b" where "b"."facility_id" = "f"."id" and "b"."status" in (?, ?) and "b"."start_ms" < ? and "b"."block_end_ms" > ?) as agg) as "busy", (select coalesce(json_group_array(json_object('alliance_id', "agg"."alliance_id", 'rules', "agg"."rules")), '[]') from (select "r"."alliance_id", "r"."rules" from "credit_rules" as "r" where "r"."alliance_id" in (?)) as agg) as "rules", (select coalesce(json_group_array(json_object('start_ms', "agg"."start_ms", 'end_ms', "agg"."end_ms")), '[]') from (select "k"."start_ms", "k"."end_ms" from "bookings" as "k" where "k"."facility_id" = "f"."id" and "k"."booker_school_id" = ? and "k"."status" in (?, ?, ?) and "k"."start_ms" >= ? and "k"."start_ms" < ?) as agg) as "quota"
from "facilities" as "f"
where "f"."id" = ?;

insert into "credit_transactions" ("id", "alliance_id", "kind", "cause_type", "cause_id", "amount", "memo", "request_hash", "created_by", "created_at")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
on conflict ("alliance_id", "kind", "cause_type", "cause_id") do nothing;

update "credit_accounts"
set "balance" = "balance" + ?
where "alliance_id" = ? and "owner_type" = ? and "owner_id" = ?
returning "id";

update "credit_accounts"
set "balance" = "balance" + ?
where "alliance_id" = ? and "owner_type" = ? and "owner_id" = ? and balance + ? >= -coalesce(overdraft_limit, ?)
returning "id";

update "credit_accounts"
set "balance" = "balance" + ?
where "alliance_id" = ? and "owner_type" = ? and "owner_id" = ?
returning "id";

insert into "credit_entries" ("id", "transaction_id", "account_id", "amount")
values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?);

insert into "bookings" ("id", "facility_id", "alliance_id", "booker_id", "booker_school_id", "series_id", "start_at", "end_at", "start_ms", "end_ms", "block_end_ms", "purpose", "group_size", "responsible_teacher", "status", "decided_by", "decided_at", "decision_reason", "checked_in_at", "cancelled_at", "cancelled_by", "charge_tx_id", "charge_amount", "created_at", "updated_at")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

insert into "idempotency_keys" ("key", "user_id", "route", "request_hash", "status", "response", "created_at")
values (?, ?, ?, ?, ?, ?, ?);

commit;
