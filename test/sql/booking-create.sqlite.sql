-- POST /api/bookings (teacher, auto-approve facility of another school, free slot, Idempotency-Key)
-- statements: 24
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select *
from "idempotency_keys"
where "user_id" = ? and "key" = ?;

begin immediate;

select *
from "idempotency_keys"
where "user_id" = ? and "key" = ?;

insert into "idempotency_keys" ("key", "user_id", "route", "request_hash", "status", "response", "created_at")
values (?, ?, ?, ?, ?, ?, ?);

select *
from "facilities"
where "id" = ?;

select "alliance_id"
from "alliance_members"
where "school_id" = ? and "status" = ?;

select "alliance_id"
from "alliance_members"
where "school_id" = ? and "status" = ?;

select "weekday", "open", "close"
from "facility_open_hours"
where "facility_id" = ?
order by "weekday", "open";

select *
from "closures"
where ("facility_id" = ? or "school_id" = ?) and "end_date" >= ? and "start_date" <= ?
order by "start_date";

select "id", "start_ms", "end_ms", "block_end_ms"
from "bookings"
where "facility_id" = ? and "status" in (?, ?) and "start_ms" < ? and "block_end_ms" > ?;

insert into "bookings" ("id", "facility_id", "alliance_id", "booker_id", "booker_school_id", "series_id", "start_at", "end_at", "start_ms", "end_ms", "block_end_ms", "purpose", "group_size", "responsible_teacher", "status", "decided_by", "decided_at", "decision_reason", "checked_in_at", "cancelled_at", "cancelled_by", "charge_tx_id", "charge_amount", "created_at", "updated_at")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

select "rules", "updated_at", "updated_by"
from "credit_rules"
where "alliance_id" = ?;

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

select sum("amount") as "s"
from "credit_entries"
where "transaction_id" = ?;

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

update "bookings"
set "charge_tx_id" = ?, "charge_amount" = ?
where "id" = ?;

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" in (?)
order by "b"."start_ms";

update "idempotency_keys"
set "response" = ?
where "user_id" = ? and "key" = ?;

commit;
