-- POST /api/bookings/:id/approve (owner school admin, manual facility, pending booking)
-- statements: 12
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

begin;

select id
from facilities
where id = (select facility_id from bookings where id = $1) for update;

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name", "f"."region_id" as "f_region_id", "f"."community_open" as "f_community_open", "f"."cancel_deadline_hours" as "f_cancel_deadline_hours", "f"."buffer_minutes" as "f_buffer_minutes", (select "cr"."rules" from "credit_rules" as "cr" where "cr"."alliance_id" = "b"."alliance_id") as "credit_rules"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" = $1;

update "bookings"
set "status" = $1, "decided_by" = $2, "decided_at" = $3, "updated_at" = $4, "charge_tx_id" = $5, "charge_amount" = $6
where "id" = $7 and "status" in ($8);

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
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24);

select "l".*, "e"."name" as "equipment_name"
from "equipment_loans" as "l"
inner join "equipment" as "e" on "e"."id" = "l"."equipment_id"
where "l"."booking_id" in ($1)
order by "l"."from_ms";

commit;
