-- POST /api/bookings/:id/approve (owner school admin, manual facility, pending booking)
-- statements: 21
-- recorded by src/server/sql-snapshots.test.ts (actor and directory cached); accept changes with UPDATE_SQL_SNAPSHOTS=1 npx vitest run src/server/sql-snapshots.test.ts

begin immediate;

select "facility_id"
from "bookings"
where "id" = ?;

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" = ?;

select *
from "facilities"
where "id" = ?;

select "alliance_id"
from "alliance_members"
where "school_id" = ? and "status" = ?;

update "bookings"
set "status" = ?, "decided_by" = ?, "decided_at" = ?, "updated_at" = ?
where "id" = ? and "status" in (?);

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

commit;

select "b".*, "f"."name" as "facility_name", "f"."type" as "facility_type", "f"."school_id" as "host_school_id", "f"."partner_id" as "host_partner_id", "u"."display_name" as "booker_name"
from "bookings" as "b"
inner join "facilities" as "f" on "f"."id" = "b"."facility_id"
inner join "users" as "u" on "u"."id" = "b"."booker_id"
where "b"."id" = ?;

select *
from "facilities"
where "id" = ?;

select "alliance_id"
from "alliance_members"
where "school_id" = ? and "status" = ?;

select "l".*, "e"."name" as "equipment_name"
from "equipment_loans" as "l"
inner join "equipment" as "e" on "e"."id" = "l"."equipment_id"
where "l"."booking_id" in (?)
order by "l"."from_ms";
