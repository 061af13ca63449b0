-- POST /api/bookings/:id/approve (owner school admin, manual facility, pending booking)
-- statements: 11
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

begin immediate;

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name", "f"."region_id" as "f_region_id", "f"."community_open" as "f_community_open", "f"."cancel_deadline_hours" as "f_cancel_deadline_hours", "f"."buffer_minutes" as "f_buffer_minutes", (select "cr"."rules" from "credit_rules" as "cr" where "cr"."alliance_id" = "b"."alliance_id") as "credit_rules"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" = ?;

update "bookings"
set "status" = ?, "decided_by" = ?, "decided_at" = ?, "updated_at" = ?, "charge_tx_id" = ?, "charge_amount" = ?
where "id" = ? and "status" in (?);

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

insert into "audit_log" ("at", "actor_id", "actor_name", "ip", "request_id", "action", "entity_type", "entity_id", "region_id", "alliance_id", "school_id", "detail")
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

select "l".*, "e"."name" as "equipment_name"
from "equipment_loans" as "l"
inner join "equipment" as "e" on "e"."id" = "l"."equipment_id"
where "l"."booking_id" in (?)
order by "l"."from_ms";

commit;
