-- POST /api/bookings (teacher, auto-approve facility of another school, free slot, Idempotency-Key)
-- statements: 24
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

select *
from "idempotency_keys"
where "user_id" = $1 and "key" = $2;

begin;

select *
from "idempotency_keys"
where "user_id" = $1 and "key" = $2;

insert into "idempotency_keys" ("key", "user_id", "route", "request_hash", "status", "response", "created_at")
values ($1, $2, $3, $4, $5, $6, $7);

select id
from "facilities"
where id = $1 for update;

select *
from "facilities"
where "id" = $1;

select "alliance_id"
from "alliance_members"
where "school_id" = $1 and "status" = $2;

select "alliance_id"
from "alliance_members"
where "school_id" = $1 and "status" = $2;

select "weekday", "open", "close"
from "facility_open_hours"
where "facility_id" = $1
order by "weekday", "open";

select *
from "closures"
where ("facility_id" = $1 or "school_id" = $2) and "end_date" >= $3 and "start_date" <= $4
order by "start_date";

select "id", "start_ms", "end_ms", "block_end_ms"
from "bookings"
where "facility_id" = $1 and "status" in ($2, $3) and "start_ms" < $4 and "block_end_ms" > $5;

insert into "bookings" ("id", "facility_id", "alliance_id", "booker_id", "booker_school_id", "series_id", "start_at", "end_at", "start_ms", "end_ms", "block_end_ms", "purpose", "group_size", "responsible_teacher", "status", "decided_by", "decided_at", "decision_reason", "checked_in_at", "cancelled_at", "cancelled_by", "charge_tx_id", "charge_amount", "created_at", "updated_at")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25);

select "rules", "updated_at", "updated_by"
from "credit_rules"
where "alliance_id" = $1;

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

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

update "bookings"
set "charge_tx_id" = $1, "charge_amount" = $2
where "id" = $3;

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" in ($1)
order by "b"."start_ms";

update "idempotency_keys"
set "response" = $1
where "user_id" = $2 and "key" = $3;

commit;
