#!/usr/bin/env node
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/server/db/index.ts
import fs from "node:fs";
import path2 from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  CompiledQuery,
  sql
} from "kysely";
function openSqlite(file) {
  if (file !== ":memory:") fs.mkdirSync(path2.dirname(file), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma("journal_mode = WAL");
  handle.pragma("foreign_keys = ON");
  handle.pragma("busy_timeout = 5000");
  handle.pragma("synchronous = NORMAL");
  return handle;
}
function withStatementCache(handle, max = 1e3) {
  const cache = /* @__PURE__ */ new Map();
  const prepare = (text2) => {
    let st = cache.get(text2);
    if (st) {
      cache.delete(text2);
    } else {
      st = handle.prepare(text2);
      if (cache.size >= max) cache.delete(cache.keys().next().value);
    }
    cache.set(text2, st);
    return st;
  };
  return new Proxy(handle, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    }
  });
}
function createDatabase(config) {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      ...schema ? { options: `-c search_path=${schema}` } : {}
    });
    const db2 = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return {
      db: db2,
      dialect: "postgres",
      pool,
      close: () => db2.destroy()
    };
  }
  const sqlite = openSqlite(config.sqlitePath);
  const db = new Kysely({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: "sqlite", sqlite, close: () => db.destroy() };
}
async function ensureSchema(database, schema) {
  if (database.dialect !== "postgres" || !schema) return;
  await sql`create schema if not exists ${sql.id(schema)}`.execute(database.db);
}
function fromJson(v, fallback) {
  if (v == null || v === "") return fallback;
  try {
    return JSON.parse(v);
  } catch {
    return fallback;
  }
}
function isUniqueViolation(err) {
  const e = err;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
function containsText(dialect, column, text2) {
  const pattern = `%${text2.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const col = typeof column === "string" ? sql.ref(column) : column;
  return dialect === "postgres" ? sql`${col} ilike ${pattern}` : sql`${col} like ${pattern} escape '\\'`;
}
function columnTypes(dialect) {
  return {
    float: dialect === "postgres" ? "double precision" : "real",
    bigint: dialect === "postgres" ? "bigint" : "integer"
  };
}
var ImmediateSqliteDialect, nowIso, toJson;
var init_db = __esm({
  "src/server/db/index.ts"() {
    "use strict";
    pg.types.setTypeParser(20, (v) => Number(v));
    pg.types.setTypeParser(1700, (v) => Number(v));
    ImmediateSqliteDialect = class extends SqliteDialect {
      createDriver() {
        const driver = super.createDriver();
        driver.beginTransaction = async (conn) => {
          await conn.executeQuery(CompiledQuery.raw("begin immediate"));
        };
        return driver;
      }
    };
    nowIso = () => (/* @__PURE__ */ new Date()).toISOString();
    toJson = (v) => JSON.stringify(v ?? null);
  }
});

// src/server/platform/errors.ts
function fill(template, params, lang) {
  return template.replace(/\{(\w+)\}/g, (_, k) => {
    const v = params[k];
    if (k === "expected" && typeof v === "string") return TYPE_NAMES[v]?.[lang] ?? v;
    if (k === "entity" && typeof v === "string") return ENTITY_NAMES[v]?.[lang] ?? v;
    if (Array.isArray(v)) return v.join(lang === "zh" ? "\u3001" : ", ");
    return v == null ? "" : String(v);
  });
}
function message(code, lang, params = {}) {
  return fill(MESSAGES[code][lang], params, lang);
}
function fieldMessage(code, lang, params = {}) {
  const m = FIELD_MESSAGES[code];
  return m ? fill(m[lang], params, lang) : code;
}
function langOf(acceptLanguage) {
  if (!acceptLanguage) return "zh";
  const first = acceptLanguage.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "zh";
}
function zodIssueToField(issue, prefix = "") {
  const path10 = issue.instancePath.replace(/^\//, "").split("/").filter(Boolean);
  const base = [prefix, ...path10].filter(Boolean).join(".");
  const p = issue.params;
  switch (issue.keyword) {
    case "invalid_type": {
      const missing = typeof issue.message === "string" && /received undefined/.test(issue.message);
      return [{ field: base, code: missing ? "required" : "invalid_type", params: { expected: p.expected } }];
    }
    case "too_big":
      return [{ field: base, code: p.origin === "string" ? "too_long" : "too_big", params: { max: p.maximum } }];
    case "too_small":
      if (p.origin === "string" && p.minimum === 1) return [{ field: base, code: "required" }];
      return [{ field: base, code: p.origin === "string" ? "too_short" : "too_small", params: { min: p.minimum } }];
    case "invalid_value":
      return [{ field: base, code: "invalid_value", params: { options: p.values ?? [] } }];
    case "unrecognized_keys":
      return (p.keys ?? []).map((k) => ({ field: [base, k].filter(Boolean).join("."), code: "unknown_field" }));
    case "invalid_format":
      return [{ field: base, code: p.format === "regex" && String(p.pattern).includes("\\d{4}-") ? "invalid_date" : "invalid_format" }];
    case "custom":
      return [{ field: base, code: "invalid", params: { reason: issue.message ?? "" } }];
    default:
      return [{ field: base, code: "invalid", params: { reason: issue.message ?? issue.keyword } }];
  }
}
var MESSAGES, FIELD_MESSAGES, TYPE_NAMES, ENTITY_NAMES, AppError, badRequest, notFound, forbidden, conflict;
var init_errors = __esm({
  "src/server/platform/errors.ts"() {
    "use strict";
    MESSAGES = {
      validation_failed: { zh: "\u63D0\u4EA4\u7684\u6570\u636E\u6709\u8BEF\uFF0C\u8BF7\u68C0\u67E5\u6807\u51FA\u7684\u5B57\u6BB5", en: "Some fields are invalid" },
      malformed_json: { zh: "\u8BF7\u6C42\u4F53\u4E0D\u662F\u6709\u6548\u7684 JSON", en: "The request body is not valid JSON" },
      unsupported_media_type: { zh: "\u4E0D\u652F\u6301\u7684\u5185\u5BB9\u7C7B\u578B", en: "Unsupported content type" },
      payload_too_large: { zh: "\u4E0A\u4F20\u5185\u5BB9\u8FC7\u5927", en: "The upload is too large" },
      unauthenticated: { zh: "\u8BF7\u5148\u767B\u5F55", en: "Please sign in" },
      session_expired: { zh: "\u767B\u5F55\u5DF2\u8FC7\u671F\uFF0C\u8BF7\u91CD\u65B0\u767B\u5F55", en: "Your session has expired, please sign in again" },
      csrf_failed: { zh: "\u8BF7\u6C42\u6821\u9A8C\u5931\u8D25\uFF08CSRF\uFF09\uFF0C\u8BF7\u5237\u65B0\u9875\u9762\u540E\u91CD\u8BD5", en: "Request verification failed (CSRF); reload and retry" },
      forbidden: { zh: "\u60A8\u6CA1\u6709\u6267\u884C\u6B64\u64CD\u4F5C\u7684\u6743\u9650", en: "You are not allowed to do this" },
      not_found: { zh: "\u672A\u627E\u5230\u8BE5{entity}", en: "{entity} not found" },
      route_not_found: { zh: "\u63A5\u53E3\u4E0D\u5B58\u5728", en: "No such endpoint" },
      invalid_credentials: {
        zh: "\u7528\u6237\u540D\u6216\u5BC6\u7801\u9519\u8BEF\uFF1B\u8FDE\u7EED {max} \u6B21\u9519\u8BEF\u540E\u8D26\u53F7\u5C06\u9501\u5B9A {minutes} \u5206\u949F",
        en: "Wrong username or password; after {max} failures in a row the account is locked for {minutes} minutes"
      },
      account_disabled: { zh: "\u8D26\u53F7\u5DF2\u505C\u7528", en: "This account is disabled" },
      password_change_required: { zh: "\u8BF7\u5148\u4FEE\u6539\u521D\u59CB\u5BC6\u7801", en: "Please change your initial password first" },
      weak_password: { zh: "\u5BC6\u7801\u4E0D\u7B26\u5408\u8981\u6C42\uFF0C\u8BF7\u6309\u63D0\u793A\u4FEE\u6539", en: "The password does not meet the policy" },
      wrong_password: { zh: "\u5F53\u524D\u5BC6\u7801\u4E0D\u6B63\u786E", en: "The current password is wrong" },
      duplicate: { zh: "{field}\u5DF2\u5B58\u5728", en: "{field} already exists" },
      conflict: { zh: "\u64CD\u4F5C\u4E0E\u5F53\u524D\u72B6\u6001\u51B2\u7A81\uFF1A{reason}", en: "Conflicts with the current state: {reason}" },
      invalid_transition: { zh: "\u5F53\u524D\u72B6\u6001\uFF08{status}\uFF09\u4E0B\u4E0D\u80FD\u6267\u884C\u201C{step}\u201D", en: "Cannot {step} while {status}" },
      sso_disabled: { zh: "\u672A\u542F\u7528\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1", en: "Single sign-on is not configured" },
      sso_failed: { zh: "\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\u767B\u5F55\u5931\u8D25\uFF1A{reason}", en: "Single sign-on failed: {reason}" },
      sso_no_account: { zh: "\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\u8D26\u53F7\u672A\u5173\u8054\u672C\u5E73\u53F0\u7528\u6237", en: "No local account matches this single sign-on identity" },
      invalid_file: { zh: "\u65E0\u6CD5\u8BC6\u522B\u4E0A\u4F20\u7684\u6587\u4EF6\uFF1A{reason}", en: "The uploaded file cannot be read: {reason}" },
      import_has_invalid_rows: { zh: "\u6709 {count} \u884C\u6570\u636E\u6709\u8BEF\uFF0C\u672A\u5BFC\u5165\u4EFB\u4F55\u6570\u636E\uFF1B\u8BF7\u4FEE\u6B63\u540E\u91CD\u65B0\u4E0A\u4F20\uFF0C\u6216\u9009\u62E9\u201C\u4EC5\u5BFC\u5165\u6709\u6548\u884C\u201D", en: "{count} rows are invalid; nothing was imported. Fix them and upload again, or choose to import only the valid rows" },
      import_done: { zh: "\u8BE5\u6279\u6B21\u5DF2\u5904\u7406", en: "This import has already been processed" },
      internal: { zh: "\u670D\u52A1\u5668\u5185\u90E8\u9519\u8BEF\uFF0C\u8BF7\u7A0D\u540E\u518D\u8BD5", en: "Internal server error" },
      // ---- facilities & bookings (S3.1–S3.2) ----
      booking_conflict: { zh: "\u8BE5\u65F6\u6BB5\u5DF2\u88AB\u5360\u7528\uFF1A{clash}", en: "The time is taken: {clash}" },
      booking_rejected_dates: { zh: "\u6709 {count} \u4E2A\u65E5\u671F\u4E0D\u53EF\u9884\u7EA6\uFF08{dates}\uFF09\uFF0C\u6309\u201C\u5168\u90E8\u6216\u4E0D\u9884\u7EA6\u201D\u672A\u9884\u7EA6\u4EFB\u4F55\u65E5\u671F", en: '{count} dates are not bookable ({dates}); with "all or nothing" nothing was booked' },
      no_common_alliance: { zh: "\u60A8\u6240\u5728\u5B66\u6821\u4E0E\u8BE5\u8BBE\u65BD\u7684\u6240\u5C5E\u65B9\u6CA1\u6709\u5171\u540C\u7684\u8054\u76DF\uFF0C\u4E0D\u80FD\u9884\u7EA6", en: "Your school shares no alliance with the owner of this facility" },
      equipment_unavailable: { zh: "\u5668\u6750\u201C{name}\u201D\u5728\u8BE5\u65F6\u6BB5\u4EC5\u5269 {left} \u4EF6\u53EF\u501F", en: 'Only {left} of "{name}" are free at that time' },
      idempotency_mismatch: { zh: "\u540C\u4E00\u4E2A Idempotency-Key \u5DF2\u7528\u4E8E\u53E6\u4E00\u8BF7\u6C42", en: "This Idempotency-Key was used for a different request" },
      offer_expired: { zh: "\u8BE5\u7A7A\u6863\u7684\u4FDD\u7559\u65F6\u95F4\u5DF2\u8FC7", en: "The offered slot has expired" },
      // ---- credits (S3.3) ----
      insufficient_credits: {
        zh: "\u79EF\u5206\u4E0D\u8DB3\uFF1A\u672C\u6B21\u9700\u8981 {amount} \u79EF\u5206\uFF0C\u5F53\u524D\u4F59\u989D {balance}\uFF0C\u900F\u652F\u989D\u5EA6 {limit}",
        en: "Not enough credits: this needs {amount}, the balance is {balance} and the overdraft limit {limit}"
      },
      // ---- resources (S2) ----
      file_type_not_allowed: { zh: "\u6587\u4EF6\u7C7B\u578B\u4E0D\u7B26\u5408\u8981\u6C42\uFF08\u6309\u6587\u4EF6\u5185\u5BB9\u8BC6\u522B\uFF09\uFF0C\u6B64\u7C7B\u8D44\u6E90\u53EF\u4E0A\u4F20\uFF1A{allowed}", en: "File type not allowed (judged by content); this kind accepts: {allowed}" },
      upload_incomplete: { zh: "\u4E0A\u4F20\u672A\u5B8C\u6210\uFF08\u8FDE\u63A5\u4E2D\u65AD\uFF09\uFF0C\u672A\u4FDD\u5B58\u4EFB\u4F55\u5185\u5BB9\uFF0C\u8BF7\u91CD\u65B0\u4E0A\u4F20", en: "The upload was cut off; nothing was stored, please upload again" },
      invalid_file_name: { zh: "\u6587\u4EF6\u540D\u65E0\u6548\uFF1A\u4E0D\u80FD\u5305\u542B\u8DEF\u5F84\u3001\u201C..\u201D\u6216\u63A7\u5236\u5B57\u7B26", en: 'Invalid file name: no paths, ".." or control characters' },
      preview_unavailable: { zh: "\u6B64\u6587\u4EF6\u6682\u4E0D\u652F\u6301\u5728\u7EBF\u9884\u89C8\uFF0C\u8BF7\u4E0B\u8F7D\u540E\u67E5\u770B", en: "This file cannot be previewed online; please download it" },
      licence_forbids_download: { zh: "\u8BE5\u8D44\u6E90\u7684\u8BB8\u53EF\u4E3A\u201C\u8054\u76DF\u5185\u4F7F\u7528, \u7981\u6B62\u8F6C\u8F7D\u201D\uFF0C\u4EC5\u8054\u76DF\u6210\u5458\u6821\u53EF\u4E0B\u8F7D", en: "This resource is licensed for use inside its alliance only; it cannot be downloaded from outside" },
      range_not_satisfiable: { zh: "\u8BF7\u6C42\u7684\u5B57\u8282\u8303\u56F4\u65E0\u6548", en: "Requested range not satisfiable" }
      // ---- search & files (S2) ----
    };
    FIELD_MESSAGES = {
      required: { zh: "\u5FC5\u586B", en: "is required" },
      invalid_type: { zh: "\u7C7B\u578B\u9519\u8BEF\uFF0C\u5E94\u4E3A{expected}", en: "must be {expected}" },
      too_long: { zh: "\u4E0D\u80FD\u8D85\u8FC7 {max} \u4E2A\u5B57\u7B26", en: "must be at most {max} characters" },
      too_short: { zh: "\u81F3\u5C11 {min} \u4E2A\u5B57\u7B26", en: "must be at least {min} characters" },
      too_big: { zh: "\u4E0D\u80FD\u5927\u4E8E {max}", en: "must be at most {max}" },
      too_small: { zh: "\u4E0D\u80FD\u5C0F\u4E8E {min}", en: "must be at least {min}" },
      invalid_value: { zh: "\u53D6\u503C\u65E0\u6548\uFF0C\u53EF\u9009\u503C\uFF1A{options}", en: "must be one of: {options}" },
      invalid_format: { zh: "\u683C\u5F0F\u4E0D\u6B63\u786E", en: "has an invalid format" },
      invalid_date: { zh: "\u65E5\u671F\u683C\u5F0F\u5E94\u4E3A YYYY-MM-DD", en: "must be a date YYYY-MM-DD" },
      unknown_field: { zh: "\u4E0D\u5141\u8BB8\u7684\u5B57\u6BB5", en: "is not an allowed field" },
      duplicate: { zh: "\u5DF2\u5B58\u5728", en: "already exists" },
      duplicate_in_file: { zh: "\u4E0E\u7B2C {row} \u884C\u91CD\u590D", en: "duplicates row {row}" },
      not_found: { zh: "\u4E0D\u5B58\u5728\u6216\u65E0\u6743\u8BBF\u95EE", en: "does not exist or is not accessible" },
      invalid: { zh: "\u65E0\u6548\uFF1A{reason}", en: "is invalid: {reason}" },
      out_of_scope: { zh: "\u8D85\u51FA\u60A8\u7684\u7BA1\u7406\u8303\u56F4", en: "is outside your scope" },
      password_too_short: { zh: "\u81F3\u5C11 10 \u4E2A\u5B57\u7B26", en: "must have at least 10 characters" },
      password_too_long: { zh: "\u4E0D\u80FD\u8D85\u8FC7 128 \u4E2A\u5B57\u7B26", en: "must have at most 128 characters" },
      password_too_simple: { zh: "\u9700\u5305\u542B\u5C0F\u5199\u5B57\u6BCD\u3001\u5927\u5199\u5B57\u6BCD\u3001\u6570\u5B57\u3001\u7B26\u53F7\u4E2D\u7684\u81F3\u5C11\u4E09\u7C7B", en: "must mix three of: lower case, upper case, digits, symbols" },
      password_contains_username: { zh: "\u4E0D\u80FD\u5305\u542B\u7528\u6237\u540D", en: "must not contain the username" },
      password_same_as_current: { zh: "\u4E0D\u80FD\u4E0E\u5F53\u524D\u5BC6\u7801\u76F8\u540C", en: "must differ from the current password" },
      // ---- facilities & bookings (S3.1–S3.2) ----
      end_before_start: { zh: "\u7ED3\u675F\u65F6\u95F4\u5FC5\u987B\u665A\u4E8E\u5F00\u59CB\u65F6\u95F4", en: "must be after the start" },
      booking_too_short: { zh: "\u9884\u7EA6\u65F6\u957F\u4E0D\u80FD\u5C11\u4E8E {min} \u5206\u949F", en: "the booking must last at least {min} minutes" },
      booking_too_long: { zh: "\u9884\u7EA6\u65F6\u957F\u4E0D\u80FD\u8D85\u8FC7 {max} \u5206\u949F", en: "the booking may last at most {max} minutes" },
      too_late_notice: { zh: "\u81F3\u5C11\u9700\u63D0\u524D {hours} \u5C0F\u65F6\u9884\u7EA6", en: "must be booked at least {hours} hours ahead" },
      too_far_ahead: { zh: "\u6700\u591A\u53EA\u80FD\u9884\u7EA6 {days} \u5929\u4EE5\u5185\u7684\u65F6\u6BB5", en: "may be at most {days} days ahead" },
      in_past: { zh: "\u4E0D\u80FD\u9884\u7EA6\u5DF2\u8FC7\u53BB\u7684\u65F6\u95F4", en: "lies in the past" },
      outside_open_hours: { zh: "\u4E0D\u5728\u5F00\u653E\u65F6\u95F4\u5185\uFF08{hours}\uFF09", en: "is outside the open hours ({hours})" },
      in_closure: { zh: "{date} \u95ED\u9986\uFF1A{reason}", en: "closed on {date}: {reason}" },
      over_quota: { zh: "\u8D85\u51FA\u672C\u6821\u6BCF\u5468 {hours} \u5C0F\u65F6\u7684\u9884\u7EA6\u9650\u989D\uFF08{week} \u8FD9\u4E00\u5468\uFF09", en: "exceeds your school's weekly quota of {hours} hours (week of {week})" },
      over_capacity: { zh: "\u8D85\u8FC7\u573A\u5730\u5BB9\u91CF {capacity} \u4EBA", en: "exceeds the capacity of {capacity}" },
      must_accept_terms: { zh: "\u987B\u9605\u8BFB\u5E76\u540C\u610F\u5B89\u5168\u89C4\u5B9A\u4E0E\u8D23\u4EFB\u6761\u6B3E", en: "the safety rules and responsibility terms must be accepted" },
      not_lendable: { zh: "\u8BE5\u5668\u6750\u4EC5\u9650\u573A\u5185\u4F7F\u7528\u6216\u4E0D\u53EF\u7528", en: "this equipment is on-site only or not available" },
      before_from: { zh: "\u5FC5\u987B\u665A\u4E8E\u5F00\u59CB\u65E5\u671F", en: "must be after the start date" },
      not_bookable: { zh: "\u8BE5\u8BBE\u65BD\u5F53\u524D\u4E0D\u5F00\u653E\u9884\u7EA6", en: "this facility is not open for booking" },
      // ---- credits (S3.3) ----
      // ---- resources (S2) ----
      rubric_item_missing: { zh: "\u7F3A\u5C11\u8BE5\u9879\u8BC4\u5206", en: "score missing" },
      rubric_item_unknown: { zh: "\u4E0D\u5C5E\u4E8E\u8BE5\u7C7B\u8D44\u6E90\u7684\u8D28\u91CF\u6807\u51C6", en: "is not an item of this kind's rubric" },
      rubric_item_range: { zh: "\u8BC4\u5206\u5E94\u4E3A 1\u20135 \u7684\u6574\u6570", en: "must be an integer 1\u20135" }
      // ---- search & files (S2) ----
    };
    TYPE_NAMES = {
      string: { zh: "\u6587\u672C", en: "a string" },
      number: { zh: "\u6570\u5B57", en: "a number" },
      int: { zh: "\u6574\u6570", en: "an integer" },
      boolean: { zh: "\u5E03\u5C14\u503C", en: "a boolean" },
      array: { zh: "\u6570\u7EC4", en: "an array" },
      object: { zh: "\u5BF9\u8C61", en: "an object" }
    };
    ENTITY_NAMES = {
      school: { zh: "\u5B66\u6821", en: "School" },
      alliance: { zh: "\u8054\u76DF", en: "Alliance" },
      region: { zh: "\u533A\u57DF", en: "Region" },
      user: { zh: "\u7528\u6237", en: "User" },
      application: { zh: "\u7533\u8BF7", en: "Application" },
      document: { zh: "\u6587\u4EF6", en: "Document" },
      body: { zh: "\u6CBB\u7406\u673A\u6784", en: "Governance body" },
      partner: { zh: "\u5408\u4F5C\u65B9", en: "Partner" },
      milestone: { zh: "\u91CC\u7A0B\u7891", en: "Milestone" },
      grant: { zh: "\u6388\u6743", en: "Role grant" },
      import: { zh: "\u5BFC\u5165\u6279\u6B21", en: "Import" },
      member: { zh: "\u6210\u5458", en: "Member" },
      resource: { zh: "\u8D44\u6E90", en: "Resource" },
      // ---- facilities & bookings (S3.1–S3.2) ----
      facility: { zh: "\u8BBE\u65BD", en: "Facility" },
      booking: { zh: "\u9884\u7EA6", en: "Booking" },
      equipment: { zh: "\u5668\u6750", en: "Equipment" },
      closure: { zh: "\u95ED\u9986\u5B89\u6392", en: "Closure" },
      term: { zh: "\u5B66\u671F", en: "Term" },
      kit: { zh: "\u6D41\u52A8\u5B9E\u9A8C\u5BA4/\u5668\u6750\u7BB1", en: "Mobile kit" },
      rotation: { zh: "\u8F6E\u8F6C\u5B89\u6392", en: "Rotation" },
      waitlist: { zh: "\u5019\u8865", en: "Waitlist entry" },
      loan: { zh: "\u501F\u7528\u8BB0\u5F55", en: "Loan" },
      calendar: { zh: "\u65E5\u5386\u8BA2\u9605", en: "Calendar feed" },
      // ---- credits (S3.3) ----
      credit_account: { zh: "\u79EF\u5206\u8D26\u6237", en: "Credit account" },
      credit_transaction: { zh: "\u79EF\u5206\u4EA4\u6613", en: "Credit transaction" },
      // ---- resources (S2) ----
      resource_file: { zh: "\u8D44\u6E90\u6587\u4EF6", en: "Resource file" },
      resource_comment: { zh: "\u8BC4\u8BBA", en: "Comment" },
      notification: { zh: "\u901A\u77E5", en: "Notification" }
    };
    AppError = class extends Error {
      constructor(status, code, params = {}, fields = []) {
        super(code);
        this.status = status;
        this.code = code;
        this.params = params;
        this.fields = fields;
      }
      status;
      code;
      params;
      fields;
    };
    badRequest = (fields, code = "validation_failed", params = {}) => new AppError(400, code, params, fields);
    notFound = (entity) => new AppError(404, "not_found", { entity });
    forbidden = () => new AppError(403, "forbidden");
    conflict = (reason, fields = []) => new AppError(409, "conflict", { reason }, fields);
  }
});

// src/server/platform/policy.ts
import { sql as sql8 } from "kysely";
function holds(actor, permission) {
  if (permission === "public" || permission === "signed_in") return true;
  return actor.grants.some((g) => ROLE_PERMISSIONS[g.role]?.includes(permission));
}
async function resolveScopes(db, base) {
  const g = base.grants;
  const bureauRoots = g.filter((x) => x.role === "bureau_admin" && x.scopeId).map((x) => x.scopeId);
  const readRoots = g.filter((x) => (x.role === "bureau_admin" || x.role === "evaluator") && x.scopeId).map((x) => x.scopeId);
  const schools = new Set(g.filter((x) => x.scopeType === "school" && x.scopeId).map((x) => x.scopeId));
  const adminSchools = new Set(g.filter((x) => x.role === "school_admin" && x.scopeId).map((x) => x.scopeId));
  const allianceGrants = g.filter((x) => x.scopeType === "alliance" && x.scopeId).map((x) => x.scopeId);
  const adminAlliances = new Set(g.filter((x) => x.role === "alliance_admin" && x.scopeId).map((x) => x.scopeId));
  const readRegions = readRoots.length ? await regionDescendants(db, readRoots) : /* @__PURE__ */ new Set();
  const bureauRegions = bureauRoots.length ? bureauRoots.length === readRoots.length ? readRegions : await regionDescendants(db, bureauRoots) : /* @__PURE__ */ new Set();
  const memberAlliances = new Set(allianceGrants);
  let homeRegionChain = /* @__PURE__ */ new Set();
  if (schools.size > 0) {
    const ids = [...schools];
    const rows = await db.selectFrom("alliance_members").select("alliance_id").where("school_id", "in", ids).where("status", "=", "active").execute();
    for (const r of rows) memberAlliances.add(r.alliance_id);
    const regionRows = await db.selectFrom("schools").select("region_id").where("id", "in", ids).execute();
    homeRegionChain = await regionAncestors(db, [...new Set(regionRows.map((r) => r.region_id))]);
  }
  return {
    ...base,
    isPlatformAdmin: g.some((x) => x.role === "platform_admin"),
    bureauRegions,
    readRegions,
    adminAlliances,
    memberAlliances,
    schools,
    adminSchools,
    homeRegionChain
  };
}
async function regionDescendants(db, roots) {
  const res = await sql8`
    with recursive sub(id) as (
      select id from regions where id in (${sql8.join(roots)})
      union
      select r.id from regions r join sub on r.parent_id = sub.id
    ) select id from sub`.execute(db);
  return new Set(res.rows.map((r) => r.id));
}
async function regionAncestors(db, ids) {
  if (ids.length === 0) return /* @__PURE__ */ new Set();
  const res = await sql8`
    with recursive up(id, parent_id) as (
      select id, parent_id from regions where id in (${sql8.join(ids)})
      union
      select r.id, r.parent_id from regions r join up on r.id = up.parent_id
    ) select id from up`.execute(db);
  return new Set(res.rows.map((r) => r.id));
}
var PERMISSIONS, ROLE_PERMISSIONS, policy, SCHOOL_GRANTABLE;
var init_policy = __esm({
  "src/server/platform/policy.ts"() {
    "use strict";
    PERMISSIONS = [
      "public",
      // no sign-in
      "signed_in",
      // any signed-in user
      "region.overview",
      "school.read",
      "school.create",
      "school.update",
      "alliance.read",
      "alliance.create",
      "alliance.manage",
      "partner.read",
      "partner.write",
      "application.read",
      "application.create",
      "application.decide",
      "user.read",
      "user.write",
      "import.run",
      "audit.read",
      // facilities, bookings, credits (SPEC S3)
      "facility.read",
      // browse facilities, equipment, calendars (record rules per alliance/school)
      "facility.manage",
      // inventory, open hours, closures, equipment of one's own school / venue / mobile kits
      "booking.create",
      // book a facility or borrow equipment
      "booking.decide",
      // the owner's approval inbox, check-in, no-show
      "credit.read",
      // ledgers, balances, statements
      "credit.manage",
      // the alliance's credit rules, grants, adjustments
      // course resources (SPEC S2)
      "resource.read",
      "resource.write",
      // upload and edit one's own resources
      "resource.review",
      // the review queue (reviewers of a subject)
      "resource.manage"
      // archive others' resources, remove comments, catalogues
    ];
    ROLE_PERMISSIONS = {
      platform_admin: PERMISSIONS,
      bureau_admin: [
        "region.overview",
        "school.read",
        "school.create",
        "school.update",
        "alliance.read",
        "alliance.create",
        "alliance.manage",
        "partner.read",
        "partner.write",
        "application.read",
        "application.decide",
        "user.read",
        "user.write",
        "import.run",
        "audit.read",
        "facility.read",
        "facility.manage",
        "credit.read",
        "credit.manage",
        "resource.read",
        "resource.manage"
      ],
      evaluator: ["region.overview", "school.read", "alliance.read", "partner.read", "application.read", "facility.read", "credit.read", "resource.read"],
      alliance_admin: [
        "school.read",
        "alliance.read",
        "alliance.manage",
        "partner.read",
        "partner.write",
        "application.read",
        "application.decide",
        "facility.read",
        "facility.manage",
        "credit.read",
        "credit.manage",
        "resource.read",
        "resource.manage"
      ],
      school_admin: [
        "school.read",
        "school.update",
        "alliance.read",
        "partner.read",
        "application.read",
        "application.create",
        "user.read",
        "user.write",
        "import.run",
        "facility.read",
        "facility.manage",
        "booking.create",
        "booking.decide",
        "credit.read",
        "resource.read",
        "resource.write",
        "resource.manage"
      ],
      teacher: ["school.read", "alliance.read", "partner.read", "facility.read", "booking.create", "resource.read", "resource.write"],
      reviewer: ["school.read", "alliance.read", "partner.read", "facility.read", "booking.create", "resource.read", "resource.write", "resource.review"],
      student: ["school.read", "alliance.read", "facility.read", "resource.read"],
      guardian: ["school.read", "alliance.read", "facility.read", "booking.create", "resource.read"],
      partner: ["school.read", "alliance.read", "partner.read", "facility.read", "facility.manage", "booking.decide", "resource.read"]
    };
    policy = {
      readRegion: (a, regionId) => a.isPlatformAdmin || a.readRegions.has(regionId),
      /**
       * alliances the school belongs to are needed for the member rule; `appliedTo`: alliances the school has
       * an open application to (their secretariat must see the applicant to evaluate it)
       */
      readSchool: (a, s, schoolAlliances, appliedTo = []) => a.isPlatformAdmin || a.readRegions.has(s.region_id) || a.schools.has(s.id) || schoolAlliances.some((id) => a.memberAlliances.has(id)) || appliedTo.some((id) => a.adminAlliances.has(id)),
      createSchool: (a, regionId) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
      updateSchool: (a, s) => a.isPlatformAdmin || a.bureauRegions.has(s.region_id) || a.adminSchools.has(s.id),
      readAlliance: (a, al) => a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id) || a.homeRegionChain.has(al.region_id),
      /** members, partners, governance, documents, milestones */
      manageAlliance: (a, al) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),
      /** the alliance's internal documents and timeline: members and overseers, not the whole region */
      readAllianceInternals: (a, al) => a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id),
      createAlliance: (a, regionId) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
      /** exit a member / change the alliance itself (kind, core school): the alliance or the bureau */
      exitMember: (a, al) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),
      applyForSchool: (a, schoolId) => a.isPlatformAdmin || a.adminSchools.has(schoolId),
      /** 联盟评估 and 理事会推荐 */
      allianceStep: (a, al) => a.isPlatformAdmin || a.adminAlliances.has(al.id),
      /** 教育局审批 */
      bureauStep: (a, al) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id),
      readApplication: (a, al, schoolId) => a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.adminAlliances.has(al.id) || a.schools.has(schoolId),
      /** user administration: bureau for its regions, school admin for its school */
      manageUser: (a, u) => a.isPlatformAdmin || u.region_id != null && a.bureauRegions.has(u.region_id) || u.school_region_id != null && a.bureauRegions.has(u.school_region_id) || u.school_id != null && a.adminSchools.has(u.school_id)
    };
    SCHOOL_GRANTABLE = ["teacher", "student", "guardian", "school_admin"];
  }
});

// src/server/platform/ids.ts
var ids_exports = {};
__export(ids_exports, {
  newId: () => newId,
  randomToken: () => randomToken,
  sha256: () => sha256
});
import crypto2 from "node:crypto";
function newId() {
  const t = Date.now().toString(36).padStart(10, "0");
  return t + crypto2.randomBytes(9).toString("base64url");
}
function randomToken(bytes = 32) {
  return crypto2.randomBytes(bytes).toString("base64url");
}
function sha256(s) {
  return crypto2.createHash("sha256").update(s).digest("hex");
}
var init_ids = __esm({
  "src/server/platform/ids.ts"() {
    "use strict";
  }
});

// src/server/platform/audit.ts
async function audit(tx, req, e) {
  await tx.insertInto("audit_log").values({
    at: nowIso(),
    actor_id: e.actor?.id ?? req?.actor?.userId ?? null,
    actor_name: e.actor?.name ?? req?.actor?.displayName ?? null,
    ip: req?.ip ?? null,
    request_id: req ? String(req.id) : null,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId ?? null,
    region_id: e.regionId ?? null,
    alliance_id: e.allianceId ?? null,
    school_id: e.schoolId ?? null,
    detail: toJson(e.detail ?? {})
  }).execute();
}
function changes(before, after) {
  const out = {};
  for (const [k, v] of Object.entries(after)) {
    if (v !== void 0 && JSON.stringify(before[k]) !== JSON.stringify(v)) out[k] = { from: before[k], to: v };
  }
  return out;
}
var init_audit = __esm({
  "src/server/platform/audit.ts"() {
    "use strict";
    init_db();
  }
});

// src/server/platform/passwords.ts
var passwords_exports = {};
__export(passwords_exports, {
  hashPassword: () => hashPassword,
  passwordProblems: () => passwordProblems,
  verifyPassword: () => verifyPassword
});
import { hash, verify } from "@node-rs/argon2";
function hashPassword(password) {
  return hash(password, OPTIONS);
}
async function verifyPassword(hashed, password) {
  if (!hashed) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
function passwordProblems(password, username) {
  const problems = [];
  if (password.length < 10) problems.push("too_short");
  if (password.length > 128) problems.push("too_long");
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push("too_simple");
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push("contains_username");
  return problems;
}
var OPTIONS;
var init_passwords = __esm({
  "src/server/platform/passwords.ts"() {
    "use strict";
    OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
  }
});

// src/server/modules/auth/service.ts
var service_exports = {};
__export(service_exports, {
  AuthService: () => AuthService,
  CSRF_COOKIE: () => CSRF_COOKIE,
  SESSION_COOKIE: () => SESSION_COOKIE,
  checkPasswordPolicy: () => checkPasswordPolicy,
  initialPassword: () => initialPassword,
  newId: () => newId
});
function checkPasswordPolicy(password, username, field) {
  const problems = passwordProblems(password, username);
  if (problems.length) {
    throw badRequest(
      problems.map((p) => ({ field, code: `password_${p}` })),
      "weak_password",
      { reasons: problems }
    );
  }
}
function initialPassword() {
  const t = randomToken(9).replace(/[-_]/g, "x");
  return `Xl-${t.slice(0, 4).toUpperCase()}${t.slice(4)}7`;
}
var SESSION_COOKIE, CSRF_COOKIE, TOUCH_MS, addMinutes, dummyHash, toGrant, AuthService;
var init_service = __esm({
  "src/server/modules/auth/service.ts"() {
    "use strict";
    init_db();
    init_audit();
    init_errors();
    init_ids();
    init_passwords();
    init_policy();
    SESSION_COOKIE = "xl_sid";
    CSRF_COOKIE = "xl_csrf";
    TOUCH_MS = 6e4;
    addMinutes = (iso2, m) => new Date(Date.parse(iso2) + m * 6e4).toISOString();
    dummyHash = null;
    toGrant = (g) => ({
      id: g.id,
      role: g.role,
      scopeType: g.scope_type,
      scopeId: g.scope_id,
      subject: g.subject
    });
    AuthService = class {
      constructor(db, config) {
        this.db = db;
        this.config = config;
      }
      db;
      config;
      async login(req, username, password) {
        const user = await this.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
        const now = nowIso();
        if (!user || user.locked_until && user.locked_until > now) {
          dummyHash ??= hashPassword(randomToken(12));
          await verifyPassword(await dummyHash, password);
          await audit(this.db, req, {
            action: "auth.login_failed",
            entityType: "user",
            entityId: user?.id ?? null,
            regionId: user?.region_id ?? null,
            schoolId: user?.school_id ?? null,
            detail: { username, reason: user ? "locked" : "unknown_user" }
          });
          throw new AppError(401, "invalid_credentials", { minutes: this.config.login.lockMinutes, max: this.config.login.maxFailures });
        }
        const ok = await verifyPassword(user.password_hash, password);
        if (!ok) {
          const failures = user.failed_logins + 1;
          const lock2 = failures >= this.config.login.maxFailures;
          await this.db.transaction().execute(async (tx) => {
            await tx.updateTable("users").set({
              failed_logins: lock2 ? 0 : failures,
              locked_until: lock2 ? addMinutes(now, this.config.login.lockMinutes) : user.locked_until
            }).where("id", "=", user.id).execute();
            await audit(tx, req, {
              action: lock2 ? "auth.locked" : "auth.login_failed",
              entityType: "user",
              entityId: user.id,
              regionId: user.region_id,
              schoolId: user.school_id,
              detail: { failures }
            });
          });
          throw new AppError(401, "invalid_credentials", { minutes: this.config.login.lockMinutes, max: this.config.login.maxFailures });
        }
        if (user.status !== "active") throw new AppError(403, "account_disabled");
        return this.db.transaction().execute(async (tx) => {
          await tx.updateTable("users").set({ failed_logins: 0, locked_until: null, last_login_at: now }).where("id", "=", user.id).execute();
          const s = await this.createSession(tx, req, user.id, "password");
          await audit(tx, req, { action: "auth.login", entityType: "user", entityId: user.id, actor: { id: user.id, name: user.display_name }, regionId: user.region_id, schoolId: user.school_id, detail: { via: "password" } });
          return s;
        });
      }
      async createSession(tx, req, userId, via) {
        const token = randomToken(32);
        const csrf = randomToken(24);
        const now = nowIso();
        await tx.insertInto("sessions").values({
          id: sha256(token),
          user_id: userId,
          csrf_token: csrf,
          created_at: now,
          last_seen_at: now,
          idle_expires_at: addMinutes(now, this.config.session.idleMinutes),
          expires_at: addMinutes(now, this.config.session.absoluteHours * 60),
          ip: req.ip,
          user_agent: (req.headers["user-agent"] ?? "").slice(0, 300),
          via
        }).execute();
        return { token, csrf, userId };
      }
      setCookies(reply, s) {
        const common = { path: "/", sameSite: "lax", secure: this.config.secureCookies };
        reply.setCookie(SESSION_COOKIE, s.token, { ...common, httpOnly: true });
        reply.setCookie(CSRF_COOKIE, s.csrf, { ...common, httpOnly: false });
      }
      clearCookies(reply) {
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        reply.clearCookie(CSRF_COOKIE, { path: "/" });
      }
      /** The actor behind a session token, or a reason why there is none. */
      async actorFromToken(token) {
        const id = sha256(token);
        const [row, grantRows] = await Promise.all([
          this.db.selectFrom("sessions as s").innerJoin("users as u", "u.id", "s.user_id").select([
            "s.id as sid",
            "s.csrf_token",
            "s.expires_at",
            "s.idle_expires_at",
            "s.last_seen_at",
            "s.via",
            "u.id",
            "u.username",
            "u.display_name",
            "u.school_id",
            "u.region_id",
            "u.status",
            "u.must_change_password"
          ]).where("s.id", "=", id).executeTakeFirst(),
          this.db.selectFrom("role_grants as g").innerJoin("sessions as s", "s.user_id", "g.user_id").select(["g.id", "g.role", "g.scope_type", "g.scope_id", "g.subject"]).where("s.id", "=", id).execute()
        ]);
        if (!row) return null;
        const now = nowIso();
        if (row.expires_at <= now || row.idle_expires_at <= now || row.status !== "active") {
          await this.db.deleteFrom("sessions").where("id", "=", id).execute();
          return "expired";
        }
        if (Date.now() - Date.parse(row.last_seen_at) > TOUCH_MS) {
          await this.db.updateTable("sessions").set({ last_seen_at: now, idle_expires_at: addMinutes(now, this.config.session.idleMinutes) }).where("id", "=", id).execute();
        }
        const grants = grantRows.map(toGrant);
        return resolveScopes(this.db, {
          userId: row.id,
          username: row.username,
          displayName: row.display_name,
          schoolId: row.school_id,
          regionId: row.region_id,
          grants,
          sessionId: id,
          csrfToken: row.csrf_token,
          // a session opened by single sign-on never used the local password: no forced change for it
          mustChangePassword: row.must_change_password === 1 && row.via !== "oidc"
        });
      }
      async grantsOf(userId) {
        const rows = await this.db.selectFrom("role_grants").select(["id", "role", "scope_type", "scope_id", "subject"]).where("user_id", "=", userId).execute();
        return rows.map(toGrant);
      }
      async logout(req, actor) {
        await this.db.transaction().execute(async (tx) => {
          await tx.deleteFrom("sessions").where("id", "=", actor.sessionId).execute();
          await audit(tx, req, { action: "auth.logout", entityType: "user", entityId: actor.userId, regionId: actor.regionId, schoolId: actor.schoolId });
        });
      }
      async changePassword(req, actor, current, next) {
        const user = await this.db.selectFrom("users").select(["password_hash", "username", "region_id", "school_id"]).where("id", "=", actor.userId).executeTakeFirstOrThrow();
        if (!await verifyPassword(user.password_hash, current)) {
          throw new AppError(400, "wrong_password", {}, [{ field: "currentPassword", code: "invalid", params: { reason: "" } }]);
        }
        checkPasswordPolicy(next, user.username, "newPassword");
        if (await verifyPassword(user.password_hash, next)) {
          throw badRequest([{ field: "newPassword", code: "password_same_as_current" }], "weak_password", { reasons: ["same_as_current"] });
        }
        const hashed = await hashPassword(next);
        await this.db.transaction().execute(async (tx) => {
          await tx.updateTable("users").set({ password_hash: hashed, must_change_password: 0, password_changed_at: nowIso(), updated_at: nowIso() }).where("id", "=", actor.userId).execute();
          await tx.deleteFrom("sessions").where("user_id", "=", actor.userId).where("id", "!=", actor.sessionId).execute();
          await audit(tx, req, { action: "auth.password_change", entityType: "user", entityId: actor.userId, regionId: user.region_id, schoolId: user.school_id });
        });
      }
      async purgeExpired() {
        const now = nowIso();
        await this.db.deleteFrom("sessions").where((eb) => eb.or([eb("expires_at", "<=", now), eb("idle_expires_at", "<=", now)])).execute();
        await this.db.deleteFrom("auth_flows").where("expires_at", "<=", now).execute();
      }
    };
  }
});

// src/common/vocab.ts
function vocab(terms) {
  const codes = terms.map((t) => t.code);
  const byCode = new Map(terms.map((t) => [t.code, t]));
  const byZh = new Map(terms.map((t) => [t.zh, t]));
  return {
    terms,
    codes,
    label: (code, lang = "zh") => byCode.get(code)?.[lang] ?? code,
    /** Accepts a code, a zh-CN label or an English label (Excel import). */
    parse: (input) => {
      const s = input.trim();
      return (byCode.get(s) ?? byZh.get(s) ?? terms.find((t) => t.en.toLowerCase() === s.toLowerCase()))?.code;
    }
  };
}
var ROLES, ROLE_SCOPE, REGION_LEVELS, SCHOOL_TYPES, OWNERSHIP, LOCATIONS, SCHOOL_TAGS, ALLIANCE_KINDS, ALLIANCE_PATTERNS, PARTNER_KINDS, BODY_KINDS, DOCUMENT_KINDS, PHASES, APPLICATION_STATUS, OPEN_APPLICATION_STATUSES, ASSESSMENT_RESULTS, SUBJECTS, TERM_KINDS, RESOURCE_INDICATORS;
var init_vocab = __esm({
  "src/common/vocab.ts"() {
    "use strict";
    ROLES = vocab([
      { code: "platform_admin", zh: "\u5E73\u53F0\u7BA1\u7406\u5458", en: "Platform admin" },
      { code: "bureau_admin", zh: "\u6559\u80B2\u5C40\u7BA1\u7406\u5458", en: "Bureau admin" },
      { code: "alliance_admin", zh: "\u8054\u76DF\u79D8\u4E66\u5904/\u7406\u4E8B", en: "Alliance secretary / council" },
      { code: "school_admin", zh: "\u5B66\u6821\u7BA1\u7406\u5458", en: "School admin" },
      { code: "teacher", zh: "\u6559\u5E08", en: "Teacher" },
      { code: "reviewer", zh: "\u5BA1\u6838\u5458", en: "Reviewer" },
      { code: "student", zh: "\u5B66\u751F", en: "Student" },
      { code: "guardian", zh: "\u5BB6\u957F", en: "Guardian" },
      { code: "partner", zh: "\u5408\u4F5C\u65B9", en: "Partner" },
      { code: "evaluator", zh: "\u7B2C\u4E09\u65B9\u8BC4\u4F30", en: "Evaluator" }
    ]);
    ROLE_SCOPE = {
      platform_admin: "installation",
      bureau_admin: "region",
      alliance_admin: "alliance",
      school_admin: "school",
      teacher: "school",
      reviewer: "alliance",
      student: "school",
      guardian: "school",
      partner: "alliance",
      evaluator: "region"
    };
    REGION_LEVELS = vocab([
      { code: "province", zh: "\u7701", en: "Province" },
      { code: "city", zh: "\u5E02", en: "City" },
      { code: "district", zh: "\u533A/\u53BF", en: "District / county" }
    ]);
    SCHOOL_TYPES = vocab([
      { code: "primary", zh: "\u5C0F\u5B66", en: "Primary school" },
      { code: "junior", zh: "\u521D\u7EA7\u4E2D\u5B66", en: "Junior secondary" },
      { code: "nine_year", zh: "\u4E5D\u5E74\u4E00\u8D2F\u5236\u5B66\u6821", en: "9-year school" },
      { code: "complete_secondary", zh: "\u5B8C\u5168\u4E2D\u5B66", en: "Complete secondary" },
      { code: "senior", zh: "\u9AD8\u7EA7\u4E2D\u5B66", en: "Senior secondary" },
      { code: "twelve_year", zh: "\u5341\u4E8C\u5E74\u4E00\u8D2F\u5236\u5B66\u6821", en: "12-year school" },
      { code: "vocational", zh: "\u4E2D\u7B49\u804C\u4E1A\u5B66\u6821", en: "Vocational school" },
      { code: "special", zh: "\u7279\u6B8A\u6559\u80B2\u5B66\u6821", en: "Special education" },
      { code: "kindergarten", zh: "\u5E7C\u513F\u56ED", en: "Kindergarten" },
      { code: "teaching_point", zh: "\u6559\u5B66\u70B9", en: "Teaching point" }
    ]);
    OWNERSHIP = vocab([
      { code: "public", zh: "\u516C\u529E", en: "Public" },
      { code: "private", zh: "\u6C11\u529E", en: "Private" }
    ]);
    LOCATIONS = vocab([
      { code: "urban", zh: "\u57CE\u533A", en: "Urban" },
      { code: "county_town", zh: "\u53BF\u57CE", en: "County town" },
      { code: "township", zh: "\u4E61\u9547", en: "Township" },
      { code: "village", zh: "\u6751", en: "Village" }
    ]);
    SCHOOL_TAGS = vocab([
      { code: "quality", zh: "\u4F18\u8D28\u6821", en: "High-quality" },
      { code: "weak", zh: "\u8584\u5F31\u6821", en: "Under-resourced" },
      { code: "new", zh: "\u65B0\u5EFA\u6821", en: "Newly built" },
      { code: "suburban", zh: "\u57CE\u90CA\u6821", en: "Suburban" },
      { code: "rural", zh: "\u519C\u6751\u6821", en: "Rural" },
      { code: "small", zh: "\u5C0F\u89C4\u6A21\u5B66\u6821", en: "Small school" }
    ]);
    ALLIANCE_KINDS = vocab([
      { code: "fusion", zh: "\u878D\u5408\u578B", en: "Merged (one legal person)" },
      { code: "aggregation", zh: "\u805A\u5408\u578B", en: "Aggregated (close cooperation)" },
      { code: "union", zh: "\u8054\u5408\u578B", en: "Federated (project-based)" }
    ]);
    ALLIANCE_PATTERNS = vocab([
      { code: "mother_child", zh: "\u6BCD\u5B50\u5F0F", en: "Parent\u2013new school" },
      { code: "mentor", zh: "\u5E08\u5F92\u5F0F", en: "Mentor\u2013weak school" },
      { code: "partner", zh: "\u4F19\u4F34\u5F0F", en: "Peer partners" },
      { code: "urban_rural", zh: "\u57CE\u4E61\u7ED3\u5BF9", en: "Urban\u2013rural pairing" }
    ]);
    PARTNER_KINDS = vocab([
      { code: "enterprise", zh: "\u4F01\u4E1A", en: "Enterprise" },
      { code: "university", zh: "\u9AD8\u6821", en: "University" },
      { code: "museum", zh: "\u573A\u9986", en: "Museum / venue" },
      { code: "community", zh: "\u793E\u533A", en: "Community" },
      { code: "foundation", zh: "\u57FA\u91D1\u4F1A", en: "Foundation" },
      { code: "other", zh: "\u5176\u4ED6", en: "Other" }
    ]);
    BODY_KINDS = vocab([
      { code: "council", zh: "\u7406\u4E8B\u4F1A", en: "Council" },
      { code: "supervisory", zh: "\u76D1\u4E8B\u4F1A", en: "Supervisory board" },
      { code: "foundation", zh: "\u57FA\u91D1\u4F1A", en: "Foundation" },
      { code: "secretariat", zh: "\u79D8\u4E66\u5904", en: "Secretariat" },
      { code: "experts", zh: "\u4E13\u5BB6\u59D4\u5458\u4F1A", en: "Expert committee" },
      { code: "subject_group", zh: "\u5B66\u79D1\u5DE5\u4F5C\u7EC4", en: "Subject group" }
    ]);
    DOCUMENT_KINDS = vocab([
      { code: "charter", zh: "\u7AE0\u7A0B", en: "Charter" },
      { code: "agreement", zh: "\u5408\u4F5C\u534F\u8BAE", en: "Cooperation agreement" },
      { code: "development", zh: "\u53D1\u5C55\u534F\u8BAE\u4E66", en: "Development agreement" },
      { code: "other", zh: "\u5176\u4ED6\u6587\u4EF6", en: "Other" }
    ]);
    PHASES = vocab([
      { code: "preparation", zh: "\u51C6\u5907\u671F", en: "Preparation" },
      { code: "implementation", zh: "\u5B9E\u65BD\u671F", en: "Implementation" },
      { code: "deepening", zh: "\u6DF1\u5316\u671F", en: "Deepening" }
    ]);
    APPLICATION_STATUS = vocab([
      { code: "submitted", zh: "\u5F85\u8054\u76DF\u8BC4\u4F30", en: "Awaiting evaluation" },
      { code: "evaluated", zh: "\u5F85\u7406\u4E8B\u4F1A\u63A8\u8350", en: "Awaiting council" },
      { code: "recommended", zh: "\u5F85\u6559\u80B2\u5C40\u5BA1\u6279", en: "Awaiting bureau" },
      { code: "approved", zh: "\u5DF2\u6279\u51C6", en: "Approved" },
      { code: "rejected", zh: "\u672A\u901A\u8FC7", en: "Rejected" },
      { code: "withdrawn", zh: "\u5DF2\u64A4\u56DE", en: "Withdrawn" }
    ]);
    OPEN_APPLICATION_STATUSES = ["submitted", "evaluated", "recommended"];
    ASSESSMENT_RESULTS = vocab([
      { code: "excellent", zh: "\u4F18\u79C0", en: "Excellent" },
      { code: "good", zh: "\u826F\u597D", en: "Good" },
      { code: "pass", zh: "\u5408\u683C", en: "Pass" },
      { code: "weak", zh: "\u8584\u5F31", en: "Weak" }
    ]);
    SUBJECTS = vocab([
      { code: "morality_law", zh: "\u9053\u5FB7\u4E0E\u6CD5\u6CBB", en: "Morality and Law" },
      { code: "politics", zh: "\u601D\u60F3\u653F\u6CBB", en: "Politics" },
      { code: "chinese", zh: "\u8BED\u6587", en: "Chinese" },
      { code: "math", zh: "\u6570\u5B66", en: "Mathematics" },
      { code: "english", zh: "\u82F1\u8BED", en: "English" },
      { code: "japanese", zh: "\u65E5\u8BED", en: "Japanese" },
      { code: "russian", zh: "\u4FC4\u8BED", en: "Russian" },
      { code: "history", zh: "\u5386\u53F2", en: "History" },
      { code: "geography", zh: "\u5730\u7406", en: "Geography" },
      { code: "science", zh: "\u79D1\u5B66", en: "Science" },
      { code: "physics", zh: "\u7269\u7406", en: "Physics" },
      { code: "chemistry", zh: "\u5316\u5B66", en: "Chemistry" },
      { code: "biology", zh: "\u751F\u7269\u5B66", en: "Biology" },
      { code: "it", zh: "\u4FE1\u606F\u79D1\u6280", en: "Information technology" },
      { code: "general_tech", zh: "\u901A\u7528\u6280\u672F", en: "General technology" },
      { code: "pe", zh: "\u4F53\u80B2\u4E0E\u5065\u5EB7", en: "PE and Health" },
      { code: "music", zh: "\u97F3\u4E50", en: "Music" },
      { code: "art", zh: "\u7F8E\u672F", en: "Fine arts" },
      { code: "labor", zh: "\u52B3\u52A8", en: "Labour education" },
      { code: "practice", zh: "\u7EFC\u5408\u5B9E\u8DF5\u6D3B\u52A8", en: "Integrated practice" },
      { code: "psychology", zh: "\u5FC3\u7406\u5065\u5EB7", en: "Mental health" },
      { code: "calligraphy", zh: "\u4E66\u6CD5", en: "Calligraphy" }
    ]);
    TERM_KINDS = vocab([
      { code: "key_teacher_exchange_pct", zh: "\u6838\u5FC3\u6821\u6BCF\u5E74\u6D3E\u51FA\u9AA8\u5E72\u6559\u5E08\u6BD4\u4F8B(%)", en: "Key teachers sent per year (%)" },
      { code: "joint_research_per_month", zh: "\u6BCF\u5B66\u79D1\u7EC4\u6BCF\u6708\u8054\u5408\u6559\u7814\u6B21\u6570", en: "Joint research sessions per subject group per month" },
      { code: "cost_share_per_student", zh: "\u751F\u5747\u5206\u62C5\u7ECF\u8D39(\u5143/\u751F/\u5E74)", en: "Cost share per student (CNY/student/year)" },
      { code: "teacher_exchange_pct", zh: "\u6559\u5E08\u4EA4\u6D41\u6BD4\u4F8B(%)", en: "Teacher exchange ratio (%)" },
      { code: "facility_open_hours_per_week", zh: "\u8BBE\u65BD\u6BCF\u5468\u5F00\u653E\u65F6\u957F(\u5C0F\u65F6)", en: "Facility open hours per week" },
      { code: "student_activity_coverage_pct", zh: "\u5B66\u751F\u8DE8\u6821\u6D3B\u52A8\u8986\u76D6\u7387(%)", en: "Student cross-school coverage (%)" }
    ]);
    RESOURCE_INDICATORS = vocab([
      { code: "teachers_above_degree_per100", zh: "\u6BCF\u767E\u540D\u5B66\u751F\u62E5\u6709\u9AD8\u4E8E\u89C4\u5B9A\u5B66\u5386\u6559\u5E08\u6570", en: "Teachers above required degree per 100 students" },
      { code: "key_teachers_per100", zh: "\u6BCF\u767E\u540D\u5B66\u751F\u62E5\u6709\u53BF\u7EA7\u53CA\u4EE5\u4E0A\u9AA8\u5E72\u6559\u5E08\u6570", en: "County-level key teachers per 100 students" },
      { code: "pe_art_teachers_per100", zh: "\u6BCF\u767E\u540D\u5B66\u751F\u62E5\u6709\u4F53\u80B2\u3001\u827A\u672F\u4E13\u4EFB\u6559\u5E08\u6570", en: "PE and arts teachers per 100 students" },
      { code: "teaching_area_per_student", zh: "\u751F\u5747\u6559\u5B66\u53CA\u8F85\u52A9\u7528\u623F\u9762\u79EF(\u33A1)", en: "Teaching space per student (m\xB2)" },
      { code: "sports_area_per_student", zh: "\u751F\u5747\u4F53\u80B2\u8FD0\u52A8\u573A\u9986\u9762\u79EF(\u33A1)", en: "Sports space per student (m\xB2)" },
      { code: "equipment_value_per_student", zh: "\u751F\u5747\u6559\u5B66\u4EEA\u5668\u8BBE\u5907\u503C(\u5143)", en: "Teaching equipment value per student (CNY)" },
      { code: "multimedia_rooms_per100", zh: "\u6BCF\u767E\u540D\u5B66\u751F\u62E5\u6709\u7F51\u7EDC\u591A\u5A92\u4F53\u6559\u5BA4\u6570", en: "Networked multimedia classrooms per 100 students" }
    ]);
  }
});

// src/server/modules/schools/schema.ts
import { z as z4 } from "zod";
var Id, DateStr, Page, paginated, SchoolCode, CreditCode, SchoolFields, SchoolCreate, SchoolUpdate, SchoolSummary, IndicatorInput, IndicatorOut, SchoolDetail, SchoolQuery;
var init_schema = __esm({
  "src/server/modules/schools/schema.ts"() {
    "use strict";
    init_vocab();
    Id = z4.string().min(1).max(40);
    DateStr = z4.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), "invalid date");
    Page = {
      page: z4.coerce.number().int().min(1).max(1e5).default(1),
      pageSize: z4.coerce.number().int().min(1).max(100).default(20)
    };
    paginated = (item) => z4.object({ items: z4.array(item), total: z4.number().int(), page: z4.number().int(), pageSize: z4.number().int() });
    SchoolCode = z4.string().regex(/^\d{10}$/);
    CreditCode = z4.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/);
    SchoolFields = {
      regionId: Id,
      code: SchoolCode,
      creditCode: CreditCode.nullable().optional(),
      name: z4.string().trim().min(2).max(60),
      shortName: z4.string().trim().max(20).nullable().optional(),
      type: z4.enum(SCHOOL_TYPES.codes),
      ownership: z4.enum(OWNERSHIP.codes),
      location: z4.enum(LOCATIONS.codes),
      tags: z4.array(z4.enum(SCHOOL_TAGS.codes)).max(6).default([]),
      address: z4.string().trim().max(200).nullable().optional(),
      lat: z4.number().min(-90).max(90).nullable().optional(),
      lng: z4.number().min(-180).max(180).nullable().optional(),
      principal: z4.string().trim().max(30).nullable().optional(),
      phone: z4.string().trim().regex(/^[0-9+\- ]{5,20}$/).nullable().optional(),
      foundedYear: z4.number().int().min(1800).max(2100).nullable().optional(),
      students: z4.number().int().min(0).max(1e5).default(0),
      teachers: z4.number().int().min(0).max(1e4).default(0),
      classes: z4.number().int().min(0).max(2e3).default(0)
    };
    SchoolCreate = z4.strictObject(SchoolFields);
    SchoolUpdate = z4.strictObject(
      Object.fromEntries(Object.entries(SchoolFields).filter(([k]) => k !== "regionId").map(([k, v]) => [k, v.optional()]))
    );
    SchoolSummary = z4.object({
      id: z4.string(),
      code: z4.string(),
      name: z4.string(),
      type: z4.string(),
      ownership: z4.string(),
      location: z4.string(),
      tags: z4.array(z4.string()),
      regionId: z4.string(),
      regionName: z4.string(),
      students: z4.number(),
      teachers: z4.number()
    });
    IndicatorInput = z4.strictObject({
      students: z4.number().int().min(0).max(1e5),
      teachers: z4.number().int().min(0).max(1e4),
      teachersAboveDegree: z4.number().int().min(0).max(1e4),
      keyTeachers: z4.number().int().min(0).max(1e4),
      peArtTeachers: z4.number().int().min(0).max(1e4),
      teachingAreaM2: z4.number().min(0).max(1e7),
      sportsAreaM2: z4.number().min(0).max(1e7),
      equipmentValueYuan: z4.number().min(0).max(1e10),
      multimediaRooms: z4.number().int().min(0).max(1e4),
      books: z4.number().int().min(0).max(1e8).default(0)
    });
    IndicatorOut = IndicatorInput.extend({
      year: z4.number().int(),
      computed: z4.record(z4.string(), z4.number().nullable()),
      updatedAt: z4.string()
    });
    SchoolDetail = SchoolSummary.extend({
      creditCode: z4.string().nullable(),
      shortName: z4.string().nullable(),
      address: z4.string().nullable(),
      lat: z4.number().nullable(),
      lng: z4.number().nullable(),
      principal: z4.string().nullable(),
      phone: z4.string().nullable(),
      foundedYear: z4.number().nullable(),
      classes: z4.number(),
      createdAt: z4.string(),
      updatedAt: z4.string(),
      alliances: z4.array(z4.object({ id: z4.string(), name: z4.string(), kind: z4.enum(ALLIANCE_KINDS.codes), role: z4.string() })),
      indicators: z4.array(IndicatorOut)
    });
    SchoolQuery = z4.strictObject({
      regionId: Id.optional(),
      q: z4.string().trim().max(60).optional(),
      type: z4.enum(SCHOOL_TYPES.codes).optional(),
      location: z4.enum(LOCATIONS.codes).optional(),
      tag: z4.enum(SCHOOL_TAGS.codes).optional(),
      allianceId: Id.optional(),
      ...Page
    });
  }
});

// src/server/modules/users/service.ts
var service_exports2 = {};
__export(service_exports2, {
  GrantCreate: () => GrantCreate,
  UserCreate: () => UserCreate,
  UserQuery: () => UserQuery,
  UserService: () => UserService,
  UserUpdate: () => UserUpdate,
  Username: () => Username,
  newUserRow: () => newUserRow
});
import { z as z12 } from "zod";
function newUserRow(u, now) {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    email: u.email ?? null,
    phone: u.phone ?? null,
    password_hash: u.passwordHash,
    must_change_password: 1,
    password_changed_at: null,
    school_id: u.schoolId,
    region_id: u.regionId,
    locale: "zh-CN",
    status: "active",
    failed_logins: 0,
    locked_until: null,
    oidc_subject: null,
    last_login_at: null,
    created_at: now,
    updated_at: now
  };
}
var Username, UserQuery, UserCreate, UserUpdate, GrantCreate, UserService;
var init_service2 = __esm({
  "src/server/modules/users/service.ts"() {
    "use strict";
    init_db();
    init_audit();
    init_errors();
    init_ids();
    init_passwords();
    init_policy();
    init_vocab();
    init_service();
    init_schema();
    Username = z12.string().trim().regex(/^[a-zA-Z0-9_.-]{3,40}$/);
    UserQuery = z12.strictObject({ q: z12.string().trim().max(40).optional(), schoolId: Id.optional(), role: z12.enum(ROLES.codes).optional(), ...Page });
    UserCreate = z12.strictObject({
      username: Username,
      displayName: z12.string().trim().min(2).max(30),
      schoolId: Id.nullable().optional(),
      regionId: Id.nullable().optional(),
      email: z12.email().max(120).nullable().optional(),
      phone: z12.string().regex(/^1\d{10}$/).nullable().optional()
    });
    UserUpdate = z12.strictObject({ displayName: z12.string().trim().min(2).max(30).optional(), status: z12.enum(["active", "disabled"]).optional() });
    GrantCreate = z12.strictObject({
      role: z12.enum(ROLES.codes),
      scopeType: z12.enum(["installation", "region", "alliance", "school"]),
      scopeId: Id.nullable().optional(),
      subject: z12.string().max(30).nullable().optional()
    });
    UserService = class {
      constructor(database) {
        this.database = database;
      }
      database;
      get db() {
        return this.database.db;
      }
      scope(qb, actor) {
        if (actor.isPlatformAdmin) return qb;
        return qb.where((eb) => {
          const ors = [];
          if (actor.bureauRegions.size) {
            ors.push(eb("u.region_id", "in", [...actor.bureauRegions]));
            ors.push(eb("s.region_id", "in", [...actor.bureauRegions]));
          }
          if (actor.adminSchools.size) ors.push(eb("u.school_id", "in", [...actor.adminSchools]));
          return ors.length ? eb.or(ors) : eb.lit(false);
        });
      }
      async list(actor, q) {
        let qb = this.db.selectFrom("users as u").leftJoin("schools as s", "s.id", "u.school_id");
        qb = this.scope(qb, actor);
        if (q.id) qb = qb.where("u.id", "=", q.id);
        if (q.schoolId) qb = qb.where("u.school_id", "=", q.schoolId);
        if (q.role) {
          const role = q.role;
          qb = qb.where("u.id", "in", (eb) => eb.selectFrom("role_grants").select("user_id").where("role", "=", role));
        }
        if (q.q) {
          const d = this.database.dialect;
          const text2 = q.q;
          qb = qb.where((eb) => eb.or([containsText(d, "u.username", text2), containsText(d, "u.display_name", text2)]));
        }
        const { total } = await qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
        const rows = await qb.select(["u.id", "u.username", "u.display_name", "u.school_id", "s.name as school_name", "u.region_id", "u.status", "u.last_login_at", "u.email", "u.phone"]).orderBy("u.username").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
        const grants = rows.length ? await this.db.selectFrom("role_grants").selectAll().where("user_id", "in", rows.map((r) => r.id)).execute() : [];
        return {
          items: rows.map((u) => ({
            id: u.id,
            username: u.username,
            displayName: u.display_name,
            schoolId: u.school_id,
            schoolName: u.school_name,
            regionId: u.region_id,
            status: u.status,
            lastLoginAt: u.last_login_at,
            email: u.email,
            phone: u.phone,
            grants: grants.filter((g) => g.user_id === u.id).map((g) => ({ id: g.id, role: g.role, scopeType: g.scope_type, scopeId: g.scope_id, subject: g.subject }))
          })),
          total: Number(total),
          page: q.page,
          pageSize: q.pageSize
        };
      }
      async loadUser(tx, actor, id) {
        const u = await tx.selectFrom("users as u").leftJoin("schools as s", "s.id", "u.school_id").select(["u.id", "u.region_id", "u.school_id", "s.region_id as school_region_id", "u.username", "u.display_name"]).where("u.id", "=", id).executeTakeFirst();
        if (!u || !policy.manageUser(actor, u)) throw notFound("user");
        return u;
      }
      async create(req, actor, input) {
        const id = newId();
        const password = initialPassword();
        const hash2 = await hashPassword(password);
        try {
          await this.db.transaction().execute(async (tx) => {
            let regionId = input.regionId ?? null;
            if (input.schoolId) {
              const s = await tx.selectFrom("schools").select(["id", "region_id"]).where("id", "=", input.schoolId).executeTakeFirst();
              if (!s) throw badRequest([{ field: "schoolId", code: "not_found" }]);
              regionId = s.region_id;
            } else if (regionId) {
              const r = await tx.selectFrom("regions").select("id").where("id", "=", regionId).executeTakeFirst();
              if (!r) throw badRequest([{ field: "regionId", code: "not_found" }]);
            } else if (!actor.isPlatformAdmin) {
              throw badRequest([{ field: "schoolId", code: "required" }]);
            }
            if (!policy.manageUser(actor, { region_id: input.schoolId ? null : regionId, school_id: input.schoolId ?? null, school_region_id: input.schoolId ? regionId : null })) {
              throw badRequest([{ field: input.schoolId ? "schoolId" : "regionId", code: "out_of_scope" }]);
            }
            const now = nowIso();
            await tx.insertInto("users").values(newUserRow({ id, ...input, passwordHash: hash2, schoolId: input.schoolId ?? null, regionId }, now)).execute();
            await audit(tx, req, { action: "user.create", entityType: "user", entityId: id, regionId, schoolId: input.schoolId ?? null, detail: { username: input.username, displayName: input.displayName } });
          });
        } catch (err) {
          if (isUniqueViolation(err)) {
            const m = String(err.message);
            const field = /email/.test(m) ? "email" : /phone/.test(m) ? "phone" : "username";
            throw new AppError(409, "duplicate", { field: field === "username" ? "\u7528\u6237\u540D" : field === "email" ? "\u90AE\u7BB1" : "\u624B\u673A\u53F7" }, [{ field, code: "duplicate" }]);
          }
          throw err;
        }
        const user = (await this.list(actor, { id, page: 1, pageSize: 1 })).items[0];
        return { user, initialPassword: password };
      }
      async update(req, actor, id, input) {
        await this.db.transaction().execute(async (tx) => {
          const u = await this.loadUser(tx, actor, id);
          if (id === actor.userId && input.status === "disabled") throw badRequest([{ field: "status", code: "invalid", params: { reason: "\u4E0D\u80FD\u505C\u7528\u81EA\u5DF1\u7684\u8D26\u53F7" } }]);
          await tx.updateTable("users").set({ ...input.displayName && { display_name: input.displayName }, ...input.status && { status: input.status }, updated_at: nowIso() }).where("id", "=", id).execute();
          if (input.status === "disabled") await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
          await audit(tx, req, { action: "user.update", entityType: "user", entityId: id, regionId: u.region_id ?? u.school_region_id, schoolId: u.school_id, detail: input });
        });
        return this.byId(actor, id);
      }
      async byId(actor, id) {
        const u = await this.loadUser(this.db, actor, id);
        return (await this.list(actor, { id: u.id, page: 1, pageSize: 1 })).items[0];
      }
      async resetPassword(req, actor, id) {
        const password = initialPassword();
        const hash2 = await hashPassword(password);
        await this.db.transaction().execute(async (tx) => {
          const u = await this.loadUser(tx, actor, id);
          await tx.updateTable("users").set({ password_hash: hash2, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: nowIso() }).where("id", "=", id).execute();
          await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
          await audit(tx, req, { action: "user.reset_password", entityType: "user", entityId: id, regionId: u.region_id ?? u.school_region_id, schoolId: u.school_id });
        });
        return { initialPassword: password };
      }
      /** Whether the actor may hand out this role in this scope; returns the region the grant belongs to. */
      async grantable(tx, actor, g) {
        const expected = ROLE_SCOPE[g.role];
        if (g.scopeType !== expected) throw badRequest([{ field: "scopeType", code: "invalid_value", params: { options: [expected] } }]);
        if (expected === "installation") {
          if (!actor.isPlatformAdmin) throw forbidden();
          return null;
        }
        if (!g.scopeId) throw badRequest([{ field: "scopeId", code: "required" }]);
        let region;
        if (expected === "region") region = (await tx.selectFrom("regions").select("id").where("id", "=", g.scopeId).executeTakeFirst())?.id;
        if (expected === "alliance") region = (await tx.selectFrom("alliances").select("region_id").where("id", "=", g.scopeId).executeTakeFirst())?.region_id;
        if (expected === "school") region = (await tx.selectFrom("schools").select("region_id").where("id", "=", g.scopeId).executeTakeFirst())?.region_id;
        if (!region) throw badRequest([{ field: "scopeId", code: "not_found" }]);
        if (g.role === "reviewer" && !g.subject) throw badRequest([{ field: "subject", code: "required" }]);
        const ok = actor.isPlatformAdmin || actor.bureauRegions.has(region) || expected === "school" && actor.adminSchools.has(g.scopeId) && SCHOOL_GRANTABLE.includes(g.role);
        if (!ok) throw forbidden();
        return region;
      }
      async grant(req, actor, userId, g) {
        await this.db.transaction().execute(async (tx) => {
          const u = await this.loadUser(tx, actor, userId);
          const region = await this.grantable(tx, actor, g);
          try {
            await tx.insertInto("role_grants").values({ id: newId(), user_id: userId, role: g.role, scope_type: g.scopeType, scope_id: g.scopeId ?? null, subject: g.subject ?? null, granted_by: actor.userId, granted_at: nowIso() }).execute();
          } catch (err) {
            if (isUniqueViolation(err)) throw new AppError(409, "duplicate", { field: "\u8BE5\u6388\u6743" }, [{ field: "role", code: "duplicate" }]);
            throw err;
          }
          await audit(tx, req, { action: "user.grant", entityType: "user", entityId: userId, regionId: region ?? u.region_id, schoolId: u.school_id, detail: { username: u.username, ...g } });
        });
        return this.byId(actor, userId);
      }
      async revoke(req, actor, grantId) {
        await this.db.transaction().execute(async (tx) => {
          const g = await tx.selectFrom("role_grants").selectAll().where("id", "=", grantId).executeTakeFirst();
          if (!g) throw notFound("grant");
          const u = await this.loadUser(tx, actor, g.user_id).catch(() => {
            throw notFound("grant");
          });
          const region = await this.grantable(tx, actor, { role: g.role, scopeType: g.scope_type, scopeId: g.scope_id, subject: g.subject });
          if (g.user_id === actor.userId && g.role === "platform_admin") throw badRequest([{ field: "grantId", code: "invalid", params: { reason: "\u4E0D\u80FD\u64A4\u9500\u81EA\u5DF1\u7684\u5E73\u53F0\u7BA1\u7406\u5458\u6743\u9650" } }]);
          await tx.deleteFrom("role_grants").where("id", "=", grantId).execute();
          await audit(tx, req, { action: "user.revoke", entityType: "user", entityId: g.user_id, regionId: region ?? u.region_id, schoolId: u.school_id, detail: { username: u.username, role: g.role, scopeType: g.scope_type, scopeId: g.scope_id } });
        });
      }
    };
  }
});

// src/server/platform/idempotency.ts
import crypto3 from "node:crypto";
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
function idempotencyKey(req) {
  const h = req.headers["idempotency-key"];
  if (h === void 0) return void 0;
  const v = Array.isArray(h) ? h[0] : h;
  if (!v || v.length > 200 || !/^[\x21-\x7e]+$/.test(v)) throw badRequest([{ field: "headers.idempotency-key", code: "invalid_format" }]);
  return v;
}
async function lookup(db, userId, key) {
  return db.selectFrom("idempotency_keys").selectAll().where("user_id", "=", userId).where("key", "=", key).executeTakeFirst();
}
function replay(row, route, hash2) {
  if (row.route !== route || row.request_hash !== hash2) throw new AppError(422, "idempotency_mismatch");
  return { status: row.status, body: fromJson(row.response, null), replayed: true };
}
async function runIdempotent(db, opts, effect) {
  const status = opts.status ?? 200;
  if (!opts.key) return { status, body: await db.transaction().execute(effect), replayed: false };
  const key = opts.key;
  const hash2 = requestHash(opts.body);
  const earlier = await lookup(db, opts.userId, key);
  if (earlier) return replay(earlier, opts.route, hash2);
  try {
    return await db.transaction().execute(async (tx) => {
      const again = await lookup(tx, opts.userId, key);
      if (again) return replay(again, opts.route, hash2);
      const body = await effect(tx);
      await tx.insertInto("idempotency_keys").values({
        key,
        user_id: opts.userId,
        route: opts.route,
        request_hash: hash2,
        status,
        response: toJson(body),
        created_at: nowIso()
      }).execute();
      return { status, body, replayed: false };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const row = await lookup(db, opts.userId, key);
      if (row) return replay(row, opts.route, hash2);
    }
    throw err;
  }
}
var requestHash;
var init_idempotency = __esm({
  "src/server/platform/idempotency.ts"() {
    "use strict";
    init_db();
    init_errors();
    requestHash = (body) => crypto3.createHash("sha256").update(canonical(body)).digest("hex");
  }
});

// src/common/facilities.ts
function localParts(ms) {
  const d = new Date(ms + TZ_OFFSET_MS);
  const dow = d.getUTCDay();
  return { date: d.toISOString().slice(0, 10), weekday: dow === 0 ? 7 : dow, minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}
function localToMs(date, minutes2) {
  return Date.parse(`${date}T00:00:00.000Z`) - TZ_OFFSET_MS + minutes2 * MINUTE;
}
function parseHm(hm) {
  const m = /^(\d{2}):(\d{2})$/.exec(hm);
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || h === 24 && min > 0) return NaN;
  return h * 60 + min;
}
function weekStart(ms) {
  const p = localParts(ms);
  return localParts(localToMs(p.date, 0) - (p.weekday - 1) * DAY).date;
}
function isWeekend(ms) {
  return localParts(ms).weekday >= 6;
}
function withinOpenHours(startMs, endMs, hours2) {
  const s = localParts(startMs);
  const e = localParts(endMs);
  const endMinutes = e.date === s.date ? e.minutes : endMs - localToMs(s.date, 0) === DAY ? 24 * 60 : -1;
  if (endMinutes < 0) return false;
  return hours2.some((h) => h.weekday === s.weekday && parseHm(h.open) <= s.minutes && endMinutes <= parseHm(h.close));
}
function closureHit(startMs, endMs, closures) {
  const from = localParts(startMs).date;
  const to = localParts(endMs - 1).date;
  return closures.find((c) => c.startDate <= to && from <= c.endDate);
}
function overlaps(aStart, aEnd, bStart, bEnd, bufferMs = 0) {
  return aStart < bEnd + bufferMs && bStart < aEnd + bufferMs;
}
function weeklyOccurrences(startMs, endMs, until, max = 60) {
  const out = [];
  for (let i = 0; out.length < max; i++) {
    const s = startMs + i * 7 * DAY;
    if (localParts(s).date > until) break;
    out.push({ startMs: s, endMs: endMs + i * 7 * DAY });
  }
  return out;
}
function checkTiming(startMs, endMs, nowMs, p) {
  if (!(endMs > startMs)) return [{ field: "end", code: "end_before_start" }];
  const out = [];
  const minutes2 = (endMs - startMs) / MINUTE;
  if (minutes2 < p.minMinutes) out.push({ field: "end", code: "too_short", min: p.minMinutes });
  if (minutes2 > p.maxMinutes) out.push({ field: "end", code: "too_long", max: p.maxMinutes });
  if (startMs < nowMs) out.push({ field: "start", code: "in_past" });
  else if (startMs - nowMs < p.minNoticeHours * HOUR) out.push({ field: "start", code: "too_late_notice", hours: p.minNoticeHours });
  if (startMs - nowMs > p.maxDaysAhead * DAY) out.push({ field: "start", code: "too_far_ahead", days: p.maxDaysAhead });
  return out;
}
function cancellationTimely(startMs, nowMs, deadlineHours) {
  return startMs - nowMs >= deadlineHours * HOUR;
}
function quotaExceeded(existing2, added, quotaHours) {
  if (quotaHours == null) return null;
  const used = /* @__PURE__ */ new Map();
  for (const b of existing2) used.set(weekStart(b.startMs), (used.get(weekStart(b.startMs)) ?? 0) + (b.endMs - b.startMs));
  for (const b of added) {
    const w = weekStart(b.startMs);
    const total = (used.get(w) ?? 0) + (b.endMs - b.startMs);
    used.set(w, total);
    if (total > quotaHours * HOUR + 1e-6) return w;
  }
  return null;
}
function haversineKm(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}
function occurrenceStatus(o, ctx) {
  const closure = closureHit(o.startMs, o.endMs, ctx.closures);
  if (closure) return { status: "closed", closure };
  if (!withinOpenHours(o.startMs, o.endMs, ctx.hours)) return { status: "outside_hours" };
  const clash = ctx.busy.find((b) => overlaps(o.startMs, o.endMs, b.startMs, b.endMs, ctx.bufferMs));
  if (clash) return { status: "conflict", clash: clash.id };
  return { status: "free" };
}
var FACILITY_TYPES, FACILITY_STATUSES, EQUIPMENT_STATUSES, EQUIPMENT_USAGE, BOOKING_POLICIES, CLOSURE_KINDS, BOOKING_STATUSES, HOLDING_STATUSES, ACTIVE_STATUSES, LOAN_STATUSES, WAITLIST_STATUSES, OCCURRENCE_STATUSES, TZ_OFFSET_MS, MINUTE, HOUR, DAY, formatHm, DEFAULT_OPEN_HOURS, DEFAULT_POLICY;
var init_facilities = __esm({
  "src/common/facilities.ts"() {
    "use strict";
    init_vocab();
    FACILITY_TYPES = vocab([
      { code: "physics_lab", zh: "\u7269\u7406\u5B9E\u9A8C\u5BA4", en: "Physics lab" },
      { code: "chemistry_lab", zh: "\u5316\u5B66\u5B9E\u9A8C\u5BA4", en: "Chemistry lab" },
      { code: "biology_lab", zh: "\u751F\u7269\u5B9E\u9A8C\u5BA4", en: "Biology lab" },
      { code: "science_lab", zh: "\u79D1\u5B66\u5B9E\u9A8C\u5BA4", en: "Science lab" },
      { code: "maker_space", zh: "\u521B\u5BA2\u7A7A\u95F4/STEAM\u6559\u5BA4", en: "Maker space / STEAM room" },
      { code: "computer_room", zh: "\u8BA1\u7B97\u673A\u6559\u5BA4", en: "Computer room" },
      { code: "smart_classroom", zh: "\u667A\u6167\u6559\u5BA4", en: "Smart classroom" },
      { code: "recording_studio", zh: "\u5F55\u64AD\u6559\u5BA4", en: "Lesson recording studio" },
      { code: "library", zh: "\u56FE\u4E66\u9986/\u9605\u89C8\u5BA4", en: "Library / reading room" },
      { code: "gym", zh: "\u4F53\u80B2\u9986", en: "Gymnasium" },
      { code: "track_field", zh: "\u7530\u5F84\u573A", en: "Track and field" },
      { code: "swimming_pool", zh: "\u6E38\u6CF3\u9986", en: "Swimming pool" },
      { code: "music_room", zh: "\u97F3\u4E50\u6559\u5BA4", en: "Music room" },
      { code: "art_room", zh: "\u7F8E\u672F\u6559\u5BA4", en: "Art room" },
      { code: "dance_room", zh: "\u821E\u8E48\u5BA4", en: "Dance room" },
      { code: "lecture_hall", zh: "\u62A5\u544A\u5385", en: "Lecture hall" },
      { code: "meeting_room", zh: "\u4F1A\u8BAE\u5BA4", en: "Meeting room" },
      { code: "labor_base", zh: "\u52B3\u52A8\u5B9E\u8DF5\u57FA\u5730", en: "Labour practice base" },
      { code: "community_venue", zh: "\u793E\u533A\u573A\u9986\uFF08\u535A\u7269\u9986\u3001\u79D1\u6280\u9986\u3001\u6587\u5316\u7AD9\uFF09", en: "Community venue (museum, science centre, cultural station)" },
      { code: "mobile_lab", zh: "\u6D41\u52A8\u5B9E\u9A8C\u5BA4", en: "Mobile lab" },
      { code: "mobile_sports_kit", zh: "\u79FB\u52A8\u4F53\u80B2\u5668\u6750\u7BB1", en: "Mobile sports kit" }
    ]);
    FACILITY_STATUSES = vocab([
      { code: "active", zh: "\u5F00\u653E", en: "Open" },
      { code: "suspended", zh: "\u6682\u505C\u5F00\u653E", en: "Suspended" },
      { code: "retired", zh: "\u5DF2\u505C\u7528", en: "Retired" }
    ]);
    EQUIPMENT_STATUSES = vocab([
      { code: "available", zh: "\u53EF\u7528", en: "Available" },
      { code: "repair", zh: "\u7EF4\u4FEE", en: "Under repair" },
      { code: "scrapped", zh: "\u62A5\u5E9F", en: "Scrapped" }
    ]);
    EQUIPMENT_USAGE = vocab([
      { code: "lendable", zh: "\u53EF\u5916\u501F", en: "Lendable" },
      { code: "onsite", zh: "\u4EC5\u9650\u573A\u5185\u4F7F\u7528", en: "On site only" }
    ]);
    BOOKING_POLICIES = vocab([
      { code: "auto", zh: "\u89C4\u5219\u5185\u81EA\u52A8\u6279\u51C6", en: "Auto-approve within the rules" },
      { code: "manual", zh: "\u4EBA\u5DE5\u5BA1\u6279", en: "Approved by hand" }
    ]);
    CLOSURE_KINDS = vocab([
      { code: "exam", zh: "\u8003\u8BD5", en: "Exams" },
      { code: "repair", zh: "\u7EF4\u4FEE", en: "Repairs" },
      { code: "holiday", zh: "\u8282\u5047\u65E5", en: "Holiday" }
    ]);
    BOOKING_STATUSES = vocab([
      { code: "pending", zh: "\u5F85\u5BA1\u6279", en: "Pending approval" },
      { code: "accepted", zh: "\u5DF2\u786E\u8BA4", en: "Accepted" },
      { code: "checked_in", zh: "\u5DF2\u7B7E\u5230", en: "Checked in" },
      { code: "rejected", zh: "\u5DF2\u62D2\u7EDD", en: "Rejected" },
      { code: "cancelled", zh: "\u5DF2\u53D6\u6D88", en: "Cancelled" },
      { code: "no_show", zh: "\u672A\u5230\u573A", en: "No-show" }
    ]);
    HOLDING_STATUSES = ["accepted", "checked_in"];
    ACTIVE_STATUSES = ["pending", "accepted", "checked_in"];
    LOAN_STATUSES = vocab([
      { code: "reserved", zh: "\u5DF2\u9884\u7559", en: "Reserved" },
      { code: "out", zh: "\u5DF2\u501F\u51FA", en: "Lent out" },
      { code: "returned", zh: "\u5DF2\u5F52\u8FD8", en: "Returned" },
      { code: "cancelled", zh: "\u5DF2\u53D6\u6D88", en: "Cancelled" }
    ]);
    WAITLIST_STATUSES = vocab([
      { code: "waiting", zh: "\u6392\u961F\u4E2D", en: "Waiting" },
      { code: "offered", zh: "\u5DF2\u63D0\u4F9B\u7A7A\u6863", en: "Slot offered" },
      { code: "booked", zh: "\u5DF2\u9884\u7EA6", en: "Booked" },
      { code: "expired", zh: "\u5DF2\u8FC7\u671F", en: "Expired" },
      { code: "withdrawn", zh: "\u5DF2\u64A4\u56DE", en: "Withdrawn" }
    ]);
    OCCURRENCE_STATUSES = vocab([
      { code: "free", zh: "\u53EF\u9884\u7EA6", en: "Free" },
      { code: "conflict", zh: "\u4E0E\u5DF2\u6709\u9884\u7EA6\u51B2\u7A81", en: "Conflicts with a booking" },
      { code: "closed", zh: "\u95ED\u9986\uFF08\u8003\u8BD5/\u7EF4\u4FEE/\u8282\u5047\u65E5\uFF09", en: "Closed" },
      { code: "outside_hours", zh: "\u4E0D\u5728\u5F00\u653E\u65F6\u95F4\u5185", en: "Outside open hours" }
    ]);
    TZ_OFFSET_MS = 8 * 36e5;
    MINUTE = 6e4;
    HOUR = 36e5;
    DAY = 864e5;
    formatHm = (minutes2) => `${String(Math.floor(minutes2 / 60)).padStart(2, "0")}:${String(minutes2 % 60).padStart(2, "0")}`;
    DEFAULT_OPEN_HOURS = [1, 2, 3, 4, 5].map((weekday2) => ({ weekday: weekday2, open: "08:00", close: "18:00" }));
    DEFAULT_POLICY = {
      minMinutes: 30,
      maxMinutes: 240,
      minNoticeHours: 2,
      maxDaysAhead: 180,
      bufferMinutes: 0,
      cancelDeadlineHours: 24,
      weeklyQuotaHours: null
    };
  }
});

// src/common/pricing.ts
function withDefaults(partial) {
  const p = partial ?? {};
  return {
    ...DEFAULT_RULES,
    ...p,
    defaultRate: { ...DEFAULT_RULES.defaultRate, ...p.defaultRate ?? {} },
    rates: { ...p.rates ?? DEFAULT_RULES.rates },
    peakWindows: p.peakWindows ?? DEFAULT_RULES.peakWindows,
    noShowPenalty: { ...DEFAULT_RULES.noShowPenalty, ...p.noShowPenalty ?? {} }
  };
}
function rateFor(rules, facilityType) {
  return rules.rates[facilityType] ?? rules.defaultRate;
}
function minutesOf(hhmm) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}
function peakMillis(startMs, endMs, windows, utcOffsetMinutes) {
  if (endMs <= startMs || windows.length === 0) return 0;
  const off = utcOffsetMinutes * 6e4;
  const ls = startMs + off;
  const le = endMs + off;
  let total = 0;
  for (let day = Math.floor(ls / DAY2) * DAY2; day < le; day += DAY2) {
    const js = new Date(day).getUTCDay();
    const iso2 = js === 0 ? 7 : js;
    const spans = windows.filter((w) => w.days.includes(iso2)).map((w) => [day + minutesOf(w.from) * 6e4, day + minutesOf(w.to) * 6e4]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
    let curA = -1;
    let curB = -1;
    const flush = () => {
      if (curB > curA) total += Math.max(0, Math.min(curB, le) - Math.max(curA, ls));
    };
    for (const [a, b] of spans) {
      if (a > curB) {
        flush();
        curA = a;
        curB = b;
      } else curB = Math.max(curB, b);
    }
    flush();
  }
  return total;
}
function quoteBooking(rules, b) {
  const startMs = Date.parse(b.startAt);
  const endMs = Date.parse(b.endAt);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) throw new Error("invalid booking interval");
  const rate2 = rateFor(rules, b.facilityType);
  const totalMs = endMs - startMs;
  const peakMs = peakMillis(startMs, endMs, rules.peakWindows, rules.utcOffsetMinutes);
  const base = { hours: round2(totalMs / HOUR2), peakHours: round2(peakMs / HOUR2), ratePerHour: rate2.offPeak, peakRatePerHour: rate2.peak };
  if (b.hostSchoolId != null && b.hostSchoolId === b.bookerSchoolId) return { ...base, amount: 0, free: true, reason: "own_school" };
  if (b.allianceId == null || b.bookerSchoolId == null) return { ...base, amount: 0, free: true, reason: "no_alliance" };
  const amount = Math.round((peakMs * rate2.peak + (totalMs - peakMs) * rate2.offPeak) / HOUR2);
  return { ...base, amount, free: amount === 0, reason: "priced" };
}
function splitCharge(amount, hostSharePct) {
  const host = Math.floor(amount * hostSharePct / 100);
  return { host, pool: amount - host };
}
function refundOf(charge, pct) {
  const total = Math.floor(charge.booker * pct / 100);
  if (total <= 0 || charge.booker <= 0) return { booker: 0, host: 0, pool: 0 };
  const host = Math.min(charge.host, Math.round(charge.host * total / charge.booker));
  const pool = total - host;
  return { booker: total, host, pool };
}
function noShowPenaltyOf(rules, price) {
  const p = rules.noShowPenalty;
  if (price <= 0) return 0;
  return p.mode === "fixed" ? Math.max(0, Math.round(p.value)) : Math.max(0, Math.round(price * p.value / 100));
}
function isWeakSchool(s) {
  return s.tags.includes("weak");
}
function isRuralSchool(s) {
  return s.tags.includes("rural") || s.location === "village";
}
function startingGrantOf(rules, s) {
  const weakExtra = isWeakSchool(s) ? rules.weakExtraGrant : 0;
  const ruralExtra = isRuralSchool(s) ? rules.ruralExtraGrant : 0;
  return { amount: rules.startingGrant + weakExtra + ruralExtra, base: rules.startingGrant, weakExtra, ruralExtra };
}
var DEFAULT_RULES, HOUR2, DAY2, round2;
var init_pricing = __esm({
  "src/common/pricing.ts"() {
    "use strict";
    DEFAULT_RULES = {
      defaultRate: { offPeak: 10, peak: 15 },
      rates: {
        physics_lab: { offPeak: 20, peak: 30 },
        chemistry_lab: { offPeak: 20, peak: 30 },
        biology_lab: { offPeak: 20, peak: 30 },
        science_lab: { offPeak: 20, peak: 30 },
        maker_space: { offPeak: 20, peak: 30 },
        computer_room: { offPeak: 15, peak: 25 },
        smart_classroom: { offPeak: 15, peak: 20 },
        recording_studio: { offPeak: 25, peak: 35 },
        library: { offPeak: 5, peak: 8 },
        gym: { offPeak: 25, peak: 40 },
        track_field: { offPeak: 15, peak: 25 },
        swimming_pool: { offPeak: 30, peak: 45 },
        music_room: { offPeak: 10, peak: 15 },
        art_room: { offPeak: 10, peak: 15 },
        dance_room: { offPeak: 10, peak: 15 },
        lecture_hall: { offPeak: 30, peak: 50 },
        meeting_room: { offPeak: 8, peak: 12 },
        labor_base: { offPeak: 15, peak: 20 },
        community_venue: { offPeak: 15, peak: 20 },
        mobile_lab: { offPeak: 20, peak: 30 },
        mobile_sports_kit: { offPeak: 10, peak: 15 }
      },
      peakWindows: [{ days: [1, 2, 3, 4, 5], from: "08:00", to: "17:00" }],
      utcOffsetMinutes: 480,
      hostSharePct: 70,
      startingGrant: 500,
      weakExtraGrant: 200,
      ruralExtraGrant: 200,
      overdraftLimit: 100,
      noShowPenalty: { mode: "percent", value: 50 },
      refundTimelyPct: 100,
      refundLatePct: 0,
      resourceUseReward: 2,
      resourceAuthorReward: 1,
      teacherExchangeDayReward: 20
    };
    HOUR2 = 36e5;
    DAY2 = 864e5;
    round2 = (x) => Math.round(x * 100) / 100;
  }
});

// src/server/modules/credits/ledger.ts
var ledger_exports = {};
__export(ledger_exports, {
  accountOf: () => accountOf,
  checkLedger: () => checkLedger,
  issuanceOf: () => issuanceOf,
  poolOf: () => poolOf,
  post: () => post,
  postedFor: () => postedFor
});
import { sql as sql12 } from "kysely";
async function accountOf(tx, allianceId, owner) {
  const find = () => tx.selectFrom("credit_accounts").select(["id", "balance", "overdraft_limit"]).where("alliance_id", "=", allianceId).where("owner_type", "=", owner.type).where("owner_id", "=", owner.id).executeTakeFirst();
  const found = await find();
  if (found) return found;
  await tx.insertInto("credit_accounts").values({ id: newId(), alliance_id: allianceId, owner_type: owner.type, owner_id: owner.id, balance: 0, overdraft_limit: null, created_at: nowIso() }).onConflict((oc) => oc.columns(["alliance_id", "owner_type", "owner_id"]).doNothing()).execute();
  return await find();
}
async function postedFor(tx, allianceId, kind, causeType, causeId) {
  return tx.selectFrom("credit_transactions").select(["id", "amount", "request_hash"]).where("alliance_id", "=", allianceId).where("kind", "=", kind).where("cause_type", "=", causeType).where("cause_id", "=", causeId).executeTakeFirst();
}
async function post(tx, dialect, p) {
  const merged = /* @__PURE__ */ new Map();
  for (const l of p.legs) {
    if (!Number.isSafeInteger(l.amount)) throw new Error(`ledger: amount ${l.amount} is not an integer`);
    const key = `${l.owner.type}:${l.owner.id}`;
    const cur = merged.get(key);
    merged.set(key, { owner: l.owner, amount: (cur?.amount ?? 0) + l.amount });
  }
  const legs = [...merged.values()].filter((l) => l.amount !== 0);
  const sum = legs.reduce((s, l) => s + l.amount, 0);
  if (sum !== 0) throw new Error(`ledger: unbalanced transaction ${p.kind} ${p.causeType}:${p.causeId} (sum ${sum})`);
  if (legs.length === 0) throw new Error("ledger: empty transaction");
  const gross = legs.reduce((s, l) => s + (l.amount > 0 ? l.amount : 0), 0);
  const id = newId();
  const inserted = await tx.insertInto("credit_transactions").values({
    id,
    alliance_id: p.allianceId,
    kind: p.kind,
    cause_type: p.causeType,
    cause_id: p.causeId,
    amount: gross,
    memo: p.memo ?? null,
    request_hash: p.requestHash ?? null,
    created_by: p.createdBy ?? null,
    created_at: nowIso()
  }).onConflict((oc) => oc.columns(["alliance_id", "kind", "cause_type", "cause_id"]).doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    const other = await postedFor(tx, p.allianceId, p.kind, p.causeType, p.causeId);
    return { transactionId: other.id, amount: other.amount, replay: true, requestHash: other.request_hash };
  }
  const ordered = [...legs].sort((a, b) => {
    const ka = `${a.owner.type}:${a.owner.id}`;
    const kb = `${b.owner.type}:${b.owner.id}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const accounts = [];
  for (const leg of ordered) {
    const lim = p.limited?.find((x) => x.owner.type === leg.owner.type && x.owner.id === leg.owner.id);
    const limit = lim && leg.amount < 0 ? lim.limit : null;
    const apply = (where) => {
      let q = tx.updateTable("credit_accounts").set((eb) => ({ balance: eb("balance", "+", leg.amount) }));
      q = where.id ? q.where("id", "=", where.id) : q.where("alliance_id", "=", p.allianceId).where("owner_type", "=", leg.owner.type).where("owner_id", "=", leg.owner.id);
      if (limit != null) q = q.where(sql12`balance + ${leg.amount} >= -coalesce(overdraft_limit, ${limit})`);
      return q.returning("id").executeTakeFirst();
    };
    let done = await apply({});
    if (!done) {
      const acc = await accountOf(tx, p.allianceId, leg.owner);
      done = await apply({ id: acc.id });
      if (!done) {
        const now = await tx.selectFrom("credit_accounts").select(["balance", "overdraft_limit"]).where("id", "=", acc.id).executeTakeFirstOrThrow();
        throw new AppError(409, "insufficient_credits", { amount: -leg.amount, balance: Number(now.balance), limit: now.overdraft_limit ?? limit });
      }
    }
    accounts.push({ leg, accountId: done.id });
  }
  await tx.insertInto("credit_entries").values(accounts.map(({ leg, accountId }) => ({ id: newId(), transaction_id: id, account_id: accountId, amount: leg.amount }))).execute();
  if (dialect === "sqlite") {
    const s = await tx.selectFrom("credit_entries").select((eb) => eb.fn.sum("amount").as("s")).where("transaction_id", "=", id).executeTakeFirst();
    if (Number(s?.s ?? 0) !== 0) throw new Error(`ledger: transaction ${id} is unbalanced in the database`);
  }
  return { transactionId: id, amount: gross, replay: false, requestHash: p.requestHash ?? null };
}
async function checkLedger(db) {
  const problems = [];
  const drift = await sql12`
    select a.id, a.alliance_id, a.owner_type, a.owner_id, a.balance, coalesce(e.s, 0) as recomputed
    from credit_accounts a
    left join (select account_id, sum(amount) as s from credit_entries group by account_id) e on e.account_id = a.id
    where a.balance <> coalesce(e.s, 0)`.execute(db);
  for (const r of drift.rows) {
    problems.push(`credit account ${r.id} (${r.owner_type} ${r.owner_id} in alliance ${r.alliance_id}): balance ${r.balance} but entries sum to ${Number(r.recomputed)}`);
  }
  const unbalanced = await sql12`
    select t.id, sum(e.amount) as s, count(e.id) as n
    from credit_transactions t left join credit_entries e on e.transaction_id = t.id
    group by t.id
    having count(e.id) = 0 or sum(e.amount) <> 0`.execute(db);
  for (const r of unbalanced.rows) {
    problems.push(Number(r.n) === 0 ? `credit transaction ${r.id} has no entries` : `credit transaction ${r.id} is unbalanced: entries sum to ${Number(r.s)}`);
  }
  const crossing = await sql12`
    select distinct t.id from credit_transactions t
    join credit_entries e on e.transaction_id = t.id
    join credit_accounts a on a.id = e.account_id
    where a.alliance_id <> t.alliance_id`.execute(db);
  for (const r of crossing.rows) problems.push(`credit transaction ${r.id} has entries in another alliance's ledger`);
  const alliances = await sql12`
    select a.alliance_id, sum(a.balance) as cached, coalesce(sum(e.s), 0) as entries
    from credit_accounts a
    left join (select account_id, sum(amount) as s from credit_entries group by account_id) e on e.account_id = a.id
    group by a.alliance_id
    having sum(a.balance) <> 0 or coalesce(sum(e.s), 0) <> 0`.execute(db);
  for (const r of alliances.rows) {
    problems.push(`alliance ${r.alliance_id}: credit accounts sum to ${Number(r.cached)} (entries ${Number(r.entries)}), expected 0`);
  }
  const counts = await sql12`
    select (select count(*) from credit_accounts) as a, (select count(*) from credit_transactions) as t, (select count(*) from credit_entries) as e`.execute(db);
  const c = counts.rows[0];
  return { accounts: Number(c.a), transactions: Number(c.t), entries: Number(c.e), problems };
}
var poolOf, issuanceOf;
var init_ledger = __esm({
  "src/server/modules/credits/ledger.ts"() {
    "use strict";
    init_db();
    init_ids();
    init_errors();
    poolOf = (allianceId) => ({ type: "pool", id: allianceId });
    issuanceOf = (allianceId) => ({ type: "issuance", id: allianceId });
  }
});

// src/server/modules/credits/rules.ts
async function loadRules(db, allianceId) {
  const row = await db.selectFrom("credit_rules").select(["rules", "updated_at", "updated_by"]).where("alliance_id", "=", allianceId).executeTakeFirst();
  if (!row) return { rules: withDefaults(null), custom: false, updatedAt: null, updatedBy: null };
  return { rules: withDefaults(fromJson(row.rules, {})), custom: true, updatedAt: row.updated_at, updatedBy: row.updated_by };
}
var init_rules = __esm({
  "src/server/modules/credits/rules.ts"() {
    "use strict";
    init_db();
    init_pricing();
  }
});

// src/server/modules/credits/service.ts
function localSpan(startAt, endAt, offsetMin) {
  const f = (iso2) => new Date(Date.parse(iso2) + offsetMin * 6e4).toISOString().slice(0, 16).replace("T", " ");
  const s = f(startAt);
  const e = f(endAt);
  return s.slice(0, 10) === e.slice(0, 10) ? `${s}\u2013${e.slice(11)}` : `${s}\u2013${e}`;
}
var NONE, OWNER_LABEL, school, localMidnight, nextLocalMidnight, CreditService;
var init_service3 = __esm({
  "src/server/modules/credits/service.ts"() {
    "use strict";
    init_db();
    init_audit();
    init_errors();
    init_idempotency();
    init_ids();
    init_policy();
    init_pricing();
    init_facilities();
    init_ledger();
    init_rules();
    NONE = { transactionId: null, amount: 0 };
    OWNER_LABEL = { pool: "\u8054\u76DF\u516C\u5171\u79EF\u5206\u6C60", issuance: "\u8054\u76DF\u79EF\u5206\u53D1\u884C" };
    school = (id) => ({ type: "school", id });
    localMidnight = (date) => new Date(Date.parse(`${date}T00:00:00.000+08:00`)).toISOString();
    nextLocalMidnight = (date) => new Date(Date.parse(`${date}T00:00:00.000+08:00`) + 864e5).toISOString();
    CreditService = class {
      constructor(database) {
        this.database = database;
      }
      database;
      get db() {
        return this.database.db;
      }
      // ---- the booking hooks (called inside the caller's transaction) --------------------------------
      async quote(db, b) {
        const rules = b.allianceId ? (await loadRules(db, b.allianceId)).rules : withDefaults(null);
        return quoteBooking(rules, b);
      }
      /**
       * Charges the booker, credits the host's share (the rest to the alliance pool); one balanced transaction,
       * cause = ('booking', b.id). Throws 409 insufficient_credits beyond the overdraft limit. Free (own school,
       * no alliance) → { transactionId: null, amount: 0 }. Idempotent per cause.
       */
      async chargeBooking(tx, req, b) {
        if (!b.allianceId || !b.bookerSchoolId) return NONE;
        const rules = (await loadRules(tx, b.allianceId)).rules;
        const q = quoteBooking(rules, b);
        if (q.free || q.amount <= 0) return NONE;
        const host = b.hostSchoolId ? school(b.hostSchoolId) : b.hostPartnerId ? { type: "partner", id: b.hostPartnerId } : poolOf(b.allianceId);
        const split = splitCharge(q.amount, rules.hostSharePct);
        const booker = school(b.bookerSchoolId);
        const res = await post(tx, this.database.dialect, {
          allianceId: b.allianceId,
          kind: "booking_charge",
          causeType: "booking",
          causeId: b.id,
          memo: `${FACILITY_TYPES.label(b.facilityType)} ${localSpan(b.startAt, b.endAt, rules.utcOffsetMinutes)}\uFF08${q.hours} \u5C0F\u65F6\uFF0C\u9AD8\u5CF0 ${q.peakHours} \u5C0F\u65F6\uFF09`,
          createdBy: req?.actor?.userId ?? null,
          legs: [{ owner: booker, amount: -q.amount }, { owner: host, amount: split.host }, { owner: poolOf(b.allianceId), amount: split.pool }],
          limited: [{ owner: booker, limit: rules.overdraftLimit }]
        });
        if (!res.replay) {
          await audit(tx, req, {
            action: "credit.booking_charge",
            entityType: "credit_transaction",
            entityId: res.transactionId,
            allianceId: b.allianceId,
            schoolId: b.bookerSchoolId,
            detail: { bookingId: b.id, amount: q.amount, host: split.host, pool: split.pool }
          });
        }
        return { transactionId: res.transactionId, amount: res.amount };
      }
      /** The entries of the booking's charge, by role (booker paid, host and pool received). */
      async chargeOf(tx, allianceId, bookingId) {
        const charge = await postedFor(tx, allianceId, "booking_charge", "booking", bookingId);
        if (!charge) return null;
        const entries = await tx.selectFrom("credit_entries as e").innerJoin("credit_accounts as a", "a.id", "e.account_id").select(["e.amount", "a.owner_type", "a.owner_id"]).where("e.transaction_id", "=", charge.id).execute();
        const booker = entries.find((e) => e.amount < 0);
        const pool = entries.find((e) => e.owner_type === "pool" && e.amount > 0);
        const host = entries.find((e) => e.amount > 0 && e.owner_type !== "pool");
        if (!booker) return null;
        return {
          id: charge.id,
          booker: { owner: { type: booker.owner_type, id: booker.owner_id }, amount: -booker.amount },
          host: host ? { owner: { type: host.owner_type, id: host.owner_id }, amount: host.amount } : null,
          pool: pool?.amount ?? 0
        };
      }
      /** Reverses the charge by the alliance's refund rule (timely: refundTimelyPct; late: refundLatePct). */
      async refundBooking(tx, req, b, opts) {
        if (!b.allianceId) return NONE;
        const charge = await this.chargeOf(tx, b.allianceId, b.id);
        if (!charge) return NONE;
        const rules = (await loadRules(tx, b.allianceId)).rules;
        const pct = opts.timely ? rules.refundTimelyPct : rules.refundLatePct;
        const r = refundOf({ booker: charge.booker.amount, host: charge.host?.amount ?? 0, pool: charge.pool }, pct);
        if (r.booker <= 0) return NONE;
        const legs = [{ owner: charge.booker.owner, amount: r.booker }, { owner: poolOf(b.allianceId), amount: -r.pool }];
        if (charge.host) legs.push({ owner: charge.host.owner, amount: -r.host });
        const res = await post(tx, this.database.dialect, {
          allianceId: b.allianceId,
          kind: "booking_refund",
          causeType: "booking",
          causeId: b.id,
          memo: `${opts.timely ? "\u6309\u65F6\u53D6\u6D88\u9000\u8FD8" : "\u903E\u671F\u53D6\u6D88\u9000\u8FD8"} ${pct}%`,
          createdBy: req?.actor?.userId ?? null,
          legs
        });
        if (!res.replay) {
          await audit(tx, req, {
            action: "credit.booking_refund",
            entityType: "credit_transaction",
            entityId: res.transactionId,
            allianceId: b.allianceId,
            schoolId: b.bookerSchoolId,
            detail: { bookingId: b.id, timely: opts.timely, pct, amount: r.booker }
          });
        }
        return { transactionId: res.transactionId, amount: res.amount };
      }
      /** The no-show penalty by the alliance's rule, paid to the alliance pool; the host keeps its share. */
      async penalizeNoShow(tx, req, b) {
        if (!b.allianceId) return NONE;
        const charge = await this.chargeOf(tx, b.allianceId, b.id);
        if (!charge) return NONE;
        const rules = (await loadRules(tx, b.allianceId)).rules;
        const penalty = noShowPenaltyOf(rules, charge.booker.amount);
        if (penalty <= 0) return NONE;
        const res = await post(tx, this.database.dialect, {
          allianceId: b.allianceId,
          kind: "no_show_penalty",
          causeType: "booking",
          causeId: b.id,
          memo: rules.noShowPenalty.mode === "percent" ? `\u672A\u5230\u573A\u6263\u9664\uFF08\u9884\u7EA6\u8D39\u7528\u7684 ${rules.noShowPenalty.value}%\uFF09` : `\u672A\u5230\u573A\u6263\u9664\uFF08\u56FA\u5B9A ${rules.noShowPenalty.value} \u79EF\u5206\uFF09`,
          createdBy: req?.actor?.userId ?? null,
          legs: [{ owner: charge.booker.owner, amount: -penalty }, { owner: poolOf(b.allianceId), amount: penalty }]
        });
        if (!res.replay) {
          await audit(tx, req, {
            action: "credit.no_show_penalty",
            entityType: "credit_transaction",
            entityId: res.transactionId,
            allianceId: b.allianceId,
            schoolId: b.bookerSchoolId,
            detail: { bookingId: b.id, amount: penalty }
          });
        }
        return { transactionId: res.transactionId, amount: res.amount };
      }
      /** For the resources module (S2 contributions): pays the owner school (and author points) for a use by another school. */
      async rewardResourceUse(tx, req, e) {
        if (e.ownerSchoolId === e.userSchoolId) return NONE;
        const rules = (await loadRules(tx, e.allianceId)).rules;
        const toSchool = rules.resourceUseReward;
        const toAuthor = e.authorUserId ? rules.resourceAuthorReward : 0;
        if (toSchool + toAuthor <= 0) return NONE;
        const legs = [{ owner: issuanceOf(e.allianceId), amount: -(toSchool + toAuthor) }, { owner: school(e.ownerSchoolId), amount: toSchool }];
        if (e.authorUserId && toAuthor > 0) legs.push({ owner: { type: "teacher", id: e.authorUserId }, amount: toAuthor });
        const res = await post(tx, this.database.dialect, {
          allianceId: e.allianceId,
          kind: "resource_reward",
          causeType: "resource_use",
          causeId: e.eventId,
          memo: `\u8D44\u6E90\u88AB\u5176\u4ED6\u5B66\u6821\u4F7F\u7528\uFF08\u8D44\u6E90 ${e.resourceId}\uFF09`,
          createdBy: req?.actor?.userId ?? null,
          legs
        });
        return { transactionId: res.transactionId, amount: res.amount };
      }
      /** For the teacher-exchange module (S4): credits the sending school per exchange day. */
      async rewardTeacherExchange(tx, req, e) {
        const rules = (await loadRules(tx, e.allianceId)).rules;
        const amount = Math.max(0, Math.round(e.days * rules.teacherExchangeDayReward));
        if (amount <= 0) return NONE;
        const res = await post(tx, this.database.dialect, {
          allianceId: e.allianceId,
          kind: "teacher_exchange",
          causeType: "teacher_exchange",
          causeId: e.exchangeId,
          memo: `\u6559\u5E08\u4EA4\u6D41 ${e.days} \u5929`,
          createdBy: req?.actor?.userId ?? null,
          legs: [{ owner: issuanceOf(e.allianceId), amount: -amount }, { owner: school(e.senderSchoolId), amount }]
        });
        return { transactionId: res.transactionId, amount: res.amount };
      }
      // ---- scope -------------------------------------------------------------------------------------
      async alliance(id) {
        const a = await this.db.selectFrom("alliances").select(["id", "region_id", "name"]).where("id", "=", id).executeTakeFirst();
        if (!a) throw notFound("alliance");
        return a;
      }
      /** the whole ledger: platform, the region's bureau and evaluators, the alliance's secretariat */
      readsLedger(actor, a) {
        return actor.isPlatformAdmin || actor.readRegions.has(a.region_id) || actor.adminAlliances.has(a.id);
      }
      /** the schools whose own accounts the actor reads (school admins), among the alliance's accounts */
      ownSchools(actor) {
        return [...actor.adminSchools];
      }
      async memberSchoolIds(allianceId, onlyActive = true) {
        let q = this.db.selectFrom("alliance_members").select("school_id").where("alliance_id", "=", allianceId);
        if (onlyActive) q = q.where("status", "=", "active");
        return new Set((await q.execute()).map((r) => r.school_id));
      }
      /** Reads the ledger, or some of its school accounts; otherwise the alliance does not exist for the actor. */
      async readable(actor, allianceId) {
        const a = await this.alliance(allianceId);
        if (this.readsLedger(actor, a)) return { a, all: true, schools: [] };
        const members = await this.memberSchoolIds(a.id, false);
        const mine = this.ownSchools(actor).filter((s) => members.has(s));
        if (mine.length === 0) throw notFound("alliance");
        return { a, all: false, schools: mine };
      }
      async manageable(actor, allianceId) {
        const a = await this.alliance(allianceId);
        if (!policy.manageAlliance(actor, a)) {
          if (policy.readAlliance(actor, a)) throw new AppError(403, "forbidden");
          throw notFound("alliance");
        }
        return a;
      }
      // ---- rules -------------------------------------------------------------------------------------
      async getRules(actor, allianceId) {
        const a = await this.alliance(allianceId);
        if (!(this.readsLedger(actor, a) || actor.memberAlliances.has(a.id))) throw notFound("alliance");
        const r = await loadRules(this.db, a.id);
        return { allianceId: a.id, ...r };
      }
      async putRules(req, actor, allianceId, body) {
        const a = await this.manageable(actor, allianceId);
        const rules = await this.db.transaction().execute(async (tx) => {
          const before = (await loadRules(tx, a.id)).rules;
          const after = withDefaults({ ...before, ...body });
          const unknown = Object.keys(after.rates).filter((t) => !FACILITY_TYPES.codes.includes(t));
          if (unknown.length) throw badRequest(unknown.map((t) => ({ field: `rates.${t}`, code: "invalid_value", params: { options: FACILITY_TYPES.codes } })));
          const now = nowIso();
          await tx.insertInto("credit_rules").values({ alliance_id: a.id, rules: toJson(after), updated_by: actor.userId, updated_at: now }).onConflict((oc) => oc.column("alliance_id").doUpdateSet({ rules: toJson(after), updated_by: actor.userId, updated_at: now })).execute();
          await audit(tx, req, {
            action: "credit.rules_update",
            entityType: "alliance",
            entityId: a.id,
            regionId: a.region_id,
            allianceId: a.id,
            detail: changes(before, after)
          });
          return after;
        });
        return { allianceId: a.id, rules, custom: true, updatedAt: nowIso(), updatedBy: actor.userId };
      }
      // ---- grants and adjustments --------------------------------------------------------------------
      async grant(req, actor, allianceId, body, key) {
        const a = await this.manageable(actor, allianceId);
        const members = await this.db.selectFrom("alliance_members as m").innerJoin("schools as s", "s.id", "m.school_id").select(["s.id", "s.name", "s.tags", "s.location"]).where("m.alliance_id", "=", a.id).where("m.status", "=", "active").orderBy("s.id").execute();
        let targets = members;
        if (body.schoolId) {
          targets = members.filter((m) => m.id === body.schoolId);
          if (targets.length === 0) throw badRequest([{ field: "schoolId", code: "invalid", params: { reason: "\u4E0D\u662F\u672C\u8054\u76DF\u7684\u5728\u76DF\u6210\u5458\u6821 / not an active member of this alliance" } }]);
        }
        const stored = await runIdempotent(this.db, { key, userId: actor.userId, route: `POST /api/alliances/${a.id}/credit-grants`, body, status: 201 }, async (tx) => {
          const rules = (await loadRules(tx, a.id)).rules;
          const granted = [];
          const skipped2 = [];
          if (body.type === "starting") {
            for (const s of targets) {
              const g = startingGrantOf(rules, { tags: fromJson(s.tags, []), location: s.location });
              if (g.amount <= 0) {
                skipped2.push({ schoolId: s.id, schoolName: s.name });
                continue;
              }
              const parts = [`\u8D77\u59CB\u79EF\u5206 ${g.base}`, g.weakExtra ? `\u8584\u5F31\u6821\u52A0\u53D1 ${g.weakExtra}` : "", g.ruralExtra ? `\u519C\u6751\u6821\u52A0\u53D1 ${g.ruralExtra}` : ""].filter(Boolean);
              const res = await post(tx, this.database.dialect, {
                allianceId: a.id,
                kind: "grant",
                causeType: "starting_grant",
                causeId: s.id,
                memo: parts.join("\uFF0C"),
                createdBy: actor.userId,
                legs: [{ owner: issuanceOf(a.id), amount: -g.amount }, { owner: school(s.id), amount: g.amount }]
              });
              if (res.replay) skipped2.push({ schoolId: s.id, schoolName: s.name });
              else granted.push({ schoolId: s.id, schoolName: s.name, amount: g.amount, transactionId: res.transactionId });
            }
          } else {
            for (const s of targets) {
              const res = await post(tx, this.database.dialect, {
                allianceId: a.id,
                kind: "grant",
                causeType: "request",
                causeId: newId(),
                memo: body.reason,
                createdBy: actor.userId,
                legs: [{ owner: issuanceOf(a.id), amount: -body.amount }, { owner: school(s.id), amount: body.amount }]
              });
              granted.push({ schoolId: s.id, schoolName: s.name, amount: body.amount, transactionId: res.transactionId });
            }
          }
          const total = granted.reduce((x, g) => x + g.amount, 0);
          await audit(tx, req, {
            action: "credit.grant",
            entityType: "alliance",
            entityId: a.id,
            regionId: a.region_id,
            allianceId: a.id,
            schoolId: body.schoolId ?? null,
            detail: { type: body.type, reason: body.type === "extra" ? body.reason : null, total, granted: granted.map((g) => [g.schoolId, g.amount]), skipped: skipped2.length }
          });
          return { granted, skipped: skipped2, total };
        });
        return stored;
      }
      async adjust(req, actor, allianceId, body, key) {
        const a = await this.manageable(actor, allianceId);
        const has = await this.db.selectFrom("credit_accounts").select("id").where("alliance_id", "=", a.id).where("owner_type", "=", body.ownerType).where("owner_id", "=", body.ownerId).executeTakeFirst();
        if (!has) {
          let ok = false;
          if (body.ownerType === "school") ok = (await this.memberSchoolIds(a.id, false)).has(body.ownerId);
          else if (body.ownerType === "partner") {
            ok = !!await this.db.selectFrom("alliance_partners").select("partner_id").where("alliance_id", "=", a.id).where("partner_id", "=", body.ownerId).executeTakeFirst();
          } else {
            const u = await this.db.selectFrom("users").select("school_id").where("id", "=", body.ownerId).executeTakeFirst();
            ok = !!u?.school_id && (await this.memberSchoolIds(a.id, false)).has(u.school_id);
          }
          if (!ok) throw badRequest([{ field: "ownerId", code: "not_found" }]);
        }
        const stored = await runIdempotent(this.db, { key, userId: actor.userId, route: `POST /api/alliances/${a.id}/credit-adjustments`, body, status: 201 }, async (tx) => {
          const owner = { type: body.ownerType, id: body.ownerId };
          const res = await post(tx, this.database.dialect, {
            allianceId: a.id,
            kind: "adjustment",
            causeType: "adjustment",
            causeId: newId(),
            memo: body.reason,
            createdBy: actor.userId,
            legs: [{ owner, amount: body.amount }, { owner: issuanceOf(a.id), amount: -body.amount }]
          });
          await audit(tx, req, {
            action: "credit.adjustment",
            entityType: "credit_transaction",
            entityId: res.transactionId,
            regionId: a.region_id,
            allianceId: a.id,
            schoolId: body.ownerType === "school" ? body.ownerId : null,
            detail: { ownerType: body.ownerType, ownerId: body.ownerId, amount: body.amount, reason: body.reason }
          });
          return this.transactionDetail(tx, res.transactionId);
        });
        return stored;
      }
      // ---- reading -----------------------------------------------------------------------------------
      async ownerNames(db, owners) {
        const out = /* @__PURE__ */ new Map();
        const ids = (t) => [...new Set(owners.filter((o) => o.owner_type === t).map((o) => o.owner_id))];
        const s = ids("school");
        if (s.length) for (const r of await db.selectFrom("schools").select(["id", "name", "tags"]).where("id", "in", s).execute()) out.set(`school:${r.id}`, { name: r.name, tags: fromJson(r.tags, []) });
        const p = ids("partner");
        if (p.length) for (const r of await db.selectFrom("partners").select(["id", "name"]).where("id", "in", p).execute()) out.set(`partner:${r.id}`, { name: r.name, tags: [] });
        const u = ids("teacher");
        if (u.length) for (const r of await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", u).execute()) out.set(`teacher:${r.id}`, { name: r.display_name, tags: [] });
        return out;
      }
      nameOf(names, type, id) {
        return OWNER_LABEL[type] ?? names.get(`${type}:${id}`)?.name ?? id;
      }
      accountOut(names, a) {
        return {
          id: a.id,
          allianceId: a.alliance_id,
          ownerType: a.owner_type,
          ownerId: a.owner_id,
          ownerName: this.nameOf(names, a.owner_type, a.owner_id),
          balance: Number(a.balance),
          overdraftLimit: a.overdraft_limit,
          tags: names.get(`${a.owner_type}:${a.owner_id}`)?.tags ?? []
        };
      }
      async accounts(actor, allianceId) {
        const { a, all, schools } = await this.readable(actor, allianceId);
        let q = this.db.selectFrom("credit_accounts").selectAll().where("alliance_id", "=", a.id);
        if (!all) q = q.where("owner_type", "=", "school").where("owner_id", "in", schools);
        const rows = await q.orderBy("owner_type").orderBy("owner_id").execute();
        const names = await this.ownerNames(this.db, rows);
        const items = rows.map((r) => this.accountOut(names, r));
        const order = { school: 0, partner: 1, teacher: 2, pool: 3, issuance: 4 };
        items.sort((x, y) => order[x.ownerType] - order[y.ownerType] || x.ownerName.localeCompare(y.ownerName, "zh-CN"));
        return { items, total: items.length };
      }
      async statement(actor, q, limit = 1e4) {
        let acc;
        if (q.accountId) {
          acc = await this.db.selectFrom("credit_accounts").selectAll().where("id", "=", q.accountId).executeTakeFirst();
          if (!acc) throw notFound("credit_account");
        } else {
          const fields = [!q.allianceId && { field: "allianceId", code: "required" }, !q.schoolId && { field: "schoolId", code: "required" }].filter(Boolean);
          if (fields.length) throw badRequest(fields);
          acc = await this.db.selectFrom("credit_accounts").selectAll().where("alliance_id", "=", q.allianceId).where("owner_type", "=", "school").where("owner_id", "=", q.schoolId).executeTakeFirst();
        }
        const allianceId = acc?.alliance_id ?? q.allianceId;
        const ownerType = acc?.owner_type ?? "school";
        const ownerId = acc?.owner_id ?? q.schoolId;
        let scope;
        try {
          scope = await this.readable(actor, allianceId);
        } catch (e) {
          if (q.accountId) throw notFound("credit_account");
          throw e;
        }
        if (!scope.all && !(ownerType === "school" && scope.schools.includes(ownerId))) throw notFound(q.accountId ? "credit_account" : "school");
        if (!acc) {
          const members = await this.memberSchoolIds(allianceId, false);
          if (!members.has(ownerId)) throw badRequest([{ field: "schoolId", code: "not_found" }]);
          acc = { id: "", alliance_id: allianceId, owner_type: "school", owner_id: ownerId, balance: 0, overdraft_limit: null, created_at: nowIso() };
        }
        const fromAt = q.from ? localMidnight(q.from) : null;
        const toAt = q.to ? nextLocalMidnight(q.to) : null;
        let opening = 0;
        if (fromAt && acc.id) {
          const o = await this.db.selectFrom("credit_entries as e").innerJoin("credit_transactions as t", "t.id", "e.transaction_id").select((eb) => eb.fn.sum("e.amount").as("s")).where("e.account_id", "=", acc.id).where("t.created_at", "<", fromAt).executeTakeFirst();
          opening = Number(o?.s ?? 0);
        }
        let lq = this.db.selectFrom("credit_entries as e").innerJoin("credit_transactions as t", "t.id", "e.transaction_id").select(["t.id", "t.created_at", "t.kind", "t.cause_type", "t.cause_id", "t.memo", "e.amount"]).where("e.account_id", "=", acc.id);
        if (fromAt) lq = lq.where("t.created_at", ">=", fromAt);
        if (toAt) lq = lq.where("t.created_at", "<", toAt);
        const rows = await lq.orderBy("t.created_at").orderBy("t.id").limit(limit + 1).execute();
        const truncated = rows.length > limit;
        if (truncated) rows.pop();
        const txIds = [...new Set(rows.map((r) => r.id))];
        const others = [];
        for (let i = 0; i < txIds.length; i += 500) {
          others.push(...await this.db.selectFrom("credit_entries as e").innerJoin("credit_accounts as a", "a.id", "e.account_id").select(["e.transaction_id", "e.amount", "a.owner_type", "a.owner_id"]).where("e.transaction_id", "in", txIds.slice(i, i + 500)).where("e.account_id", "!=", acc.id).execute());
        }
        const names = await this.ownerNames(this.db, [...others, acc]);
        const byTx = /* @__PURE__ */ new Map();
        for (const o of others) byTx.set(o.transaction_id, [...byTx.get(o.transaction_id) ?? [], o]);
        let balance = opening;
        let credits = 0;
        let debits = 0;
        const items = rows.map((r) => {
          const amount = Number(r.amount);
          balance += amount;
          if (amount > 0) credits += amount;
          else debits -= amount;
          return {
            transactionId: r.id,
            at: r.created_at,
            kind: r.kind,
            causeType: r.cause_type,
            causeId: r.cause_id,
            memo: r.memo,
            amount,
            balance,
            counterparts: (byTx.get(r.id) ?? []).map((o) => ({ ownerType: o.owner_type, ownerId: o.owner_id, ownerName: this.nameOf(names, o.owner_type, o.owner_id), amount: Number(o.amount) }))
          };
        });
        return {
          account: this.accountOut(names, acc),
          allianceName: scope.a.name,
          from: q.from ?? null,
          to: q.to ?? null,
          opening,
          closing: balance,
          credits,
          debits,
          items,
          truncated
        };
      }
      async transactionDetail(db, id) {
        const t = await db.selectFrom("credit_transactions as t").leftJoin("users as u", "u.id", "t.created_by").selectAll("t").select("u.display_name as created_by_name").where("t.id", "=", id).executeTakeFirst();
        if (!t) throw notFound("credit_transaction");
        const entries = await db.selectFrom("credit_entries as e").innerJoin("credit_accounts as a", "a.id", "e.account_id").select(["e.account_id", "e.amount", "a.owner_type", "a.owner_id"]).where("e.transaction_id", "=", id).orderBy("e.amount").execute();
        const names = await this.ownerNames(db, entries);
        return {
          id: t.id,
          allianceId: t.alliance_id,
          kind: t.kind,
          causeType: t.cause_type,
          causeId: t.cause_id,
          amount: Number(t.amount),
          memo: t.memo,
          createdBy: t.created_by,
          createdByName: t.created_by_name ?? null,
          createdAt: t.created_at,
          entries: entries.map((e) => ({ accountId: e.account_id, ownerType: e.owner_type, ownerId: e.owner_id, ownerName: this.nameOf(names, e.owner_type, e.owner_id), amount: Number(e.amount) }))
        };
      }
      /** One transaction: readable by the ledger's readers, and by school admins whose school it touches. */
      async transaction(actor, id) {
        const t = await this.db.selectFrom("credit_transactions").select(["id", "alliance_id"]).where("id", "=", id).executeTakeFirst();
        if (!t) throw notFound("credit_transaction");
        const a = await this.alliance(t.alliance_id);
        if (!this.readsLedger(actor, a)) {
          const mine = this.ownSchools(actor);
          const touches = mine.length > 0 && !!await this.db.selectFrom("credit_entries as e").innerJoin("credit_accounts as c", "c.id", "e.account_id").select("e.id").where("e.transaction_id", "=", id).where("c.owner_type", "=", "school").where("c.owner_id", "in", mine).executeTakeFirst();
          if (!touches) throw notFound("credit_transaction");
        }
        return this.transactionDetail(this.db, id);
      }
      /** The account of a school in an alliance (created empty if missing); for seeds and tests. */
      async ensureSchoolAccount(tx, allianceId, schoolId) {
        return accountOf(tx, allianceId, school(schoolId));
      }
    };
  }
});

// src/common/resources.ts
function stageOfGrade(grade) {
  const n = Number(grade.replace(/^g/, ""));
  if (!Number.isInteger(n) || n < 1 || n > 12) return null;
  return n <= 6 ? "primary" : n <= 9 ? "junior" : "senior";
}
function formatBytes(n) {
  if (n >= GiB) return `${+(n / GiB).toFixed(1)} GB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
function acceptedFamily(kind, mime) {
  const fam = MIME_FAMILY[mime];
  return fam && KIND_RULES[kind].families.includes(fam) ? fam : null;
}
function previewable(mime) {
  const fam = MIME_FAMILY[mime];
  return fam === "pdf" || fam === "image" || fam === "video" || fam === "audio" || fam === "text";
}
function convertible(mime) {
  const fam = MIME_FAMILY[mime];
  return fam === "word" || fam === "slides" || fam === "sheet";
}
function checkScores(kind, scores) {
  const items = RUBRICS[kind];
  const known = new Set(items.map((i) => i.code));
  const errors = [];
  for (const i of items) if (scores[i.code] === void 0) errors.push({ item: i.code, reason: "missing" });
  for (const [k, v] of Object.entries(scores)) {
    if (!known.has(k)) errors.push({ item: k, reason: "unknown" });
    else if (!Number.isInteger(v) || v < SCORE_MIN || v > SCORE_MAX) errors.push({ item: k, reason: "range" });
  }
  const vals = items.map((i) => scores[i.code]).filter((v) => typeof v === "number");
  const average = vals.length ? Math.round(vals.reduce((a, b) => a + b, 0) / vals.length * 100) / 100 : 0;
  return { errors, average };
}
function nextStatus(status, step) {
  return TRANSITIONS2[step][status] ?? null;
}
function visibleTo(visibility, f) {
  switch (visibility) {
    case "school":
      return f.sameSchool;
    case "alliance":
      return f.sameSchool || f.sameAlliance;
    case "region":
      return f.sameSchool || f.sameAlliance || f.sameRegion;
    case "public":
      return f.signedIn;
  }
}
function downloadAllowed(licence, f) {
  if (licence === "alliance_only") return f.sameSchool || f.sameAlliance;
  return true;
}
function monthRange(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  const next = mo === 12 ? `${y + 1}-01` : `${m[1]}-${String(mo + 1).padStart(2, "0")}`;
  return { from: (/* @__PURE__ */ new Date(`${m[1]}-${m[2]}-01T00:00:00+08:00`)).toISOString(), to: (/* @__PURE__ */ new Date(`${next}-01T00:00:00+08:00`)).toISOString() };
}
var RESOURCE_KINDS, LICENCES, VISIBILITY, RESOURCE_STATUS, STAGES, GRADES, TEXTBOOK_EDITIONS, DIFFICULTY, RESOURCE_LANGUAGES, FILE_ROLES, MIME_FAMILY, FAMILY_LABELS, MiB, GiB, DOCS, KIND_RULES, MAX_UPLOAD_BYTES, COMMON, RUBRICS, SCORE_MIN, SCORE_MAX, WORKFLOW_STEPS, TRANSITIONS2;
var init_resources = __esm({
  "src/common/resources.ts"() {
    "use strict";
    init_vocab();
    RESOURCE_KINDS = vocab([
      { code: "lesson_video", zh: "\u8BFE\u4F8B", en: "Recorded lesson" },
      { code: "lesson_plan", zh: "\u6559\u5B66\u8BBE\u8BA1/\u6559\u6848", en: "Lesson plan" },
      { code: "courseware", zh: "\u8BFE\u4EF6", en: "Courseware" },
      { code: "micro_lesson", zh: "\u5FAE\u8BFE", en: "Micro-lesson" },
      { code: "exam", zh: "\u8BD5\u9898/\u8BD5\u5377", en: "Questions / test paper" },
      { code: "school_course", zh: "\u6821\u672C\u8BFE\u7A0B", en: "School-based course" },
      { code: "case_collection", zh: "\u6848\u4F8B\u96C6", en: "Case collection" },
      { code: "research", zh: "\u6559\u7814\u6210\u679C", en: "Teaching research" }
    ]);
    LICENCES = vocab([
      { code: "cc_by", zh: "CC BY\uFF08\u7F72\u540D\uFF09", en: "CC BY" },
      { code: "cc_by_sa", zh: "CC BY-SA\uFF08\u7F72\u540D-\u76F8\u540C\u65B9\u5F0F\u5171\u4EAB\uFF09", en: "CC BY-SA" },
      { code: "cc_by_nc", zh: "CC BY-NC\uFF08\u7F72\u540D-\u975E\u5546\u4E1A\u6027\u4F7F\u7528\uFF09", en: "CC BY-NC" },
      { code: "cc_by_nc_sa", zh: "CC BY-NC-SA\uFF08\u7F72\u540D-\u975E\u5546\u4E1A\u6027\u4F7F\u7528-\u76F8\u540C\u65B9\u5F0F\u5171\u4EAB\uFF09", en: "CC BY-NC-SA" },
      { code: "cc_by_nd", zh: "CC BY-ND\uFF08\u7F72\u540D-\u7981\u6B62\u6F14\u7ECE\uFF09", en: "CC BY-ND" },
      { code: "cc_by_nc_nd", zh: "CC BY-NC-ND\uFF08\u7F72\u540D-\u975E\u5546\u4E1A\u6027\u4F7F\u7528-\u7981\u6B62\u6F14\u7ECE\uFF09", en: "CC BY-NC-ND" },
      { code: "alliance_only", zh: "\u8054\u76DF\u5185\u4F7F\u7528, \u7981\u6B62\u8F6C\u8F7D", en: "Alliance use only, no redistribution" }
    ]);
    VISIBILITY = vocab([
      { code: "school", zh: "\u672C\u6821", en: "Own school" },
      { code: "alliance", zh: "\u8054\u76DF", en: "Alliance" },
      { code: "region", zh: "\u533A\u57DF", en: "Region" },
      { code: "public", zh: "\u516C\u5F00", en: "Public" }
    ]);
    RESOURCE_STATUS = vocab([
      { code: "draft", zh: "\u8349\u7A3F", en: "Draft" },
      { code: "submitted", zh: "\u5DF2\u63D0\u4EA4", en: "Submitted" },
      { code: "in_review", zh: "\u5BA1\u6838\u4E2D", en: "In review" },
      { code: "published", zh: "\u5DF2\u53D1\u5E03", en: "Published" },
      { code: "returned", zh: "\u5DF2\u9000\u56DE", en: "Returned" },
      { code: "withdrawn", zh: "\u5DF2\u64A4\u56DE", en: "Withdrawn" },
      { code: "archived", zh: "\u5DF2\u5F52\u6863", en: "Archived" }
    ]);
    STAGES = vocab([
      { code: "primary", zh: "\u5C0F\u5B66", en: "Primary" },
      { code: "junior", zh: "\u521D\u4E2D", en: "Junior secondary" },
      { code: "senior", zh: "\u9AD8\u4E2D", en: "Senior secondary" }
    ]);
    GRADES = vocab([
      { code: "g1", zh: "\u4E00\u5E74\u7EA7", en: "Grade 1" },
      { code: "g2", zh: "\u4E8C\u5E74\u7EA7", en: "Grade 2" },
      { code: "g3", zh: "\u4E09\u5E74\u7EA7", en: "Grade 3" },
      { code: "g4", zh: "\u56DB\u5E74\u7EA7", en: "Grade 4" },
      { code: "g5", zh: "\u4E94\u5E74\u7EA7", en: "Grade 5" },
      { code: "g6", zh: "\u516D\u5E74\u7EA7", en: "Grade 6" },
      { code: "g7", zh: "\u4E03\u5E74\u7EA7", en: "Grade 7" },
      { code: "g8", zh: "\u516B\u5E74\u7EA7", en: "Grade 8" },
      { code: "g9", zh: "\u4E5D\u5E74\u7EA7", en: "Grade 9" },
      { code: "g10", zh: "\u9AD8\u4E00", en: "Senior 1" },
      { code: "g11", zh: "\u9AD8\u4E8C", en: "Senior 2" },
      { code: "g12", zh: "\u9AD8\u4E09", en: "Senior 3" }
    ]);
    TEXTBOOK_EDITIONS = vocab([
      { code: "tongbian", zh: "\u7EDF\u7F16\u7248", en: "Unified (MOE)" },
      { code: "pep", zh: "\u4EBA\u6559\u7248", en: "PEP" },
      { code: "bnu", zh: "\u5317\u5E08\u5927\u7248", en: "BNU" },
      { code: "sujiao", zh: "\u82CF\u6559\u7248", en: "Jiangsu Education" },
      { code: "hujiao", zh: "\u6CAA\u6559\u7248", en: "Shanghai Education" },
      { code: "waiyan", zh: "\u5916\u7814\u7248", en: "FLTRP" },
      { code: "xiangjiao", zh: "\u6E58\u6559\u7248", en: "Hunan Education" },
      { code: "zhejiao", zh: "\u6D59\u6559\u7248", en: "Zhejiang Education" },
      { code: "lujiao", zh: "\u9C81\u6559\u7248", en: "Shandong Education" },
      { code: "other", zh: "\u5176\u4ED6", en: "Other" }
    ]);
    DIFFICULTY = vocab([
      { code: "basic", zh: "\u57FA\u7840", en: "Basic" },
      { code: "medium", zh: "\u4E2D\u7B49", en: "Intermediate" },
      { code: "advanced", zh: "\u63D0\u9AD8", en: "Advanced" }
    ]);
    RESOURCE_LANGUAGES = vocab([
      { code: "zh", zh: "\u4E2D\u6587", en: "Chinese" },
      { code: "en", zh: "\u82F1\u6587", en: "English" },
      { code: "bilingual", zh: "\u53CC\u8BED", en: "Bilingual" },
      { code: "other", zh: "\u5176\u4ED6", en: "Other" }
    ]);
    FILE_ROLES = vocab([
      { code: "main", zh: "\u4E3B\u6587\u4EF6", en: "Main file" },
      { code: "outline", zh: "\u8BFE\u7A0B\u7EB2\u8981", en: "Course outline" },
      { code: "lesson", zh: "\u8BFE\u65F6", en: "Lesson" },
      { code: "material", zh: "\u6750\u6599", en: "Material" },
      { code: "case", zh: "\u5B9E\u8DF5\u6848\u4F8B", en: "Practice case" }
    ]);
    MIME_FAMILY = {
      "application/pdf": "pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word",
      "application/msword": "word",
      "application/x-cfb": "word",
      // legacy .doc/.ppt/.xls container; refined by extension
      "application/vnd.openxmlformats-officedocument.presentationml.presentation": "slides",
      "application/vnd.ms-powerpoint": "slides",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "sheet",
      "application/vnd.ms-excel": "sheet",
      "text/plain": "text",
      "image/png": "image",
      "image/jpeg": "image",
      "image/gif": "image",
      "image/webp": "image",
      "video/mp4": "video",
      "video/webm": "video",
      "video/quicktime": "video",
      "audio/mpeg": "audio",
      "audio/mp4": "audio",
      "audio/x-m4a": "audio"
    };
    FAMILY_LABELS = {
      pdf: { zh: "PDF", en: "PDF" },
      word: { zh: "Word \u6587\u6863", en: "Word documents" },
      slides: { zh: "\u6F14\u793A\u6587\u7A3F", en: "presentations" },
      sheet: { zh: "\u7535\u5B50\u8868\u683C", en: "spreadsheets" },
      text: { zh: "\u7EAF\u6587\u672C", en: "plain text" },
      image: { zh: "\u56FE\u7247", en: "images" },
      video: { zh: "\u89C6\u9891\uFF08MP4/WebM\uFF09", en: "video (MP4/WebM)" },
      audio: { zh: "\u97F3\u9891", en: "audio" }
    };
    MiB = 1024 * 1024;
    GiB = 1024 * MiB;
    DOCS = ["pdf", "word", "text", "image"];
    KIND_RULES = {
      lesson_video: { families: ["video", "pdf", "word", "slides", "image"], maxBytes: 2 * GiB, package: false },
      micro_lesson: { families: ["video", "pdf", "image", "audio"], maxBytes: 1 * GiB, package: false },
      lesson_plan: { families: DOCS, maxBytes: 100 * MiB, package: false },
      courseware: { families: ["slides", "pdf", "word", "image", "video", "audio"], maxBytes: 200 * MiB, package: false },
      exam: { families: DOCS, maxBytes: 50 * MiB, package: false },
      school_course: { families: ["pdf", "word", "slides", "sheet", "text", "image", "video", "audio"], maxBytes: 2 * GiB, package: true },
      case_collection: { families: DOCS, maxBytes: 100 * MiB, package: false },
      research: { families: [...DOCS, "slides", "sheet"], maxBytes: 100 * MiB, package: false }
    };
    MAX_UPLOAD_BYTES = Math.max(...Object.values(KIND_RULES).map((r) => r.maxBytes));
    COMMON = [
      { code: "accuracy", zh: "\u79D1\u5B66\u6027\uFF1A\u5185\u5BB9\u6B63\u786E\uFF0C\u65E0\u77E5\u8BC6\u6027\u9519\u8BEF", en: "Accuracy: no factual errors" },
      { code: "standards", zh: "\u89C4\u8303\u6027\uFF1A\u7B26\u5408\u8BFE\u7A0B\u6807\u51C6\uFF0C\u8868\u8FF0\u89C4\u8303", en: "Standards: follows the curriculum standard" },
      { code: "ethics", zh: "\u601D\u60F3\u6027\uFF1A\u5BFC\u5411\u6B63\u786E\uFF0C\u65E0\u7248\u6743\u95EE\u9898", en: "Integrity: sound values, no copyright issues" }
    ];
    RUBRICS = {
      lesson_video: [
        ...COMMON,
        { code: "objectives", zh: "\u6559\u5B66\u76EE\u6807\u660E\u786E\uFF0C\u91CD\u96BE\u70B9\u7A81\u51FA", en: "Clear objectives and focus" },
        { code: "process", zh: "\u6559\u5B66\u8FC7\u7A0B\u5B8C\u6574\uFF0C\u5E08\u751F\u4E92\u52A8\u5145\u5206", en: "Complete process, real interaction" },
        { code: "av_quality", zh: "\u753B\u9762\u6E05\u6670\u3001\u58F0\u97F3\u6E05\u695A", en: "Clear picture and sound" }
      ],
      micro_lesson: [
        ...COMMON,
        { code: "focus", zh: "\u4E3B\u9898\u805A\u7126\u4E00\u4E2A\u77E5\u8BC6\u70B9", en: "Focused on one point" },
        { code: "length", zh: "\u65F6\u957F\u9002\u5B9C\uFF08\u4E00\u822C 5\u201310 \u5206\u949F\uFF09", en: "Suitable length (5\u201310 min)" },
        { code: "av_quality", zh: "\u753B\u9762\u6E05\u6670\u3001\u58F0\u97F3\u6E05\u695A", en: "Clear picture and sound" }
      ],
      lesson_plan: [
        ...COMMON,
        { code: "objectives", zh: "\u6559\u5B66\u76EE\u6807\u5177\u4F53\u53EF\u6D4B", en: "Concrete objectives" },
        { code: "design", zh: "\u6559\u5B66\u73AF\u8282\u8BBE\u8BA1\u5408\u7406\uFF0C\u53EF\u64CD\u4F5C", en: "Sound, workable design" },
        { code: "assessment", zh: "\u6709\u5B66\u4E60\u8BC4\u4EF7\u8BBE\u8BA1", en: "Includes assessment" }
      ],
      courseware: [
        ...COMMON,
        { code: "design", zh: "\u7248\u9762\u6E05\u6670\uFF0C\u91CD\u70B9\u7A81\u51FA", en: "Clear layout" },
        { code: "usability", zh: "\u53EF\u76F4\u63A5\u7528\u4E8E\u8BFE\u5802", en: "Ready for class use" }
      ],
      exam: [
        ...COMMON,
        { code: "coverage", zh: "\u8986\u76D6\u8BFE\u6807\u8981\u6C42\u7684\u77E5\u8BC6\u70B9", en: "Covers the required points" },
        { code: "difficulty", zh: "\u96BE\u5EA6\u68AF\u5EA6\u5408\u7406", en: "Reasonable difficulty" },
        { code: "answers", zh: "\u9644\u53C2\u8003\u7B54\u6848\u4E0E\u8BC4\u5206\u6807\u51C6", en: "Answers and marking scheme" }
      ],
      school_course: [
        ...COMMON,
        { code: "outline", zh: "\u8BFE\u7A0B\u7EB2\u8981\u5B8C\u6574\uFF08\u76EE\u6807\u3001\u5185\u5BB9\u3001\u5B9E\u65BD\u3001\u8BC4\u4EF7\uFF09", en: "Complete course outline" },
        { code: "lessons", zh: "\u8BFE\u65F6\u8D44\u6599\u9F50\u5168", en: "Lessons complete" },
        { code: "practice", zh: "\u6709\u5B9E\u8DF5\u6848\u4F8B", en: "Practice cases included" }
      ],
      case_collection: [
        ...COMMON,
        { code: "typical", zh: "\u6848\u4F8B\u5178\u578B\u3001\u6709\u4EE3\u8868\u6027", en: "Typical, representative cases" },
        { code: "reflection", zh: "\u6709\u5206\u6790\u4E0E\u53CD\u601D", en: "Analysis and reflection" }
      ],
      research: [
        ...COMMON,
        { code: "innovation", zh: "\u6709\u521B\u65B0\uFF0C\u53EF\u63A8\u5E7F", en: "Innovative and transferable" },
        { code: "evidence", zh: "\u6709\u5B9E\u8BC1\u6216\u5B9E\u8DF5\u6548\u679C", en: "Evidence of effect" }
      ]
    };
    SCORE_MIN = 1;
    SCORE_MAX = 5;
    WORKFLOW_STEPS = vocab([
      { code: "submit", zh: "\u63D0\u4EA4\u5BA1\u6838", en: "submit" },
      { code: "assign", zh: "\u5206\u914D\u5BA1\u6838\u5458", en: "assign" },
      { code: "publish", zh: "\u5BA1\u6838\u901A\u8FC7\u5E76\u53D1\u5E03", en: "publish" },
      { code: "return", zh: "\u9000\u56DE\u4FEE\u6539", en: "return" },
      { code: "withdraw", zh: "\u64A4\u56DE", en: "withdraw" },
      { code: "archive", zh: "\u5F52\u6863", en: "archive" },
      { code: "edit", zh: "\u4FEE\u6539", en: "edit" }
    ]);
    TRANSITIONS2 = {
      submit: { draft: "submitted", returned: "submitted", withdrawn: "submitted", published: "submitted" },
      assign: { submitted: "in_review", in_review: "in_review" },
      publish: { submitted: "published", in_review: "published" },
      return: { submitted: "returned", in_review: "returned" },
      withdraw: { submitted: "withdrawn", in_review: "withdrawn", published: "withdrawn", returned: "withdrawn" },
      archive: { draft: "archived", published: "archived", returned: "archived", withdrawn: "archived" },
      // metadata and files change only while nobody is reviewing them
      edit: { draft: "draft", returned: "returned", withdrawn: "withdrawn", published: "published" }
    };
  }
});

// src/server/platform/search.ts
import { createRequire } from "node:module";
function cutter() {
  if (!jieba) {
    const { Jieba: JiebaClass } = require2("@node-rs/jieba");
    const { dict } = require2("@node-rs/jieba/dict.js");
    jieba = JiebaClass.withDict(dict);
    jieba.loadDict(Buffer.from(EDUCATION_WORDS.map((w) => `${w} 2000 n`).join("\n") + "\n"));
  }
  return jieba;
}
function normalise(words) {
  const out = [];
  for (const w of words) {
    if (!HAS_WORD_CHAR.test(w)) continue;
    for (const piece of w.normalize("NFKC").toLowerCase().split(SEPARATOR)) {
      if (piece && !STOP_WORDS.has(piece)) out.push(piece);
    }
  }
  return out;
}
function segment(text2) {
  if (!text2) return [];
  return normalise(cutter().cutForSearch(text2.normalize("NFKC"), false));
}
function queryTerms(q) {
  if (!q || !q.trim()) return [];
  const terms = normalise(cutter().cut(q.normalize("NFKC"), false));
  return [...new Set(terms)].slice(0, 16);
}
function tokensOf(text2) {
  return segment(text2).join(" ");
}
function highlight(text2, terms, maxLen = 120) {
  const flat = (text2 ?? "").replace(/\s+/g, " ").trim();
  const words = [...new Set(terms.filter((t) => t))].sort((a, b) => b.length - a.length);
  const re = words.length ? new RegExp(words.map(escapeRegExp).join("|"), "giu") : null;
  let start = 0;
  if (re) {
    const first = re.exec(flat);
    re.lastIndex = 0;
    if (first) start = Math.max(0, Math.min(first.index - Math.floor(maxLen / 4), flat.length - maxLen));
  }
  const end = Math.min(flat.length, start + maxLen);
  const window = flat.slice(start, end);
  let html = "";
  if (re) {
    let last = 0;
    for (const m of window.matchAll(re)) {
      html += escapeHtml(window.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    html += escapeHtml(window.slice(last));
  } else {
    html = escapeHtml(window);
  }
  return (start > 0 ? "\u2026" : "") + html + (end < flat.length ? "\u2026" : "");
}
var require2, jieba, EDUCATION_WORDS, STOP_WORDS, SEPARATOR, HAS_WORD_CHAR, ESCAPES, escapeHtml, escapeRegExp;
var init_search = __esm({
  "src/server/platform/search.ts"() {
    "use strict";
    require2 = createRequire(import.meta.url);
    EDUCATION_WORDS = [
      "\u5FAE\u8BFE",
      "\u8BF4\u8BFE",
      "\u8BFE\u4F8B",
      "\u5BFC\u5B66\u6848",
      "\u5B66\u6848",
      "\u6559\u6848",
      "\u8BFE\u4EF6",
      "\u6559\u5B66\u8BBE\u8BA1",
      "\u6559\u7814",
      "\u6559\u7814\u7EC4",
      "\u5907\u8BFE\u7EC4",
      "\u96C6\u4F53\u5907\u8BFE",
      "\u540C\u8BFE\u5F02\u6784",
      "\u6821\u672C",
      "\u6821\u672C\u8BFE\u7A0B",
      "\u7814\u5B66",
      "\u5FAE\u8BFE\u7A0B",
      "\u6838\u5FC3\u7D20\u517B",
      "\u5927\u5355\u5143",
      "\u5355\u5143\u6574\u4F53",
      "\u8DE8\u5B66\u79D1",
      "\u601D\u7EF4\u5BFC\u56FE",
      "\u4F5C\u4E1A\u8BBE\u8BA1",
      "\u53CC\u51CF",
      "\u8BFE\u540E\u670D\u52A1",
      "\u8BD5\u9898",
      "\u8BD5\u5377",
      "\u671F\u4E2D",
      "\u671F\u672B",
      "\u4E2D\u8003",
      "\u9AD8\u8003",
      "\u5B66\u60C5",
      "\u6559\u5B66\u53CD\u601D",
      "\u8BFE\u5802\u5B9E\u5F55",
      "\u6848\u4F8B\u96C6",
      "\u6559\u7814\u6210\u679C",
      "\u540D\u5E08",
      "\u793A\u8303\u8BFE",
      "\u516C\u5F00\u8BFE",
      "\u52B3\u52A8\u6559\u80B2",
      "\u9053\u5FB7\u4E0E\u6CD5\u6CBB",
      "\u4FE1\u606F\u79D1\u6280",
      "\u7EFC\u5408\u5B9E\u8DF5"
    ];
    STOP_WORDS = /* @__PURE__ */ new Set([
      "\u7684",
      "\u4E86",
      "\u548C",
      "\u4E0E",
      "\u53CA",
      "\u6216",
      "\u662F",
      "\u5728",
      "\u4E4B",
      "\u5176",
      "\u800C",
      "\u7740",
      "\u8FC7",
      "\u5417",
      "\u5462",
      "\u5427",
      "\u554A",
      "\u4E5F",
      "\u5C31",
      "\u90FD",
      "\u628A",
      "\u88AB",
      "\u4E8E",
      "\u4EE5",
      "\u4E3A",
      "\u4ECE",
      "\u5BF9",
      "\u5730",
      "\u5F97",
      "\u6240",
      "\u8FD9",
      "\u90A3",
      "\u4E2A",
      "a",
      "an",
      "the",
      "of",
      "and",
      "or",
      "to",
      "in",
      "on",
      "for",
      "is"
    ]);
    SEPARATOR = /[^\p{L}\p{N}]+/u;
    HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
    ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
    escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
    escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
});

// src/server/db/fts.ts
import { sql as sql13 } from "kysely";
function tsvExpr(titleTokens, bodyTokens) {
  return sql13`setweight(to_tsvector('simple', ${titleTokens}), 'A') || setweight(to_tsvector('simple', ${bodyTokens}), 'B')`;
}
async function ftsUpsert(tx, dialect, doc) {
  const title = clip(doc.title ?? "");
  const body = clip(doc.body ?? "");
  const titleTokens = tokensOf(title);
  const bodyTokens = tokensOf(body);
  const now = nowIso();
  if (dialect === "postgres") {
    await sql13`insert into search_docs (doc_id, title, body, tsv, updated_at)
      values (${doc.id}, ${title}, ${body}, ${tsvExpr(titleTokens, bodyTokens)}, ${now})
      on conflict (doc_id) do update set title = excluded.title, body = excluded.body, tsv = excluded.tsv,
        updated_at = excluded.updated_at`.execute(tx);
    return;
  }
  const existing2 = await tx.selectFrom("search_docs").select("seq").where("doc_id", "=", doc.id).executeTakeFirst();
  let seq;
  if (existing2) {
    seq = existing2.seq;
    await sql13`delete from search_fts where rowid = ${seq}`.execute(tx);
    await tx.updateTable("search_docs").set({ title, body, updated_at: now }).where("seq", "=", seq).execute();
  } else {
    const row = await tx.insertInto("search_docs").values({ doc_id: doc.id, title, body, updated_at: now }).returning("seq").executeTakeFirstOrThrow();
    seq = row.seq;
  }
  await sql13`insert into search_fts (rowid, title, body) values (${seq}, ${titleTokens}, ${bodyTokens})`.execute(tx);
}
async function ftsInsertMany(tx, dialect, docs, batch = 200) {
  const now = nowIso();
  for (let i = 0; i < docs.length; i += batch) {
    const part = docs.slice(i, i + batch).map((d) => {
      const title = clip(d.title ?? "");
      const body = clip(d.body ?? "");
      return { id: d.id, title, body, tt: tokensOf(title), bt: tokensOf(body) };
    });
    if (dialect === "postgres") {
      const rows = part.map((p) => sql13`(${p.id}, ${p.title}, ${p.body}, ${tsvExpr(p.tt, p.bt)}, ${now})`);
      await sql13`insert into search_docs (doc_id, title, body, tsv, updated_at) values ${sql13.join(rows)}`.execute(tx);
    } else {
      const inserted = await tx.insertInto("search_docs").values(part.map((p) => ({ doc_id: p.id, title: p.title, body: p.body, updated_at: now }))).returning(["seq", "doc_id"]).execute();
      const seqOf = new Map(inserted.map((r) => [r.doc_id, r.seq]));
      const rows = part.map((p) => sql13`(${seqOf.get(p.id)}, ${p.tt}, ${p.bt})`);
      await sql13`insert into search_fts (rowid, title, body) values ${sql13.join(rows)}`.execute(tx);
    }
  }
}
async function ftsDelete(tx, dialect, id) {
  if (dialect === "sqlite") {
    const existing2 = await tx.selectFrom("search_docs").select("seq").where("doc_id", "=", id).executeTakeFirst();
    if (!existing2) return;
    await sql13`delete from search_fts where rowid = ${existing2.seq}`.execute(tx);
  }
  await tx.deleteFrom("search_docs").where("doc_id", "=", id).execute();
}
function fts5Query(terms) {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(" AND ");
}
function ftsMatch(dialect, terms) {
  const clean = terms.filter((t) => t && t.trim());
  if (clean.length === 0) {
    return sql13`(select doc_id, 0.0 as rank from search_docs where 1 = 0)`;
  }
  if (dialect === "postgres") {
    return sql13`(select doc_id, ts_rank(tsv, fts_q) as rank
      from search_docs, plainto_tsquery('simple', ${clean.join(" ")}) as fts_q where tsv @@ fts_q)`;
  }
  return sql13`(select search_docs.doc_id as doc_id, -bm25(search_fts, 10.0, 1.0) as rank
    from search_fts join search_docs on search_docs.seq = search_fts.rowid where search_fts match ${fts5Query(clean)})`;
}
async function ftsTexts(db, ids) {
  if (ids.length === 0) return /* @__PURE__ */ new Map();
  const rows = await db.selectFrom("search_docs").select(["doc_id", "body"]).where("doc_id", "in", ids).execute();
  return new Map(rows.map((r) => [r.doc_id, r.body]));
}
var MAX_INDEXED_CHARS, clip;
var init_fts = __esm({
  "src/server/db/fts.ts"() {
    "use strict";
    init_db();
    init_search();
    MAX_INDEXED_CHARS = 1e5;
    clip = (s) => s.length > MAX_INDEXED_CHARS ? s.slice(0, MAX_INDEXED_CHARS) : s;
  }
});

// src/server/platform/extract.ts
import { spawn } from "node:child_process";
import crypto4 from "node:crypto";
import fs3 from "node:fs";
import os from "node:os";
import path4 from "node:path";
import { pathToFileURL } from "node:url";
async function bytesOf(file) {
  if (file.buffer) return file.buffer.length > MAX_EXTRACT_BYTES ? null : file.buffer;
  if (!file.path) return null;
  const st = await fs3.promises.stat(file.path);
  if (st.size > MAX_EXTRACT_BYTES) return null;
  return fs3.promises.readFile(file.path);
}
function tidyText(text2) {
  return text2.replace(/\r\n?/g, "\n").replace(new RegExp("(?<=\\p{Script=Han})[ \\t]*\\n[ \\t]*(?=\\p{Script=Han})", "gu"), "").replace(/[ \t\u3000]+/g, " ").replace(/\n{3,}/g, "\n\n").trim().slice(0, MAX_CHARS);
}
async function extractText(file) {
  const mime = (file.mime || "").toLowerCase().split(";")[0].trim();
  try {
    if (mime === "application/pdf") {
      const bytes = await bytesOf(file);
      return bytes ? tidyText(await pdfText(bytes)) : "";
    }
    if (mime === DOCX_MIME) {
      const bytes = await bytesOf(file);
      if (!bytes) return "";
      const mammoth = await import("mammoth");
      const res = await mammoth.extractRawText({ buffer: bytes });
      return tidyText(res.value);
    }
    if (mime.startsWith("text/") || mime === "application/json") {
      const bytes = await bytesOf(file);
      return bytes ? tidyText(decodeText2(bytes)) : "";
    }
    if (OFFICE_MIMES.has(mime) && file.path && libreOfficeAvailable()) {
      const pdf = await officeToPdf(file.path);
      if (!pdf) return "";
      try {
        return tidyText(await pdfText(await fs3.promises.readFile(pdf)));
      } finally {
        await fs3.promises.rm(pdf, { force: true });
      }
    }
  } catch {
    return "";
  }
  return "";
}
function decodeText2(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}
function cmapText(name, body) {
  const text2 = [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    `/CMapName /${name} def`,
    ...body,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
    ""
  ].join("\n");
  return new TextEncoder().encode(text2);
}
function inChunks3(kind, lines) {
  const out = [];
  for (let i = 0; i < lines.length; i += 100) {
    const part = lines.slice(i, i + 100);
    out.push(`${part.length} begin${kind}`, ...part, `end${kind}`);
  }
  return out;
}
function syntheticCMap(name) {
  const cached = cmapCache.get(name);
  if (cached) return cached;
  let data = null;
  if (/^Uni(GB|CNS|JIS|KS)-(UCS2|UTF16)-[HV]$/.test(name)) {
    data = cmapText(name, [
      "/CMapType 1 def",
      ...name.endsWith("-V") ? ["/WMode 1 def"] : [],
      "1 begincodespacerange",
      "<0000> <FFFF>",
      "endcodespacerange",
      "1 begincidrange",
      "<0000> <FFFF> 0",
      "endcidrange"
    ]);
  } else if (/^Adobe-(GB1|CNS1|Japan1|Korea1)-UCS2$/.test(name)) {
    const ranges = [];
    for (let hi = 0; hi < 256; hi++) ranges.push(`<${hex(hi, 2)}00> <${hex(hi, 2)}FF> <${hex(hi, 2)}00>`);
    data = cmapText(name, [
      "/CMapType 2 def",
      "1 begincodespacerange",
      "<0000> <FFFF>",
      "endcodespacerange",
      ...inChunks3("bfrange", ranges)
    ]);
  } else if (/^(GB-EUC|GBK-EUC|GBKp-EUC|GBK2K)-[HV]$/.test(name)) {
    const decoder = new TextDecoder("gbk", { fatal: true });
    const chars = [];
    for (let hi = 129; hi <= 254; hi++) {
      for (let lo = 64; lo <= 254; lo++) {
        if (lo === 127) continue;
        let s;
        try {
          s = decoder.decode(new Uint8Array([hi, lo]));
        } catch {
          continue;
        }
        const cp = s.codePointAt(0);
        if (s.length === 1 && cp !== void 0 && cp !== 65533) chars.push(`<${hex(hi, 2)}${hex(lo, 2)}> ${cp}`);
      }
    }
    data = cmapText(name, [
      "/CMapType 1 def",
      ...name.endsWith("-V") ? ["/WMode 1 def"] : [],
      "2 begincodespacerange",
      "<00> <80>",
      "<8140> <FEFE>",
      "endcodespacerange",
      "1 begincidrange",
      "<00> <80> 0",
      "endcidrange",
      ...inChunks3("cidchar", chars)
    ]);
  }
  if (data) cmapCache.set(name, data);
  return data;
}
async function pdfText(bytes) {
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    BinaryDataFactory: SyntheticDataFactory,
    useWorkerFetch: false,
    cMapUrl: "synthetic:/",
    cMapPacked: false,
    verbosity: 0
  });
  try {
    const parts = [];
    let total = 0;
    const pages = Math.min(pdf.numPages, MAX_PAGES);
    for (let i = 1; i <= pages && total < MAX_CHARS; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      let text2 = "";
      for (const item of content.items) {
        if ("str" in item) text2 += item.str + (item.hasEOL ? "\n" : "");
      }
      parts.push(text2);
      total += text2.length;
      page.cleanup();
    }
    return parts.join("\n");
  } finally {
    await pdf.destroy();
  }
}
function sofficePath() {
  const explicit = process.env.SOFFICE_PATH;
  const candidates = explicit ? [explicit] : (process.env.PATH ?? "").split(path4.delimiter).filter(Boolean).flatMap((dir) => [path4.join(dir, "soffice"), path4.join(dir, "libreoffice")]);
  for (const c of candidates) {
    try {
      fs3.accessSync(c, fs3.constants.X_OK);
      if (fs3.statSync(c).isFile()) return c;
    } catch {
    }
  }
  return null;
}
function libreOfficeAvailable() {
  return sofficePath() !== null;
}
async function officeToPdf(inputPath, timeoutMs = OFFICE_TIMEOUT_MS) {
  const soffice = sofficePath();
  if (!soffice) return null;
  const work = await fs3.promises.mkdtemp(path4.join(os.tmpdir(), "xl-office-"));
  try {
    const ext = path4.extname(inputPath).toLowerCase().replace(/[^.a-z0-9]/g, "").slice(0, 8);
    const input = path4.join(work, `input${ext}`);
    await fs3.promises.copyFile(inputPath, input);
    const ok = await new Promise((resolve) => {
      const child = spawn(
        soffice,
        [
          "--headless",
          "--norestore",
          "--nologo",
          "--nodefault",
          "--nolockcheck",
          `-env:UserInstallation=${pathToFileURL(path4.join(work, "profile")).href}`,
          "--convert-to",
          "pdf",
          "--outdir",
          work,
          input
        ],
        { stdio: "ignore", detached: process.platform !== "win32" }
      );
      const timer = setTimeout(() => {
        try {
          if (child.pid && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
          else child.kill("SIGKILL");
        } catch {
        }
        resolve(false);
      }, timeoutMs);
      child.on("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
    const produced = path4.join(work, "input.pdf");
    if (!ok || !fs3.existsSync(produced)) return null;
    const out = path4.join(os.tmpdir(), `xl-office-${crypto4.randomBytes(8).toString("hex")}.pdf`);
    await fs3.promises.rename(produced, out);
    return out;
  } catch {
    return null;
  } finally {
    await fs3.promises.rm(work, { recursive: true, force: true });
  }
}
var MAX_CHARS, MAX_PAGES, MAX_EXTRACT_BYTES, DOCX_MIME, OFFICE_MIMES, cmapCache, hex, SyntheticDataFactory, OFFICE_TIMEOUT_MS;
var init_extract = __esm({
  "src/server/platform/extract.ts"() {
    "use strict";
    MAX_CHARS = 1e5;
    MAX_PAGES = 300;
    MAX_EXTRACT_BYTES = 200 * 1024 * 1024;
    DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    OFFICE_MIMES = /* @__PURE__ */ new Set([
      "application/msword",
      DOCX_MIME,
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.presentation",
      "application/vnd.oasis.opendocument.spreadsheet",
      "application/rtf"
    ]);
    cmapCache = /* @__PURE__ */ new Map();
    hex = (n, digits) => n.toString(16).toUpperCase().padStart(digits, "0");
    SyntheticDataFactory = class {
      constructor(_opts) {
      }
      async fetch({ kind, filename }) {
        if (kind === "cMapUrl") {
          const data = syntheticCMap(filename.replace(/\.bcmap$/, ""));
          if (data) return data;
        }
        throw new Error(`not available: ${kind} ${filename}`);
      }
    };
    OFFICE_TIMEOUT_MS = 12e4;
  }
});

// src/server/seed/random.ts
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function hashSeed(label) {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
function parse(date) {
  const [y, m, d] = date.split("-").map(Number);
  return [y, m, d];
}
function fmt(y, m, d) {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
function addDays(date, days) {
  const [y, m, d] = parse(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return fmt(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
function addMonths2(date, months) {
  const [y, m, d] = parse(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return fmt(ty, tm, Math.min(d, last));
}
function monthStart(date, months = 0) {
  const [y, m] = parse(addMonths2(date, months));
  return fmt(y, m, 1);
}
function instant(date, minutes2 = 60) {
  const [y, m, d] = parse(date);
  return new Date(Date.UTC(y, m - 1, d, 0, minutes2)).toISOString();
}
function personName(rng) {
  const given = rng.chance(0.5) ? rng.pick(GIVEN_M) : rng.pick(GIVEN_F);
  return rng.pick(SURNAMES) + given;
}
function orgCode(body8) {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body8[i]) * ORG_WEIGHTS[i];
  const c = 11 - sum % 11;
  return body8 + (c === 10 ? "X" : c === 11 ? "0" : String(c));
}
function creditCode(ownership, regionCode, serial) {
  const prefix = ownership === "private" ? "52" : "12";
  const body8 = String((serial * 7919 + 1e7) % 1e8).padStart(8, "0");
  const head = prefix + regionCode + orgCode(body8);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(head[i]) * CREDIT_WEIGHTS[i];
  const c = (31 - sum % 31) % 31;
  return head + CREDIT_CHARS[c];
}
function schoolCode(regionCode, serial) {
  return `3${regionCode}${String(serial).padStart(3, "0")}`;
}
var Rng, addYears, yearOf, maxDate, minDate, SURNAMES, GIVEN_M, GIVEN_F, CREDIT_CHARS, CREDIT_WEIGHTS, ORG_WEIGHTS, pad;
var init_random = __esm({
  "src/server/seed/random.ts"() {
    "use strict";
    Rng = class {
      next;
      constructor(seed) {
        this.next = mulberry32(typeof seed === "string" ? hashSeed(seed) : seed);
      }
      float() {
        return this.next();
      }
      /** Integer in [min, max] (inclusive). */
      int(min, max) {
        return min + Math.floor(this.next() * (max - min + 1));
      }
      /** Float in [min, max). */
      range(min, max) {
        return min + this.next() * (max - min);
      }
      chance(p) {
        return this.next() < p;
      }
      pick(items) {
        return items[Math.floor(this.next() * items.length)];
      }
      shuffle(items) {
        const out = items.slice();
        for (let i = out.length - 1; i > 0; i--) {
          const j = Math.floor(this.next() * (i + 1));
          [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
      }
      /** `n` distinct items (fewer when the list is shorter). */
      sample(items, n) {
        return this.shuffle(items).slice(0, n);
      }
      digits(n) {
        let s = "";
        for (let i = 0; i < n; i++) s += String(this.int(0, 9));
        return s;
      }
    };
    addYears = (date, years) => addMonths2(date, years * 12);
    yearOf = (date) => parse(date)[0];
    maxDate = (a, b) => a > b ? a : b;
    minDate = (a, b) => a < b ? a : b;
    SURNAMES = [
      "\u738B",
      "\u674E",
      "\u5F20",
      "\u5218",
      "\u9648",
      "\u6768",
      "\u9EC4",
      "\u8D75",
      "\u5434",
      "\u5468",
      "\u5F90",
      "\u5B59",
      "\u9A6C",
      "\u6731",
      "\u80E1",
      "\u90ED",
      "\u4F55",
      "\u9AD8",
      "\u6797",
      "\u7F57",
      "\u90D1",
      "\u6881",
      "\u8C22",
      "\u5B8B",
      "\u5510",
      "\u8BB8",
      "\u97E9",
      "\u51AF",
      "\u9093",
      "\u66F9",
      "\u5F6D",
      "\u66FE",
      "\u8096",
      "\u7530",
      "\u8463",
      "\u8881",
      "\u6F58",
      "\u4E8E",
      "\u848B",
      "\u8521",
      "\u4F59",
      "\u675C",
      "\u53F6",
      "\u7A0B",
      "\u82CF",
      "\u9B4F",
      "\u5415",
      "\u4E01",
      "\u4EFB",
      "\u6C88",
      "\u59DA",
      "\u5362",
      "\u59DC",
      "\u5D14",
      "\u949F",
      "\u8C2D",
      "\u9646",
      "\u6C6A",
      "\u8303",
      "\u91D1",
      "\u77F3",
      "\u5ED6",
      "\u8D3E",
      "\u590F",
      "\u97E6",
      "\u4ED8",
      "\u65B9",
      "\u767D",
      "\u90B9",
      "\u5B5F",
      "\u718A",
      "\u79E6",
      "\u90B1",
      "\u6C5F",
      "\u5C39",
      "\u859B",
      "\u95EB",
      "\u6BB5",
      "\u96F7",
      "\u4FAF"
    ];
    GIVEN_M = [
      "\u5EFA\u56FD",
      "\u5FD7\u5F3A",
      "\u56FD\u534E",
      "\u660E\u534E",
      "\u5FB7\u798F",
      "\u6D77\u6D9B",
      "\u6587\u535A",
      "\u4FCA\u6770",
      "\u5B50\u8F69",
      "\u6D69\u7136",
      "\u5B87\u822A",
      "\u4F1F",
      "\u5F3A",
      "\u519B",
      "\u52C7",
      "\u78CA",
      "\u6D9B",
      "\u658C",
      "\u8D85",
      "\u9E4F",
      "\u6770",
      "\u521A",
      "\u8F89",
      "\u5CF0",
      "\u5EFA\u534E",
      "\u7ACB\u65B0",
      "\u6C38\u7EA2",
      "\u632F\u5B87",
      "\u536B\u4E1C",
      "\u6653\u4E1C",
      "\u6587\u519B",
      "\u5FD7\u8FDC",
      "\u56FD\u5E86",
      "\u6625\u751F",
      "\u5BB6\u8C6A",
      "\u601D\u8FDC",
      "\u4E00\u9E23",
      "\u6B63\u9633",
      "\u660E\u8F69",
      "\u5609\u8C6A",
      "\u5B66\u6587",
      "\u7EE7\u5E73",
      "\u5B8F\u4F1F",
      "\u65B0\u6C11",
      "\u5B88\u4EC1"
    ];
    GIVEN_F = [
      "\u79C0\u6885",
      "\u4E3D\u534E",
      "\u6653\u71D5",
      "\u5A77",
      "\u9759",
      "\u654F",
      "\u82B3",
      "\u5A1C",
      "\u4E3D",
      "\u8273",
      "\u971E",
      "\u6167",
      "\u6D01",
      "\u9896",
      "\u5029",
      "\u96EA",
      "\u7433",
      "\u6676",
      "\u7389\u5170",
      "\u6842\u82F1",
      "\u6625\u6885",
      "\u6D77\u71D5",
      "\u7EA2\u971E",
      "\u96C5\u7434",
      "\u6587\u9759",
      "\u6653\u4E3D",
      "\u601D\u96E8",
      "\u6B23\u6021",
      "\u6893\u6DB5",
      "\u96E8\u6850",
      "\u4F73\u6021",
      "\u8BD7\u6DB5",
      "\u6DD1\u82AC",
      "\u7F8E\u73B2",
      "\u4E3D\u5A1F",
      "\u6653\u7EA2",
      "\u79CB\u6708",
      "\u51E4\u82F1",
      "\u6708\u5A25",
      "\u6167\u654F"
    ];
    CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
    pad = (n, width) => String(n).padStart(width, "0");
  }
});

// src/server/seed/profiles.ts
function qualityFactor(location, tags, ownership) {
  let q = { urban: 1, county_town: 0.78, township: 0.55, village: 0.34 }[location] ?? 0.6;
  if (tags.includes("quality")) q += 0.15;
  if (tags.includes("weak")) q -= 0.12;
  if (ownership === "private") q += 0.03;
  return Math.max(0.2, Math.min(1.2, q));
}
function schoolSize(rng, type, location, tags) {
  const byLoc = STUDENTS[type] ?? STUDENTS.primary;
  let [lo, hi] = byLoc[location] ?? byLoc.county_town ?? [300, 800];
  if (tags.includes("new")) hi = Math.round(lo + (hi - lo) * 0.6);
  if (tags.includes("small") && type !== "teaching_point" && type !== "special") hi = Math.min(hi, Math.max(lo + 20, 200));
  if (tags.includes("small")) lo = Math.min(lo, Math.round(hi * 0.5));
  const students = rng.int(lo, hi);
  const [r0, r1] = STUDENT_TEACHER[type] ?? [15, 18];
  let ratio = rng.range(r0, r1);
  if (location === "village" && type !== "teaching_point") ratio *= 0.8;
  const teachers = Math.max(2, Math.round(students / ratio));
  const size = type === "primary" && location === "village" ? 20 : CLASS_SIZE[type] ?? 40;
  const classes = Math.max(1, Math.ceil(students / size));
  return { students, teachers, classes };
}
function indicatorValues(rng, school2, size, growth = 1) {
  const q = qualityFactor(school2.location, school2.tags, school2.ownership);
  const isNew = school2.tags.includes("new");
  const jitter = () => rng.range(0.92, 1.08);
  const { students, teachers } = size;
  const share = (x) => Math.max(0, Math.min(1, x));
  const teachersAboveDegree = Math.round(teachers * share((0.18 + 0.75 * q) * jitter()));
  const keyTeachers = Math.round(teachers * share((0.01 + (isNew ? 0.12 : 0.24) * q) * jitter()));
  const peArt = Math.round(teachers * share((0.05 + 0.11 * q) * jitter()));
  const facility = isNew ? q + 0.2 : q;
  const teachingArea = students * (2.8 + 4.2 * facility) * jitter() * growth;
  const sportsArea = students * (2.2 + 5.6 * facility) * jitter() * growth;
  const equipment = students * (400 + 4200 * facility) * jitter() * growth;
  const multimedia = Math.round(students * (0.4 + 2.8 * facility) / 100 * jitter() * growth);
  const booksPer = school2.type === "kindergarten" ? 8 + 10 * q : 14 + 32 * q;
  const books = Math.round(students * booksPer * jitter() * growth / 10) * 10;
  return {
    students,
    teachers,
    teachers_above_degree: teachersAboveDegree,
    key_teachers: keyTeachers,
    pe_art_teachers: peArt,
    teaching_area_m2: round12(teachingArea),
    sports_area_m2: round12(sportsArea),
    equipment_value_yuan: Math.round(equipment / 100) * 100,
    multimedia_rooms: Math.max(students >= 40 ? 1 : 0, multimedia),
    books
  };
}
var STUDENTS, CLASS_SIZE, STUDENT_TEACHER, round12;
var init_profiles = __esm({
  "src/server/seed/profiles.ts"() {
    "use strict";
    STUDENTS = {
      primary: { urban: [1500, 3e3], county_town: [1e3, 2200], township: [400, 1e3], village: [60, 260] },
      junior: { urban: [1200, 2400], county_town: [1e3, 2e3], township: [400, 900], village: [150, 400] },
      nine_year: { urban: [1500, 2800], county_town: [1e3, 2e3], township: [450, 1200], village: [150, 450] },
      complete_secondary: { urban: [2600, 4200], county_town: [1800, 3200], township: [900, 1600], village: [600, 1e3] },
      senior: { urban: [2e3, 3600], county_town: [1500, 3e3], township: [800, 1500], village: [600, 1e3] },
      twelve_year: { urban: [2200, 3800], county_town: [1500, 2600], township: [800, 1500], village: [500, 900] },
      vocational: { urban: [1800, 3200], county_town: [1e3, 2200], township: [600, 1200], village: [400, 800] },
      special: { urban: [150, 320], county_town: [60, 180], township: [40, 100], village: [30, 80] },
      kindergarten: { urban: [300, 600], county_town: [220, 450], township: [100, 300], village: [30, 90] },
      teaching_point: { urban: [40, 120], county_town: [30, 100], township: [25, 90], village: [20, 80] }
    };
    CLASS_SIZE = {
      primary: 45,
      junior: 48,
      nine_year: 46,
      complete_secondary: 50,
      senior: 50,
      twelve_year: 45,
      vocational: 45,
      special: 10,
      kindergarten: 30,
      teaching_point: 12
    };
    STUDENT_TEACHER = {
      primary: [16, 19],
      junior: [12, 13.5],
      nine_year: [13, 15],
      complete_secondary: [12, 13],
      senior: [12, 13],
      twelve_year: [12, 14],
      vocational: [17, 20],
      special: [3, 4],
      kindergarten: [9, 12],
      teaching_point: [10, 14]
    };
    round12 = (n) => Math.round(n * 10) / 10;
  }
});

// src/server/seed/texts.ts
function charterMarkdown(c) {
  const kindZh = ALLIANCE_KINDS.label(c.kind);
  const patternZh = ALLIANCE_PATTERNS.label(c.pattern);
  const fusion = c.kind === "fusion";
  const revised = c.version > 1 ? `\uFF08${cnDate(c.effectiveFrom)}\u4FEE\u8BA2\uFF0C\u7B2C${c.version}\u7248\uFF09` : "";
  const lines = [
    `# ${c.allianceName}\u7AE0\u7A0B${revised}`,
    "",
    "## \u7B2C\u4E00\u7AE0 \u603B\u5219",
    "",
    `\u7B2C\u4E00\u6761 \u4E3A\u63A8\u8FDB${c.regionName}\u4E49\u52A1\u6559\u80B2\u4F18\u8D28\u5747\u8861\u53D1\u5C55\uFF0C\u6269\u5927\u4F18\u8D28\u6559\u80B2\u8D44\u6E90\u8986\u76D6\u9762\uFF0C\u6839\u636E\u56FD\u5BB6\u548C\u7701\u6709\u5173\u96C6\u56E2\u5316\u529E\u5B66\u3001\u5B66\u6821\u8054\u76DF\u5EFA\u8BBE\u7684\u653F\u7B56\u8981\u6C42\uFF0C\u7ED3\u5408\u672C\u5730\u5B9E\u9645\uFF0C\u5236\u5B9A\u672C\u7AE0\u7A0B\u3002`,
    `\u7B2C\u4E8C\u6761 \u672C${fusion ? "\u96C6\u56E2" : "\u8054\u76DF"}\u540D\u79F0\u4E3A\u201C${c.allianceName}\u201D\uFF0C\u529E\u5B66\u5F62\u5F0F\u4E3A${kindZh}\uFF0C\u7ED3\u5BF9\u6A21\u5F0F\u4E3A${patternZh}\uFF0C\u6210\u7ACB\u4E8E${cnDate(c.foundedOn)}\u3002`,
    `\u7B2C\u4E09\u6761 \u672C${fusion ? "\u96C6\u56E2" : "\u8054\u76DF"}\u4EE5${c.coreSchool}\u4E3A\u6838\u5FC3\u6821\uFF08\u9886\u8854\u6821\uFF09\uFF0C\u6210\u5458\u6821\u5305\u62EC\uFF1A${c.members.join("\u3001") || "\uFF08\u5F85\u5438\u7EB3\uFF09"}\u3002`,
    "\u7B2C\u56DB\u6761 \u575A\u6301\u201C\u8D44\u6E90\u5171\u4EAB\u3001\u4F18\u52BF\u4E92\u8865\u3001\u534F\u540C\u53D1\u5C55\u3001\u5171\u540C\u63D0\u9AD8\u201D\u7684\u539F\u5219\uFF0C\u5B9E\u884C\u7406\u5FF5\u5171\u4EAB\u3001\u7BA1\u7406\u5171\u8FDB\u3001\u6559\u5B66\u5171\u7814\u3001\u5E08\u8D44\u5171\u80B2\u3001\u6587\u5316\u5171\u5EFA\u3001\u8D28\u91CF\u5171\u8BC4\u3002",
    "",
    "## \u7B2C\u4E8C\u7AE0 \u7EC4\u7EC7\u673A\u6784",
    "",
    "\u7B2C\u4E94\u6761 \u8BBE\u7ACB\u7406\u4E8B\u4F1A\uFF0C\u4E3A\u6700\u9AD8\u51B3\u7B56\u673A\u6784\u3002\u7406\u4E8B\u957F\u7531\u6838\u5FC3\u6821\u6821\u957F\u62C5\u4EFB\uFF0C\u7406\u4E8B\u7531\u5404\u6210\u5458\u6821\u6821\u957F\u62C5\u4EFB\uFF0C\u6BCF\u5C4A\u4EFB\u671F\u4E09\u5E74\u3002",
    "\u7B2C\u516D\u6761 \u8BBE\u7ACB\u76D1\u4E8B\u4F1A\uFF0C\u5BF9\u7406\u4E8B\u4F1A\u51B3\u8BAE\u6267\u884C\u60C5\u51B5\u548C\u7ECF\u8D39\u4F7F\u7528\u60C5\u51B5\u8FDB\u884C\u76D1\u7763\uFF0C\u76D1\u4E8B\u957F\u7531\u6559\u80B2\u884C\u653F\u90E8\u95E8\u63A8\u8350\u4EBA\u9009\u62C5\u4EFB\u3002",
    "\u7B2C\u4E03\u6761 \u7406\u4E8B\u4F1A\u4E0B\u8BBE\u79D8\u4E66\u5904\uFF0C\u8D1F\u8D23\u65E5\u5E38\u4E8B\u52A1\u3001\u4F1A\u8BAE\u7EC4\u7EC7\u3001\u4FE1\u606F\u62A5\u9001\u548C\u5E73\u53F0\u8FD0\u884C\uFF1B\u79D8\u4E66\u957F\u7531\u7406\u4E8B\u4F1A\u8058\u4EFB\u3002",
    "\u7B2C\u516B\u6761 \u8BBE\u7ACB\u4E13\u5BB6\u59D4\u5458\u4F1A\u548C\u82E5\u5E72\u5B66\u79D1\u5DE5\u4F5C\u7EC4\uFF08\u5B66\u79D1\u6559\u7814\u4E2D\u5FC3\uFF09\uFF0C\u7531\u627F\u529E\u5B66\u6821\u7275\u5934\u5F00\u5C55\u8054\u5408\u6559\u7814\u3001\u8BFE\u7A0B\u5EFA\u8BBE\u548C\u8D28\u91CF\u8BC4\u4EF7\u3002",
    "",
    "## \u7B2C\u4E09\u7AE0 \u6210\u5458\u6821\u7684\u6743\u5229\u4E0E\u4E49\u52A1",
    "",
    "\u7B2C\u4E5D\u6761 \u6210\u5458\u6821\u6709\u6743\u5171\u4EAB\u8BFE\u7A0B\u8D44\u6E90\u3001\u4E13\u7528\u6559\u5BA4\u3001\u5B9E\u9A8C\u5BA4\u548C\u4F53\u80B2\u827A\u672F\u573A\u9986\uFF0C\u6709\u6743\u53C2\u52A0\u8054\u5408\u6559\u7814\u3001\u8DE8\u6821\u57F9\u8BAD\u548C\u8BC4\u4F18\u6D3B\u52A8\u3002",
    "\u7B2C\u5341\u6761 \u6210\u5458\u6821\u5E94\u6309\u8BA1\u5212\u9009\u6D3E\u6559\u5E08\u4EA4\u6D41\u8F6E\u5C97\uFF0C\u6838\u5FC3\u6821\u6BCF\u5E74\u6D3E\u51FA\u9AA8\u5E72\u6559\u5E08\u6BD4\u4F8B\u4E0D\u4F4E\u4E8E\u672C\u6821\u9AA8\u5E72\u6559\u5E08\u603B\u6570\u768410%\u3002",
    "\u7B2C\u5341\u4E00\u6761 \u5404\u5B66\u79D1\u5DE5\u4F5C\u7EC4\u6BCF\u6708\u5F00\u5C55\u8054\u5408\u6559\u7814\u6D3B\u52A8\u4E0D\u5C11\u4E8E2\u6B21\uFF0C\u6210\u5458\u6821\u5E94\u4FDD\u8BC1\u6559\u5E08\u53C2\u52A0\u3002",
    "\u7B2C\u5341\u4E8C\u6761 \u6210\u5458\u6821\u5E94\u5982\u5B9E\u586B\u62A5\u529E\u5B66\u6761\u4EF6\u548C\u8D28\u91CF\u6570\u636E\uFF0C\u6309\u65F6\u5B8C\u6210\u9636\u6BB5\u6027\u76EE\u6807\u4EFB\u52A1\uFF0C\u63A5\u53D7\u5E74\u5EA6\u8003\u6838\u4E0E\u4E24\u5E74\u4E00\u6B21\u7684\u590D\u8BC4\u3002",
    "\u7B2C\u5341\u4E09\u6761 \u65B0\u6210\u5458\u52A0\u5165\u987B\u7ECF\u672C\u4EBA\u7533\u8BF7\u3001\u8054\u76DF\u8BC4\u4F30\u3001\u7406\u4E8B\u4F1A\u63A8\u8350\u548C\u6559\u80B2\u5C40\u5BA1\u6279\uFF1B\u6210\u5458\u6821\u9000\u51FA\u987B\u8BF4\u660E\u7406\u7531\u5E76\u7ECF\u7406\u4E8B\u4F1A\u6216\u6559\u80B2\u5C40\u51B3\u5B9A\u3002",
    "",
    "## \u7B2C\u56DB\u7AE0 \u7ECF\u8D39",
    "",
    `\u7B2C\u5341\u56DB\u6761 \u8FD0\u884C\u7ECF\u8D39\u7531\u8D22\u653F\u4E13\u9879\u8D44\u91D1\u3001\u6210\u5458\u6821\u6309\u5728\u6821\u751F\u4EBA\u6570\u5206\u62C5\u7ECF\u8D39\u548C\u793E\u4F1A\u6350\u52A9\u6784\u6210\uFF0C\u5206\u62C5\u6807\u51C6\u4E3A\u6BCF\u751F\u6BCF\u5E74${c.costShare[0]}\u2014${c.costShare[1]}\u5143\u3002`,
    "\u7B2C\u5341\u4E94\u6761 \u7ECF\u8D39\u5B9E\u884C\u4E13\u8D26\u7BA1\u7406\u3001\u4E13\u6B3E\u4E13\u7528\uFF0C\u4E3B\u8981\u7528\u4E8E\u8054\u5408\u6559\u7814\u3001\u6559\u5E08\u4EA4\u6D41\u8865\u52A9\u3001\u8BFE\u7A0B\u5F00\u53D1\u548C\u5B66\u751F\u8DE8\u6821\u6D3B\u52A8\uFF0C\u6BCF\u5E74\u5411\u7406\u4E8B\u4F1A\u548C\u76D1\u4E8B\u4F1A\u62A5\u544A\u4F7F\u7528\u60C5\u51B5\u3002",
    "\u7B2C\u5341\u516D\u6761 \u8D44\u6E90\u63D0\u4F9B\u65B9\u6309\u5171\u4EAB\u79EF\u5206\u89C4\u5219\u83B7\u5F97\u6FC0\u52B1\uFF0C\u79EF\u5206\u7ED3\u679C\u7EB3\u5165\u5B66\u6821\u5E74\u5EA6\u8003\u6838\u548C\u6559\u5E08\u8BC4\u4F18\u8BC4\u5148\u3002",
    "",
    "## \u7B2C\u4E94\u7AE0 \u9644\u5219",
    "",
    "\u7B2C\u5341\u4E03\u6761 \u672C\u7AE0\u7A0B\u7ECF\u7406\u4E8B\u4F1A\u5BA1\u8BAE\u901A\u8FC7\uFF0C\u62A5\u6559\u80B2\u884C\u653F\u90E8\u95E8\u5907\u6848\u540E\u65BD\u884C\u3002",
    "\u7B2C\u5341\u516B\u6761 \u672C\u7AE0\u7A0B\u7684\u4FEE\u8BA2\u7531\u7406\u4E8B\u4F1A\u4E09\u5206\u4E4B\u4E8C\u4EE5\u4E0A\u7406\u4E8B\u540C\u610F\u3002",
    `\u7B2C\u5341\u4E5D\u6761 \u672C\u7AE0\u7A0B\u7531${c.allianceName}\u7406\u4E8B\u4F1A\u8D1F\u8D23\u89E3\u91CA\uFF0C\u81EA${cnDate(c.effectiveFrom)}\u8D77\u65BD\u884C\u3002`,
    ""
  ];
  if (c.version > 1) {
    lines.splice(
      lines.indexOf("## \u7B2C\u56DB\u7AE0 \u7ECF\u8D39") - 1,
      0,
      "\u7B2C\u5341\u4E09\u6761\u4E4B\u4E00 \u5EFA\u7ACB\u6210\u5458\u6821\u52A8\u6001\u8C03\u6574\u673A\u5236\uFF1A\u8FDE\u7EED\u4E24\u6B21\u590D\u8BC4\u4E3A\u201C\u8584\u5F31\u201D\u7684\u6210\u5458\u6821\uFF0C\u7531\u7406\u4E8B\u4F1A\u63D0\u51FA\u6574\u6539\u610F\u89C1\u6216\u8C03\u6574\u5EFA\u8BAE\u3002"
    );
  }
  return lines.join("\n");
}
function agreementMarkdown(a) {
  return [
    `# ${a.title}`,
    "",
    `\u7532\u65B9\uFF08\u6838\u5FC3\u6821\uFF09\uFF1A${a.coreSchool}`,
    `\u4E59\u65B9\uFF08\u6210\u5458\u6821\uFF09\uFF1A${a.members.join("\u3001") || "\uFF08\u5F85\u5438\u7EB3\uFF09"}`,
    "",
    `\u4E3A\u6DF1\u5316${a.allianceName}\u5EFA\u8BBE\uFF0C\u4FC3\u8FDB\u4F18\u8D28\u6559\u80B2\u8D44\u6E90\u5171\u5EFA\u5171\u4EAB\uFF0C\u7ECF\u5404\u65B9\u534F\u5546\u4E00\u81F4\uFF0C\u7B7E\u8BA2\u672C\u534F\u8BAE\u3002`,
    "",
    "## \u4E00\u3001\u5408\u4F5C\u671F\u9650",
    "",
    `\u81EA${cnDate(a.from)}\u8D77\u81F3${cnDate(a.to)}\u6B62\uFF0C\u5171\u4E09\u5E74\u3002`,
    "",
    "## \u4E8C\u3001\u91CF\u5316\u76EE\u6807",
    "",
    ...a.terms.map((t, i) => `${i + 1}. ${TERM_KINDS.label(t.kind).replace(/\(.*\)$/, "")}${opText(t)}${t.note ? `\uFF08${t.note}\uFF09` : ""}\u3002`),
    "",
    "## \u4E09\u3001\u53CC\u65B9\u8D23\u4EFB",
    "",
    "1. \u7532\u65B9\u8D1F\u8D23\u8F93\u51FA\u7BA1\u7406\u7ECF\u9A8C\u3001\u8BFE\u7A0B\u8D44\u6E90\u548C\u9AA8\u5E72\u6559\u5E08\uFF0C\u7275\u5934\u7EC4\u7EC7\u8054\u5408\u6559\u7814\u4E0E\u8D28\u91CF\u76D1\u6D4B\u3002",
    "2. \u4E59\u65B9\u8D1F\u8D23\u9009\u6D3E\u6559\u5E08\u8DDF\u5C97\u5B66\u4E60\uFF0C\u5F00\u653E\u672C\u6821\u7279\u8272\u8D44\u6E90\uFF0C\u6309\u65F6\u62A5\u9001\u529E\u5B66\u6570\u636E\u3002",
    "",
    "## \u56DB\u3001\u8003\u6838\u4E0E\u8C03\u6574",
    "",
    "\u6BCF\u5B66\u5E74\u672B\u7531\u7406\u4E8B\u4F1A\u7EC4\u7EC7\u8003\u6838\uFF0C\u8003\u6838\u7ED3\u679C\u62A5\u6559\u80B2\u5C40\u5907\u6848\uFF1B\u672A\u8FBE\u6210\u76EE\u6807\u7684\uFF0C\u7531\u79D8\u4E66\u5904\u7763\u4FC3\u6574\u6539\u3002",
    ""
  ].join("\n");
}
var cnDate, opText;
var init_texts = __esm({
  "src/server/seed/texts.ts"() {
    "use strict";
    init_vocab();
    cnDate = (d) => {
      const [y, m, day] = d.split("-").map(Number);
      return `${y}\u5E74${m}\u6708${day}\u65E5`;
    };
    opText = (t) => {
      const unit = t.unit ?? "";
      if (t.op === "between") return `${t.value}\u2014${t.value2}${unit}`;
      const op = { ">=": "\u4E0D\u4F4E\u4E8E", "<=": "\u4E0D\u9AD8\u4E8E", "=": "\u4E3A" }[t.op];
      return `${op}${t.value}${unit}`;
    };
  }
});

// src/server/seed/demo-data.ts
function buildDemo(today2, passwordHash) {
  const Y = yearOf(today2);
  const setupDay = addMonths2(today2, -30);
  const setupAt = instant(setupDay);
  const data = {
    regions: [],
    schools: [],
    indicators: [],
    partners: [],
    alliances: [],
    members: [],
    alliancePartners: [],
    bodies: [],
    bodyMembers: [],
    documents: [],
    versions: [],
    milestones: [],
    assessments: [],
    applications: [],
    decisions: [],
    users: [],
    grants: [],
    files: []
  };
  data.regions.push({ id: PROVINCE.id, parent_id: null, level: "province", code: PROVINCE.code, name: PROVINCE.name, created_at: setupAt });
  data.regions.push({ id: CITY.id, parent_id: PROVINCE.id, level: "city", code: CITY.code, name: CITY.name, created_at: setupAt });
  for (const d of Object.values(DISTRICTS)) {
    data.regions.push({ id: d.id, parent_id: CITY.id, level: "district", code: d.code, name: d.name, created_at: setupAt });
  }
  const schoolByKey = /* @__PURE__ */ new Map();
  const serialByDistrict = /* @__PURE__ */ new Map();
  const rngSchools = new Rng("demo/schools");
  const rngInd = new Rng("demo/indicators");
  const indicatorYears = [Y - 2, Y - 1];
  SCHOOLS.forEach((s, i) => {
    const d = DISTRICTS[s.d];
    const serial = (serialByDistrict.get(s.d) ?? 0) + 1;
    serialByDistrict.set(s.d, serial);
    const tags = s.tags ?? [];
    const ownership = s.own ?? "public";
    const size = schoolSize(rngSchools, s.type, s.loc, tags);
    const spread = { urban: 0.04, county_town: 0.03, township: 0.14, village: 0.2 }[s.loc];
    const lat = Math.round((d.lat + rngSchools.range(-spread, spread)) * 1e6) / 1e6;
    const lng = Math.round((d.lng + rngSchools.range(-spread, spread) * 1.2) * 1e6) / 1e6;
    const county = d.prefix;
    const address = s.loc === "village" ? `${county}${s.town}${s.village}` : s.loc === "township" ? `${county}${s.town}${rngSchools.pick(["\u4E2D\u5FC3\u8857", "\u65B0\u8857", "\u8001\u8857", "\u5B66\u5802\u8DEF"])}${rngSchools.int(1, 88)}\u53F7` : s.loc === "county_town" ? `${county}\u57CE\u5173\u9547${rngSchools.pick(ROADS)}${rngSchools.int(1, 300)}\u53F7` : `${county}${rngSchools.pick(ROADS)}${rngSchools.int(1, 500)}\u53F7`;
    const principal = s.principal ?? personName(rngSchools);
    const phone = `0799-${rngSchools.int(2, 8)}${rngSchools.digits(6)}`;
    const id = `s_${pad(i + 1, 5)}`;
    const row = {
      id,
      region_id: d.id,
      code: schoolCode(d.code, serial),
      credit_code: creditCode(ownership, d.code, i + 1),
      name: s.name,
      short_name: s.short ?? null,
      type: s.type,
      ownership,
      location: s.loc,
      tags: JSON.stringify(tags),
      address,
      lat,
      lng,
      principal,
      phone,
      founded_year: s.founded,
      students: size.students,
      teachers: size.teachers,
      classes: size.classes,
      created_at: setupAt,
      updated_at: instant(minDate(`${Y}-01-15`, today2), 90)
    };
    data.schools.push(row);
    schoolByKey.set(s.k, { ...row, spec: s });
    for (const year of indicatorYears) {
      const latest = year === Y - 1;
      const growth = latest ? 1 : rngInd.range(0.9, 0.97);
      const students = latest ? size.students : Math.max(1, Math.round(size.students * rngInd.range(0.95, 1.04)));
      const teachers = latest ? size.teachers : Math.max(1, Math.round(size.teachers * rngInd.range(0.95, 1.02)));
      const values = indicatorValues(rngInd, { type: s.type, location: s.loc, tags, ownership }, { students, teachers }, growth);
      data.indicators.push({
        school_id: id,
        year,
        ...values,
        updated_by: null,
        updated_at: instant(minDate(`${year + 1}-01-15`, today2), 90)
      });
    }
  });
  const school2 = (k) => {
    const s = schoolByKey.get(k);
    if (!s) throw new Error(`demo seed: unknown school ${k}`);
    return s;
  };
  const rngUsers = new Rng("demo/users");
  const userById = /* @__PURE__ */ new Map();
  let grantSerial = 0;
  const addUser = (u) => {
    const row = {
      id: u.id,
      username: u.username,
      display_name: u.name,
      email: u.email ? `${u.username}@demo.xiaolian.local` : null,
      phone: null,
      password_hash: passwordHash,
      must_change_password: 0,
      password_changed_at: instant(today2),
      school_id: u.schoolId ?? null,
      region_id: u.regionId,
      locale: "zh-CN",
      status: "active",
      failed_logins: 0,
      locked_until: null,
      oidc_subject: null,
      last_login_at: null,
      created_at: setupAt,
      updated_at: setupAt
    };
    data.users.push(row);
    userById.set(row.id, row);
    return row;
  };
  const grant = (userId, role, scopeId, subject = null) => {
    grantSerial++;
    data.grants.push({
      id: `g_${pad(grantSerial, 5)}`,
      user_id: userId,
      role,
      scope_type: ROLE_SCOPE[role],
      scope_id: scopeId,
      subject,
      granted_by: null,
      granted_at: setupAt
    });
  };
  const a0 = "a_0001";
  const core0 = school2("lcsx");
  const rural = school2("qs_smx");
  const teacherSchool = school2("cd_xc");
  addUser({ id: "u_admin", username: "admin", name: "\u8D75\u5FD7\u8FDC", regionId: PROVINCE.id, email: true });
  grant("u_admin", "platform_admin", null);
  addUser({ id: "u_bureau", username: "bureau", name: "\u738B\u5EFA\u56FD", regionId: CITY.id, email: true });
  grant("u_bureau", "bureau_admin", CITY.id);
  addUser({ id: "u_secretary", username: "secretary", name: ALLIANCES[0].secretaryName, schoolId: core0.id, regionId: CITY.id, email: true });
  grant("u_secretary", "alliance_admin", a0);
  addUser({ id: "u_principal", username: "principal", name: core0.principal, schoolId: core0.id, regionId: core0.region_id, email: true });
  grant("u_principal", "school_admin", core0.id);
  addUser({ id: "u_principal2", username: "principal2", name: rural.principal, schoolId: rural.id, regionId: rural.region_id, email: true });
  grant("u_principal2", "school_admin", rural.id);
  addUser({ id: "u_teacher", username: "teacher", name: "\u9648\u6653\u71D5", schoolId: teacherSchool.id, regionId: teacherSchool.region_id, email: true });
  grant("u_teacher", "teacher", teacherSchool.id);
  addUser({ id: "u_reviewer", username: "reviewer", name: "\u5468\u6587\u535A", schoolId: core0.id, regionId: core0.region_id, email: true });
  grant("u_reviewer", "reviewer", a0, "math");
  addUser({ id: "u_student", username: "student", name: "\u5F20\u5B50\u6DB5", schoolId: core0.id, regionId: core0.region_id, email: true });
  grant("u_student", "student", core0.id);
  addUser({ id: "u_guardian", username: "guardian", name: "\u5F20\u4F1F", schoolId: core0.id, regionId: core0.region_id, email: true });
  grant("u_guardian", "guardian", core0.id);
  addUser({ id: "u_partner", username: "partner", name: PARTNERS[0].contact, regionId: CITY.id, email: true });
  grant("u_partner", "partner", a0);
  addUser({ id: "u_evaluator", username: "evaluator", name: "\u90D1\u4E3D\u534E", regionId: CITY.id, email: true });
  grant("u_evaluator", "evaluator", CITY.id);
  const bureauOf = { [CITY.id]: "u_bureau" };
  for (const d of Object.values(DISTRICTS)) {
    const id = `u_${d.bureauUser}`;
    addUser({ id, username: d.bureauUser, name: d.bureauName, regionId: d.id });
    grant(id, "bureau_admin", d.id);
    bureauOf[d.id] = id;
  }
  const schoolAdminOf = /* @__PURE__ */ new Map();
  const teachersOf = /* @__PURE__ */ new Map();
  for (const s of data.schools) {
    const saId = `u_sa_${s.code}`;
    const hasDemoPrincipal = s.id === core0.id || s.id === rural.id;
    addUser({ id: saId, username: `sa_${s.code}`, name: hasDemoPrincipal ? personName(rngUsers) : s.principal, schoolId: s.id, regionId: s.region_id });
    grant(saId, "school_admin", s.id);
    schoolAdminOf.set(s.id, saId);
    const list = [];
    for (let n = 1; n <= 3; n++) {
      const id = `u_t_${s.code}_${n}`;
      list.push(addUser({ id, username: `t_${s.code}_${n}`, name: personName(rngUsers), schoolId: s.id, regionId: s.region_id }));
      grant(id, "teacher", s.id);
    }
    teachersOf.set(s.id, list);
  }
  schoolAdminOf.set(core0.id, "u_principal");
  schoolAdminOf.set(rural.id, "u_principal2");
  PARTNERS.forEach((p, i) => {
    data.partners.push({
      id: `p_${pad(i + 1, 4)}`,
      region_id: CITY.id,
      name: p.name,
      kind: p.kind,
      contact: p.contact,
      phone: `0799-${8e6 + i * 1111 + 345}`,
      description: p.description,
      created_at: setupAt
    });
  });
  const rngAll = new Rng("demo/alliances");
  const regionIdOf = (r) => r === "CITY" ? CITY.id : DISTRICTS[r].id;
  let memberSerial = 0;
  let bodySerial = 0;
  let bodyMemberSerial = 0;
  let docSerial = 0;
  let versionSerial = 0;
  let milestoneSerial = 0;
  let assessmentSerial = 0;
  const allianceIds = [];
  const secretaryOf = /* @__PURE__ */ new Map();
  const approvedJoins = /* @__PURE__ */ new Map();
  APPLICATIONS.forEach((a) => {
    if (a.status !== "approved") return;
    const on = addDays(today2, -a.daysAgo + 24);
    const list = approvedJoins.get(String(a.alliance)) ?? [];
    list.push({ school: a.school, on });
    approvedJoins.set(String(a.alliance), list);
  });
  ALLIANCES.forEach((a, ai) => {
    const id = `a_${pad(ai + 1, 4)}`;
    allianceIds.push(id);
    const regionId = regionIdOf(a.region);
    const cycleStart = monthStart(today2, -a.cycleMonthsAgo);
    const founded = a.foundedYearsAgo ? minDate(`${Y - a.foundedYearsAgo}-09-01`, cycleStart) : cycleStart;
    const assessed = a.assessments.map(([monthsAgo, score]) => ({ on: addDays(monthStart(today2, -monthsAgo), 14), score }));
    const last = assessed.length ? assessed[assessed.length - 1].on : null;
    const core = school2(a.core);
    const createdAt = instant(maxDate(founded, setupDay), 120);
    data.alliances.push({
      id,
      region_id: regionId,
      name: a.name,
      kind: a.kind,
      pattern: a.pattern,
      core_school_id: core.id,
      description: a.description,
      status: "active",
      founded_on: founded,
      cycle_start_on: cycleStart,
      last_assessed_on: last,
      created_at: createdAt,
      updated_at: instant(maxDate(last ?? founded, maxDate(cycleStart, setupDay)), 120)
    });
    let secretaryId = "u_secretary";
    if (ai > 0) {
      secretaryId = `u_sec_${id}`;
      addUser({ id: secretaryId, username: `sec_${id}`, name: a.secretaryName, schoolId: core.id, regionId });
      grant(secretaryId, "alliance_admin", id);
    }
    secretaryOf.set(id, secretaryId);
    const joinedOn = (k) => maxDate(founded, `${school2(k).founded_year}-09-01`);
    const addMember = (k, role, on, exit) => {
      memberSerial++;
      data.members.push({
        id: `m_${pad(memberSerial, 5)}`,
        alliance_id: id,
        school_id: school2(k).id,
        alliance_kind: a.kind,
        role,
        status: exit ? "exited" : "active",
        joined_on: on,
        exited_on: exit?.on ?? null,
        exit_reason: exit?.reason ?? null,
        exit_by: exit?.by ?? null,
        created_at: instant(maxDate(on, setupDay), 150)
      });
    };
    addMember(a.core, "core", founded);
    for (const k of a.members) addMember(k, "member", joinedOn(k));
    for (const e of a.exited ?? []) {
      const exitOn = monthStart(today2, -e.monthsAgo);
      addMember(e.k, "member", joinedOn(e.k) < exitOn ? joinedOn(e.k) : founded, {
        on: exitOn,
        reason: e.reason,
        by: e.by === "bureau" ? bureauOf[regionId] : secretaryId
      });
    }
    for (const j of approvedJoins.get(String(ai)) ?? []) addMember(j.school, "member", j.on);
    PARTNERS.forEach((p, pi) => {
      for (const [allianceIndex, offers] of p.offers) {
        if (allianceIndex !== ai) continue;
        data.alliancePartners.push({
          alliance_id: id,
          partner_id: `p_${pad(pi + 1, 4)}`,
          offers,
          joined_on: minDate(addMonths2(maxDate(founded, setupDay), rngAll.int(0, 3)), today2)
        });
      }
    });
    const termStart = cycleStart;
    const termEnd = addYears(termStart, 3);
    const bodyAt = instant(maxDate(termStart, setupDay), 180);
    const memberSchools = a.members.map(school2);
    const addBody = (kind, name, subject = null, host = null) => {
      bodySerial++;
      const bid = `gb_${pad(bodySerial, 4)}`;
      data.bodies.push({ id: bid, alliance_id: id, kind, name, subject, host_school_id: host, created_at: bodyAt });
      return bid;
    };
    const addBodyMember = (bodyId, person, position, schoolId, userId = null) => {
      bodyMemberSerial++;
      data.bodyMembers.push({
        id: `bm_${pad(bodyMemberSerial, 5)}`,
        body_id: bodyId,
        person_name: person,
        user_id: userId,
        school_id: schoolId,
        position,
        term_start: termStart,
        term_end: termEnd,
        created_at: bodyAt
      });
    };
    const council = addBody("council", "\u7406\u4E8B\u4F1A");
    addBodyMember(council, core.principal, "\u7406\u4E8B\u957F", core.id, schoolAdminOf.get(core.id) ?? null);
    memberSchools.forEach((m, mi) => addBodyMember(council, m.principal, mi === 0 ? "\u526F\u7406\u4E8B\u957F" : "\u7406\u4E8B", m.id, schoolAdminOf.get(m.id) ?? null));
    const supervisory = addBody("supervisory", "\u76D1\u4E8B\u4F1A");
    addBodyMember(supervisory, personName(rngAll), "\u76D1\u4E8B\u957F", null);
    for (const m of memberSchools.slice(0, 2)) addBodyMember(supervisory, personName(rngAll), "\u76D1\u4E8B", m.id);
    if (a.kind === "fusion") {
      const foundation = addBody("foundation", `${a.name.replace(/教育集团$/, "")}\u6559\u80B2\u53D1\u5C55\u57FA\u91D1\u4F1A`);
      addBodyMember(foundation, personName(rngAll), "\u7406\u4E8B\u957F", null);
      addBodyMember(foundation, personName(rngAll), "\u79D8\u4E66\u957F", core.id);
    }
    const secretariat = addBody("secretariat", "\u79D8\u4E66\u5904");
    addBodyMember(secretariat, a.secretaryName, "\u79D8\u4E66\u957F", core.id, secretaryId);
    addBodyMember(secretariat, personName(rngAll), "\u526F\u79D8\u4E66\u957F", memberSchools[0]?.id ?? core.id);
    addBodyMember(secretariat, personName(rngAll), "\u5E72\u4E8B", core.id);
    const experts = addBody("experts", "\u4E13\u5BB6\u59D4\u5458\u4F1A");
    addBodyMember(experts, personName(rngAll), "\u4E3B\u4EFB\u59D4\u5458", null);
    addBodyMember(experts, personName(rngAll), "\u59D4\u5458", null);
    addBodyMember(experts, teachersOf.get(core.id)[0].display_name, "\u59D4\u5458", core.id, teachersOf.get(core.id)[0].id);
    const hosts = [core, ...memberSchools];
    a.subjects.forEach((subject, si) => {
      const host = hosts[si % hosts.length];
      const label = SUBJECTS.label(subject);
      const g = addBody("subject_group", `${label}\u5B66\u79D1\u5DE5\u4F5C\u7EC4`, subject, host.id);
      const hostTeacher = teachersOf.get(host.id)[si % 3];
      addBodyMember(g, hostTeacher.display_name, "\u7EC4\u957F", host.id, hostTeacher.id);
      const other = hosts[(si + 1) % hosts.length];
      addBodyMember(g, teachersOf.get(other.id)[(si + 1) % 3].display_name, "\u526F\u7EC4\u957F", other.id, teachersOf.get(other.id)[(si + 1) % 3].id);
      addBodyMember(g, personName(rngAll), "\u6210\u5458", hosts[(si + 2) % hosts.length].id);
    });
    const memberNames = memberSchools.map((m) => m.name);
    const docBy = ai === 0 ? "u_secretary" : secretaryId;
    const regionName = a.region === "CITY" ? CITY.name : `${CITY.name}${DISTRICTS[a.region].name}`;
    docSerial++;
    const charterId = `d_${pad(docSerial, 4)}`;
    const charterDates = a.charterVersions === 2 ? [founded, cycleStart === founded ? addMonths2(founded, 3) : cycleStart] : [founded];
    data.documents.push({
      id: charterId,
      alliance_id: id,
      kind: "charter",
      title: `${a.name}\u7AE0\u7A0B`,
      current_version: charterDates.length,
      created_by: docBy,
      created_at: instant(maxDate(founded, setupDay), 200),
      updated_at: instant(maxDate(charterDates[charterDates.length - 1], setupDay), 200)
    });
    charterDates.forEach((from, vi) => {
      const version = vi + 1;
      versionSerial++;
      const vid = `dv_${pad(versionSerial, 4)}`;
      const body = charterMarkdown({
        allianceName: a.name,
        kind: a.kind,
        pattern: a.pattern,
        coreSchool: core.name,
        members: memberNames,
        regionName,
        foundedOn: founded,
        version,
        effectiveFrom: from,
        costShare: a.costShare
      });
      const key = `documents/${charterId}/v${version}.md`;
      data.files.push({ key, body: Buffer.from(body, "utf8"), versionId: vid });
      const terms = [
        { kind: "key_teacher_exchange_pct", op: ">=", value: 10, unit: "%" },
        { kind: "joint_research_per_month", op: ">=", value: 2 }
      ];
      if (version > 1) terms.push({ kind: "cost_share_per_student", op: "between", value: a.costShare[0], value2: a.costShare[1], unit: "\u5143/\u751F/\u5E74" });
      data.versions.push({
        id: vid,
        document_id: charterId,
        version,
        file_key: key,
        file_name: version > 1 ? `${a.name}\u7AE0\u7A0B\uFF08\u4FEE\u8BA2\uFF09.md` : `${a.name}\u7AE0\u7A0B.md`,
        file_size: null,
        mime: "text/markdown; charset=utf-8",
        sha256: null,
        terms: JSON.stringify(terms),
        effective_from: from,
        effective_to: vi + 1 < charterDates.length ? addDays(charterDates[vi + 1], -1) : null,
        note: version > 1 ? "\u589E\u52A0\u6210\u5458\u6821\u52A8\u6001\u8C03\u6574\u6761\u6B3E\uFF0C\u660E\u786E\u7ECF\u8D39\u5206\u62C5\u6807\u51C6" : "\u7406\u4E8B\u4F1A\u5BA1\u8BAE\u901A\u8FC7",
        created_by: docBy,
        created_at: instant(maxDate(from, setupDay), 210)
      });
    });
    docSerial++;
    const agreementId = `d_${pad(docSerial, 4)}`;
    const agreementTo = addDays(addYears(cycleStart, 3), -1);
    const agreementTitle = `${a.name}${a.agreementKind === "development" ? "\u53D1\u5C55\u534F\u8BAE\u4E66" : "\u5408\u4F5C\u534F\u8BAE"}\uFF08${yearOf(cycleStart)}\u2014${yearOf(cycleStart) + 3}\u5E74\uFF09`;
    data.documents.push({
      id: agreementId,
      alliance_id: id,
      kind: a.agreementKind,
      title: agreementTitle,
      current_version: 1,
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 220),
      updated_at: instant(maxDate(cycleStart, setupDay), 220)
    });
    versionSerial++;
    const avid = `dv_${pad(versionSerial, 4)}`;
    const akey = `documents/${agreementId}/v1.md`;
    data.files.push({
      key: akey,
      body: Buffer.from(
        agreementMarkdown({ title: agreementTitle, allianceName: a.name, coreSchool: core.name, members: memberNames, from: cycleStart, to: agreementTo, terms: a.terms }),
        "utf8"
      ),
      versionId: avid
    });
    data.versions.push({
      id: avid,
      document_id: agreementId,
      version: 1,
      file_key: akey,
      file_name: `${a.agreementKind === "development" ? "\u53D1\u5C55\u534F\u8BAE\u4E66" : "\u5408\u4F5C\u534F\u8BAE"}.md`,
      file_size: null,
      mime: "text/markdown; charset=utf-8",
      sha256: null,
      terms: JSON.stringify(a.terms),
      effective_from: cycleStart,
      effective_to: agreementTo,
      note: "\u4E09\u5E74\u671F\u534F\u8BAE",
      created_by: docBy,
      created_at: instant(maxDate(cycleStart, setupDay), 230)
    });
    const rngMs = new Rng(`demo/milestones/${ai}`);
    const forcedLate = ai === 3 ? 2 : ai === 0 ? 1 : 0;
    const overdue = MILESTONES.map(([, months]) => addMonths2(cycleStart, months)).filter((due) => due < today2);
    MILESTONES.forEach(([phase, months, title], mi) => {
      const due = addMonths2(cycleStart, months);
      let done = null;
      if (due < today2) {
        const lastOverdue = overdue.length - mi <= forcedLate;
        if (lastOverdue) {
          done = null;
        } else if (rngMs.chance(0.2)) {
          done = minDate(addDays(due, rngMs.int(8, 40)), addDays(today2, -1));
        } else {
          done = addDays(due, -rngMs.int(0, 20));
        }
      } else if (addDays(due, -45) < today2 && rngMs.chance(0.3)) {
        done = minDate(addDays(due, -rngMs.int(10, 40)), addDays(today2, -1));
      }
      milestoneSerial++;
      data.milestones.push({
        id: `ms_${pad(milestoneSerial, 4)}`,
        alliance_id: id,
        phase,
        title,
        due_on: due,
        done_on: done,
        created_at: instant(maxDate(cycleStart, setupDay), 240)
      });
    });
    for (const { on, score } of assessed) {
      assessmentSerial++;
      const result = score >= 90 ? "excellent" : score >= 80 ? "good" : score >= 60 ? "pass" : "weak";
      const comment = {
        excellent: "\u8D44\u6E90\u5171\u4EAB\u4E0E\u6559\u5E08\u4EA4\u6D41\u6210\u6548\u663E\u8457\uFF0C\u6210\u5458\u6821\u8D28\u91CF\u6574\u4F53\u63D0\u5347\uFF0C\u5EFA\u8BAE\u603B\u7ED3\u63A8\u5E7F\u3002",
        good: "\u673A\u5236\u8FD0\u884C\u89C4\u8303\uFF0C\u8054\u5408\u6559\u7814\u5E38\u6001\u5316\uFF1B\u6210\u5458\u6821\u95F4\u53D1\u5C55\u4ECD\u4E0D\u5747\u8861\u3002",
        pass: "\u57FA\u672C\u5B8C\u6210\u5E74\u5EA6\u4EFB\u52A1\uFF0C\u8BFE\u7A0B\u5171\u4EAB\u4E0E\u5B66\u751F\u8DE8\u6821\u6D3B\u52A8\u8986\u76D6\u9762\u504F\u5C0F\u3002",
        weak: "\u9AA8\u5E72\u6559\u5E08\u4EA4\u6D41\u6BD4\u4F8B\u672A\u8FBE\u534F\u8BAE\u8981\u6C42\uFF0C\u8054\u5408\u6559\u7814\u6D41\u4E8E\u5F62\u5F0F\uFF0C\u9650\u671F\u6574\u6539\u5E76\u4E8E\u4E0B\u6B21\u590D\u8BC4\u91CD\u70B9\u6838\u67E5\u3002"
      }[result];
      data.assessments.push({
        id: `as_${pad(assessmentSerial, 4)}`,
        alliance_id: id,
        assessed_on: on,
        score,
        result,
        comment,
        assessed_by: "u_evaluator",
        created_at: instant(on, 300)
      });
    }
  });
  let decisionSerial = 0;
  APPLICATIONS.forEach((app, i) => {
    const allianceId = allianceIds[app.alliance];
    const alliance = data.alliances[app.alliance];
    const s = school2(app.school);
    const appId = `ma_${pad(i + 1, 4)}`;
    const applicant = schoolAdminOf.get(s.id);
    const secretary = secretaryOf.get(allianceId);
    const councilChair = schoolAdminOf.get(alliance.core_school_id);
    const bureau = bureauOf[alliance.region_id];
    const submitted = addDays(today2, -app.daysAgo);
    const steps = [
      { step: "submit", decision: "pass", actor: applicant, comment: null }
    ];
    const pass = {
      evaluate: { step: "evaluate", decision: "pass", actor: secretary, comment: "\u7ECF\u5B9E\u5730\u8BC4\u4F30\uFF0C\u7533\u8BF7\u6821\u529E\u5B66\u6761\u4EF6\u548C\u5408\u4F5C\u610F\u613F\u7B26\u5408\u8054\u76DF\u8981\u6C42\u3002" },
      recommend: { step: "recommend", decision: "pass", actor: councilChair, comment: "\u7406\u4E8B\u4F1A\u5BA1\u8BAE\u540C\u610F\uFF0C\u63A8\u8350\u62A5\u6559\u80B2\u5C40\u5BA1\u6279\u3002" },
      approve: { step: "approve", decision: "pass", actor: bureau, comment: "\u540C\u610F\u52A0\u5165\u3002" }
    };
    if (app.status === "evaluated") steps.push(pass.evaluate);
    if (app.status === "recommended") steps.push(pass.evaluate, pass.recommend);
    if (app.status === "approved") steps.push(pass.evaluate, pass.recommend, pass.approve);
    if (app.status === "rejected") {
      if (app.rejectedAt === "approve") steps.push(pass.evaluate, pass.recommend);
      steps.push({ step: "reject", decision: "fail", actor: app.rejectedAt === "approve" ? bureau : secretary, comment: app.rejectComment ?? null });
    }
    if (app.status === "withdrawn") steps.push({ step: "withdraw", decision: "pass", actor: applicant, comment: "\u5B66\u6821\u8C03\u6574\u5DE5\u4F5C\u8BA1\u5212\uFF0C\u4E3B\u52A8\u64A4\u56DE\u7533\u8BF7\u3002" });
    const stepDays = [0, 7, 15, 24];
    let at = "";
    steps.forEach((st, si) => {
      decisionSerial++;
      const day = addDays(submitted, app.status === "withdrawn" && si > 0 ? 5 : stepDays[Math.min(si, 3)]);
      at = instant(minDate(day, today2), 60 + si * 37 + i);
      data.decisions.push({
        id: `ad_${pad(decisionSerial, 4)}`,
        application_id: appId,
        step: st.step,
        decision: st.decision,
        comment: st.comment,
        actor_id: st.actor,
        actor_name: userById.get(st.actor)?.display_name ?? null,
        ip: null,
        at
      });
    });
    data.applications.push({
      id: appId,
      alliance_id: allianceId,
      school_id: s.id,
      status: app.status,
      reason: app.reason,
      applied_by: applicant,
      created_at: instant(submitted, 60 + i),
      updated_at: at
    });
  });
  return data;
}
var DEFAULT_TODAY, PROVINCE, CITY, DISTRICTS, SCHOOLS, ROADS, ALLIANCES, PARTNERS, APPLICATIONS, MILESTONES, DEMO_ACCOUNTS;
var init_demo_data = __esm({
  "src/server/seed/demo-data.ts"() {
    "use strict";
    init_vocab();
    init_random();
    init_profiles();
    init_texts();
    DEFAULT_TODAY = "2026-11-23";
    PROVINCE = { id: "r_0001", code: "390000", name: "\u6C5F\u5317\u7701" };
    CITY = { id: "r_0002", code: "390100", name: "\u4E34\u5DDD\u5E02" };
    DISTRICTS = {
      CD: { id: "r_0003", code: "390102", name: "\u57CE\u4E1C\u533A", prefix: "\u4E34\u5DDD\u5E02\u57CE\u4E1C\u533A", lat: 30.2, lng: 117.5, bureauUser: "bureau_cd", bureauName: "\u97E9\u7ACB\u65B0" },
      QS: { id: "r_0004", code: "390121", name: "\u9752\u5C71\u53BF", prefix: "\u4E34\u5DDD\u5E02\u9752\u5C71\u53BF", lat: 30.4, lng: 117.2, bureauUser: "bureau_qs", bureauName: "\u9093\u6625\u751F" },
      HK: { id: "r_0005", code: "390122", name: "\u6CB3\u53E3\u53BF", prefix: "\u4E34\u5DDD\u5E02\u6CB3\u53E3\u53BF", lat: 30, lng: 117.8, bureauUser: "bureau_hk", bureauName: "\u8521\u4E3D\u5A1F" }
    };
    SCHOOLS = [
      // 城东区 (urban district; the city-level schools are located here too)
      { k: "lcsx", name: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66", short: "\u5E02\u5B9E\u5C0F", d: "CD", type: "primary", loc: "urban", tags: ["quality"], founded: 1912, principal: "\u5B59\u660E\u534E" },
      { k: "lcsx_dh", name: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u4E1C\u6E56\u6821\u533A", short: "\u5E02\u5B9E\u5C0F\u4E1C\u6E56\u6821\u533A", d: "CD", type: "primary", loc: "urban", tags: ["new"], founded: 2021 },
      { k: "cd_xc", name: "\u57CE\u4E1C\u533A\u65B0\u57CE\u5C0F\u5B66", d: "CD", type: "primary", loc: "urban", tags: ["new", "suburban"], founded: 2022 },
      { k: "cd_bj", name: "\u57CE\u4E1C\u533A\u6EE8\u6C5F\u5C0F\u5B66", d: "CD", type: "primary", loc: "urban", founded: 1986 },
      { k: "cd_jfl", name: "\u57CE\u4E1C\u533A\u89E3\u653E\u8DEF\u5C0F\u5B66", d: "CD", type: "primary", loc: "urban", tags: ["quality"], founded: 1951 },
      { k: "cd_dh", name: "\u57CE\u4E1C\u533A\u4E1C\u6E56\u5C0F\u5B66", d: "CD", type: "primary", loc: "urban", founded: 1978 },
      { k: "cd_ml", name: "\u57CE\u4E1C\u533A\u9A6C\u5CAD\u5C0F\u5B66", d: "CD", type: "primary", loc: "urban", tags: ["suburban", "weak"], founded: 1965 },
      { k: "lcwgy", name: "\u4E34\u5DDD\u5E02\u5916\u56FD\u8BED\u5B66\u6821", short: "\u5E02\u5916\u56FD\u8BED", d: "CD", type: "twelve_year", loc: "urban", own: "private", tags: ["quality"], founded: 2003 },
      { k: "lcby", name: "\u4E34\u5DDD\u5E02\u535A\u96C5\u5B9E\u9A8C\u5B66\u6821", d: "CD", type: "nine_year", loc: "urban", own: "private", founded: 2010 },
      { k: "lc1z", name: "\u4E34\u5DDD\u5E02\u7B2C\u4E00\u4E2D\u5B66", short: "\u4E34\u5DDD\u4E00\u4E2D", d: "CD", type: "complete_secondary", loc: "urban", tags: ["quality"], founded: 1902 },
      { k: "lc2z", name: "\u4E34\u5DDD\u5E02\u7B2C\u4E8C\u4E2D\u5B66", short: "\u4E34\u5DDD\u4E8C\u4E2D", d: "CD", type: "senior", loc: "urban", tags: ["quality"], founded: 1928 },
      { k: "lc3z", name: "\u4E34\u5DDD\u5E02\u7B2C\u4E09\u4E2D\u5B66", short: "\u4E34\u5DDD\u4E09\u4E2D", d: "CD", type: "complete_secondary", loc: "urban", founded: 1956 },
      { k: "cd_1c", name: "\u57CE\u4E1C\u533A\u7B2C\u4E00\u521D\u7EA7\u4E2D\u5B66", d: "CD", type: "junior", loc: "urban", tags: ["quality"], founded: 1960 },
      { k: "cd_2c", name: "\u57CE\u4E1C\u533A\u7B2C\u4E8C\u521D\u7EA7\u4E2D\u5B66", d: "CD", type: "junior", loc: "urban", founded: 1972 },
      { k: "cd_3c", name: "\u57CE\u4E1C\u533A\u7B2C\u4E09\u521D\u7EA7\u4E2D\u5B66", d: "CD", type: "junior", loc: "urban", tags: ["weak", "suburban"], founded: 1983 },
      { k: "cd_dhc", name: "\u57CE\u4E1C\u533A\u4E1C\u6E56\u521D\u7EA7\u4E2D\u5B66", d: "CD", type: "junior", loc: "urban", tags: ["new"], founded: 2020 },
      { k: "cd_sy", name: "\u57CE\u4E1C\u533A\u5B9E\u9A8C\u5B66\u6821", d: "CD", type: "nine_year", loc: "urban", founded: 1995 },
      { k: "lczz", name: "\u4E34\u5DDD\u5E02\u804C\u4E1A\u4E2D\u7B49\u4E13\u4E1A\u5B66\u6821", short: "\u4E34\u5DDD\u804C\u4E13", d: "CD", type: "vocational", loc: "urban", tags: ["quality"], founded: 1980 },
      { k: "lchx", name: "\u4E34\u5DDD\u5E02\u534E\u4FE1\u804C\u4E1A\u5B66\u6821", d: "CD", type: "vocational", loc: "urban", own: "private", founded: 2008 },
      { k: "lctj", name: "\u4E34\u5DDD\u5E02\u7279\u6B8A\u6559\u80B2\u5B66\u6821", d: "CD", type: "special", loc: "urban", founded: 1988 },
      { k: "lcjg", name: "\u4E34\u5DDD\u5E02\u673A\u5173\u5E7C\u513F\u56ED", d: "CD", type: "kindergarten", loc: "urban", tags: ["quality"], founded: 1952 },
      { k: "cd_syy", name: "\u57CE\u4E1C\u533A\u5B9E\u9A8C\u5E7C\u513F\u56ED", d: "CD", type: "kindergarten", loc: "urban", founded: 1985 },
      { k: "cd_dhy", name: "\u57CE\u4E1C\u533A\u4E1C\u6E56\u5E7C\u513F\u56ED", d: "CD", type: "kindergarten", loc: "urban", tags: ["new"], founded: 2021 },
      { k: "lcqmx", name: "\u4E34\u5DDD\u5E02\u542F\u660E\u661F\u5E7C\u513F\u56ED", d: "CD", type: "kindergarten", loc: "urban", own: "private", founded: 2012 },
      // 青山县
      { k: "qs_sx", name: "\u9752\u5C71\u53BF\u5B9E\u9A8C\u5C0F\u5B66", d: "QS", type: "primary", loc: "county_town", tags: ["quality"], founded: 1940 },
      { k: "qs_cg2", name: "\u9752\u5C71\u53BF\u57CE\u5173\u7B2C\u4E8C\u5C0F\u5B66", d: "QS", type: "primary", loc: "county_town", founded: 1975 },
      { k: "qs_cgzx", name: "\u9752\u5C71\u53BF\u57CE\u5173\u9547\u4E2D\u5FC3\u5C0F\u5B66", d: "QS", type: "primary", loc: "county_town", founded: 1958 },
      { k: "qs_1z", name: "\u9752\u5C71\u53BF\u7B2C\u4E00\u4E2D\u5B66", d: "QS", type: "complete_secondary", loc: "county_town", tags: ["quality"], founded: 1923 },
      { k: "qs_2z", name: "\u9752\u5C71\u53BF\u7B2C\u4E8C\u4E2D\u5B66", d: "QS", type: "junior", loc: "county_town", founded: 1968 },
      { k: "qs_zg", name: "\u9752\u5C71\u53BF\u804C\u4E1A\u9AD8\u7EA7\u4E2D\u5B66", d: "QS", type: "vocational", loc: "county_town", founded: 1984 },
      { k: "qs_tj", name: "\u9752\u5C71\u53BF\u7279\u6B8A\u6559\u80B2\u5B66\u6821", d: "QS", type: "special", loc: "county_town", tags: ["small"], founded: 2012 },
      { k: "qs_cgy", name: "\u9752\u5C71\u53BF\u57CE\u5173\u5E7C\u513F\u56ED", d: "QS", type: "kindergarten", loc: "county_town", founded: 1980 },
      { k: "qs_smx", name: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u4E2D\u5FC3\u5C0F\u5B66", d: "QS", type: "primary", loc: "township", tags: ["rural"], founded: 1956, town: "\u77F3\u95E8\u9547", principal: "\u5218\u5FB7\u798F" },
      { k: "qs_smz", name: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u4E2D\u5B66", d: "QS", type: "junior", loc: "township", tags: ["rural", "weak"], founded: 1969, town: "\u77F3\u95E8\u9547" },
      { k: "qs_smy", name: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u4E2D\u5FC3\u5E7C\u513F\u56ED", d: "QS", type: "kindergarten", loc: "township", tags: ["rural"], founded: 2014, town: "\u77F3\u95E8\u9547" },
      { k: "qs_smc", name: "\u9752\u5C71\u53BF\u77F3\u95E8\u6751\u6559\u5B66\u70B9", d: "QS", type: "teaching_point", loc: "village", tags: ["rural", "small", "weak"], founded: 1958, town: "\u77F3\u95E8\u9547", village: "\u77F3\u95E8\u6751" },
      { k: "qs_hl", name: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u9EC4\u5CAD\u6751\u5C0F\u5B66", d: "QS", type: "primary", loc: "village", tags: ["rural", "small", "weak"], founded: 1963, town: "\u77F3\u95E8\u9547", village: "\u9EC4\u5CAD\u6751" },
      { k: "qs_bsx", name: "\u9752\u5C71\u53BF\u767D\u6C99\u4E61\u4E2D\u5FC3\u5C0F\u5B66", d: "QS", type: "primary", loc: "township", tags: ["rural", "weak"], founded: 1962, town: "\u767D\u6C99\u4E61" },
      { k: "qs_bsy", name: "\u9752\u5C71\u53BF\u767D\u6C99\u4E61\u4E2D\u5FC3\u5E7C\u513F\u56ED", d: "QS", type: "kindergarten", loc: "township", tags: ["rural", "new"], founded: 2020, town: "\u767D\u6C99\u4E61" },
      { k: "qs_zl", name: "\u9752\u5C71\u53BF\u767D\u6C99\u4E61\u7AF9\u6797\u6751\u5C0F\u5B66", d: "QS", type: "primary", loc: "village", tags: ["rural", "small", "weak"], founded: 1965, town: "\u767D\u6C99\u4E61", village: "\u7AF9\u6797\u6751" },
      { k: "qs_ltx", name: "\u9752\u5C71\u53BF\u9F99\u6F6D\u9547\u4E2D\u5FC3\u5C0F\u5B66", d: "QS", type: "primary", loc: "township", tags: ["rural"], founded: 1957, town: "\u9F99\u6F6D\u9547" },
      { k: "qs_ltz", name: "\u9752\u5C71\u53BF\u9F99\u6F6D\u9547\u4E2D\u5B66", d: "QS", type: "junior", loc: "township", tags: ["rural"], founded: 1970, town: "\u9F99\u6F6D\u9547" },
      { k: "qs_lt9", name: "\u9752\u5C71\u53BF\u9F99\u6F6D\u9547\u4E5D\u5E74\u4E00\u8D2F\u5236\u5B66\u6821", d: "QS", type: "nine_year", loc: "township", tags: ["rural"], founded: 1972, town: "\u9F99\u6F6D\u9547" },
      { k: "qs_ty", name: "\u9752\u5C71\u53BF\u9F99\u6F6D\u9547\u6843\u6E90\u6751\u6559\u5B66\u70B9", d: "QS", type: "teaching_point", loc: "village", tags: ["rural", "small"], founded: 1960, town: "\u9F99\u6F6D\u9547", village: "\u6843\u6E90\u6751" },
      { k: "qs_mz", name: "\u9752\u5C71\u53BF\u767D\u6C99\u4E61\u8305\u7AF9\u6751\u5E7C\u513F\u56ED", d: "QS", type: "kindergarten", loc: "village", tags: ["rural", "small"], founded: 2018, town: "\u767D\u6C99\u4E61", village: "\u8305\u7AF9\u6751" },
      // 河口县
      { k: "hk_1x", name: "\u6CB3\u53E3\u53BF\u7B2C\u4E00\u5C0F\u5B66", d: "HK", type: "primary", loc: "county_town", tags: ["quality"], founded: 1930 },
      { k: "hk_2x", name: "\u6CB3\u53E3\u53BF\u7B2C\u4E8C\u5C0F\u5B66", d: "HK", type: "primary", loc: "county_town", founded: 1978 },
      { k: "hk_1z", name: "\u6CB3\u53E3\u53BF\u7B2C\u4E00\u4E2D\u5B66", d: "HK", type: "complete_secondary", loc: "county_town", tags: ["quality"], founded: 1938 },
      { k: "hk_2z", name: "\u6CB3\u53E3\u53BF\u7B2C\u4E8C\u4E2D\u5B66", d: "HK", type: "senior", loc: "county_town", founded: 1958 },
      { k: "hk_cgc", name: "\u6CB3\u53E3\u53BF\u57CE\u5173\u521D\u7EA7\u4E2D\u5B66", d: "HK", type: "junior", loc: "county_town", founded: 1970 },
      { k: "hk_zj", name: "\u6CB3\u53E3\u53BF\u804C\u4E1A\u6280\u672F\u5B66\u6821", d: "HK", type: "vocational", loc: "county_town", founded: 1985 },
      { k: "hk_tj", name: "\u6CB3\u53E3\u53BF\u7279\u6B8A\u6559\u80B2\u5B66\u6821", d: "HK", type: "special", loc: "county_town", tags: ["small", "new"], founded: 2019 },
      { k: "hk_syy", name: "\u6CB3\u53E3\u53BF\u5B9E\u9A8C\u5E7C\u513F\u56ED", d: "HK", type: "kindergarten", loc: "county_town", founded: 1983 },
      { k: "hk_yc", name: "\u6CB3\u53E3\u53BF\u80B2\u624D\u5B66\u6821", d: "HK", type: "twelve_year", loc: "county_town", own: "private", founded: 2015 },
      { k: "hk_yl9", name: "\u6CB3\u53E3\u53BF\u6768\u67F3\u4E61\u4E5D\u5E74\u4E00\u8D2F\u5236\u5B66\u6821", d: "HK", type: "nine_year", loc: "township", tags: ["rural", "weak"], founded: 1968, town: "\u6768\u67F3\u4E61" },
      { k: "hk_ylx", name: "\u6CB3\u53E3\u53BF\u6768\u67F3\u4E61\u4E2D\u5FC3\u5C0F\u5B66", d: "HK", type: "primary", loc: "township", tags: ["rural", "weak"], founded: 1960, town: "\u6768\u67F3\u4E61" },
      { k: "hk_yly", name: "\u6CB3\u53E3\u53BF\u6768\u67F3\u4E61\u4E2D\u5FC3\u5E7C\u513F\u56ED", d: "HK", type: "kindergarten", loc: "township", tags: ["rural"], founded: 2016, town: "\u6768\u67F3\u4E61" },
      { k: "hk_gq", name: "\u6CB3\u53E3\u53BF\u6768\u67F3\u4E61\u9AD8\u6865\u6751\u5C0F\u5B66", d: "HK", type: "primary", loc: "village", tags: ["rural", "small", "weak"], founded: 1966, town: "\u6768\u67F3\u4E61", village: "\u9AD8\u6865\u6751" },
      { k: "hk_sq", name: "\u6CB3\u53E3\u53BF\u6768\u67F3\u4E61\u77F3\u6865\u6751\u6559\u5B66\u70B9", d: "HK", type: "teaching_point", loc: "village", tags: ["rural", "small", "weak"], founded: 1961, town: "\u6768\u67F3\u4E61", village: "\u77F3\u6865\u6751" },
      { k: "hk_dkx", name: "\u6CB3\u53E3\u53BF\u6E21\u53E3\u9547\u4E2D\u5FC3\u5C0F\u5B66", d: "HK", type: "primary", loc: "township", tags: ["rural"], founded: 1955, town: "\u6E21\u53E3\u9547" },
      { k: "hk_dkc", name: "\u6CB3\u53E3\u53BF\u6E21\u53E3\u9547\u521D\u7EA7\u4E2D\u5B66", d: "HK", type: "junior", loc: "township", tags: ["rural"], founded: 1966, town: "\u6E21\u53E3\u9547" },
      { k: "hk_dky", name: "\u6CB3\u53E3\u53BF\u6E21\u53E3\u9547\u4E2D\u5FC3\u5E7C\u513F\u56ED", d: "HK", type: "kindergarten", loc: "township", tags: ["rural"], founded: 2015, town: "\u6E21\u53E3\u9547" },
      { k: "hk_lw", name: "\u6CB3\u53E3\u53BF\u6E21\u53E3\u9547\u67F3\u6E7E\u6751\u6559\u5B66\u70B9", d: "HK", type: "teaching_point", loc: "village", tags: ["rural", "small", "weak"], founded: 1959, town: "\u6E21\u53E3\u9547", village: "\u67F3\u6E7E\u6751" },
      { k: "hk_sz", name: "\u6CB3\u53E3\u53BF\u6E21\u53E3\u9547\u6C99\u6D32\u6751\u5C0F\u5B66", d: "HK", type: "primary", loc: "village", tags: ["rural", "small"], founded: 1964, town: "\u6E21\u53E3\u9547", village: "\u6C99\u6D32\u6751" }
    ];
    ROADS = ["\u4EBA\u6C11\u8DEF", "\u89E3\u653E\u8DEF", "\u5EFA\u8BBE\u8DEF", "\u6587\u5316\u8DEF", "\u4E1C\u6E56\u8DEF", "\u6EE8\u6C5F\u5927\u9053", "\u65B0\u534E\u8DEF", "\u5B66\u5E9C\u8DEF", "\u9752\u5E74\u8DEF", "\u4E2D\u5C71\u8DEF", "\u80B2\u624D\u8DEF", "\u5149\u660E\u8DEF"];
    ALLIANCES = [
      {
        name: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u6559\u80B2\u96C6\u56E2",
        kind: "fusion",
        pattern: "mother_child",
        region: "CITY",
        core: "lcsx",
        members: ["lcsx_dh", "cd_xc", "cd_ml", "qs_cg2"],
        exited: [{ k: "cd_dh", monthsAgo: 16, reason: "\u5B66\u533A\u5212\u7247\u8C03\u6574\uFF0C\u6539\u7531\u57CE\u4E1C\u533A\u5B9E\u9A8C\u5B66\u6821\u7EDF\u7B79\u5E2E\u6276", by: "bureau" }],
        cycleMonthsAgo: 14,
        foundedYearsAgo: 11,
        assessments: [[29, 84.5], [5, 91]],
        subjects: ["chinese", "math", "english"],
        description: "\u4EE5\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u4E3A\u9F99\u5934\uFF0C\u201C\u4E00\u957F\u591A\u6821\u3001\u7EDF\u4E00\u6CD5\u4EBA\u201D\u7684\u7D27\u5BC6\u578B\u878D\u5408\u96C6\u56E2\uFF0C\u7EDF\u4E00\u7BA1\u7406\u3001\u7EDF\u4E00\u5E08\u8D44\u8C03\u914D\u3001\u7EDF\u4E00\u6559\u5B66\u8D28\u91CF\u8BC4\u4EF7\uFF0C\u5E26\u52A8\u65B0\u5EFA\u6821\u548C\u57CE\u90CA\u8584\u5F31\u6821\u5FEB\u901F\u6210\u957F\u3002",
        charterVersions: 2,
        agreementKind: "agreement",
        terms: [
          { kind: "key_teacher_exchange_pct", op: ">=", value: 10, unit: "%", note: "\u4EE5\u4E0A\u4E00\u5B66\u5E74\u672B\u9AA8\u5E72\u6559\u5E08\u6570\u4E3A\u57FA\u6570" },
          { kind: "joint_research_per_month", op: ">=", value: 2, note: "\u6BCF\u4E2A\u5B66\u79D1\u5DE5\u4F5C\u7EC4" },
          { kind: "cost_share_per_student", op: "between", value: 20, value2: 30, unit: "\u5143/\u751F/\u5E74" },
          { kind: "teacher_exchange_pct", op: ">=", value: 15, unit: "%" }
        ],
        costShare: [20, 30],
        secretaryName: "\u674E\u79C0\u6885"
      },
      {
        name: "\u4E34\u5DDD\u4E00\u4E2D\u57CE\u4E61\u6559\u80B2\u5171\u540C\u4F53",
        kind: "aggregation",
        pattern: "urban_rural",
        region: "CITY",
        core: "lc1z",
        members: ["qs_2z", "qs_smz", "hk_yl9", "qs_ltz"],
        exited: [{ k: "hk_cgc", monthsAgo: 20, reason: "\u5DF2\u7EB3\u5165\u6CB3\u53E3\u53BF\u7B2C\u4E00\u4E2D\u5B66\u53BF\u57DF\u5171\u540C\u4F53\uFF0C\u7ECF\u7406\u4E8B\u4F1A\u540C\u610F\u9000\u51FA", by: "secretary" }],
        cycleMonthsAgo: 26,
        foundedYearsAgo: 7,
        assessments: [[32, 82], [8, 92.5]],
        subjects: ["math", "physics", "english"],
        description: "\u4E34\u5DDD\u4E00\u4E2D\u4E0E\u9752\u5C71\u3001\u6CB3\u53E3\u4E24\u53BF\u519C\u6751\u521D\u4E2D\u57CE\u4E61\u7ED3\u5BF9\uFF0C\u901A\u8FC7\u540C\u6B65\u8BFE\u5802\u3001\u9AA8\u5E72\u6559\u5E08\u9001\u6559\u548C\u5B66\u751F\u7814\u5B66\u8425\u7F29\u5C0F\u57CE\u4E61\u5DEE\u8DDD\u3002",
        charterVersions: 2,
        agreementKind: "agreement",
        terms: [
          { kind: "key_teacher_exchange_pct", op: ">=", value: 10, unit: "%" },
          { kind: "joint_research_per_month", op: ">=", value: 2 },
          { kind: "student_activity_coverage_pct", op: ">=", value: 60, unit: "%", note: "\u519C\u6751\u6210\u5458\u6821\u5B66\u751F\u53C2\u52A0\u8DE8\u6821\u7814\u5B66" },
          { kind: "cost_share_per_student", op: "between", value: 20, value2: 25, unit: "\u5143/\u751F/\u5E74" }
        ],
        costShare: [20, 25],
        secretaryName: "\u4F55\u5FD7\u5F3A"
      },
      {
        name: "\u57CE\u4E1C\u533A\u521D\u4E2D\u5B66\u79D1\u8054\u76DF",
        kind: "union",
        pattern: "partner",
        region: "CD",
        core: "cd_1c",
        members: ["cd_2c", "cd_3c", "cd_dhc", "cd_sy"],
        cycleMonthsAgo: 2,
        assessments: [],
        subjects: ["math", "chemistry"],
        description: "\u57CE\u4E1C\u533A\u521D\u4E2D\u6821\u4EE5\u5B66\u79D1\u4E3A\u7EBD\u5E26\u7EC4\u6210\u7684\u677E\u6563\u578B\u4F19\u4F34\u8054\u76DF\uFF0C\u56F4\u7ED5\u4E2D\u8003\u547D\u9898\u7814\u7A76\u3001\u5B9E\u9A8C\u6559\u5B66\u548C\u4F5C\u4E1A\u8BBE\u8BA1\u5F00\u5C55\u9879\u76EE\u5316\u5408\u4F5C\u3002",
        charterVersions: 1,
        agreementKind: "agreement",
        terms: [
          { kind: "joint_research_per_month", op: ">=", value: 2 },
          { kind: "facility_open_hours_per_week", op: ">=", value: 6, unit: "\u5C0F\u65F6", note: "\u7406\u5316\u751F\u5B9E\u9A8C\u5BA4" }
        ],
        costShare: [15, 20],
        secretaryName: "\u9AD8\u96C5\u7434"
      },
      {
        name: "\u9752\u5C71\u53BF\u5E08\u5F92\u7ED3\u5BF9\u53D1\u5C55\u5171\u540C\u4F53",
        kind: "aggregation",
        pattern: "mentor",
        region: "QS",
        core: "qs_sx",
        members: ["qs_smx", "qs_bsx", "qs_zl", "qs_ltx"],
        cycleMonthsAgo: 20,
        foundedYearsAgo: 4,
        assessments: [[27, 58.5]],
        subjects: ["chinese", "math", "science"],
        description: "\u9752\u5C71\u53BF\u5B9E\u9A8C\u5C0F\u5B66\u4E0E\u4E61\u9547\u3001\u6751\u5C0F\u201C\u5E08\u5F92\u7ED3\u5BF9\u201D\uFF0C\u540D\u5E08\u5DE5\u4F5C\u5BA4\u5E26\u5F92\u3001\u8584\u5F31\u5B66\u79D1\u9001\u6559\u4E0B\u4E61\uFF0C\u91CD\u70B9\u63D0\u5347\u519C\u6751\u5C0F\u5B66\u8BED\u6587\u3001\u6570\u5B66\u548C\u79D1\u5B66\u6559\u5B66\u8D28\u91CF\u3002",
        charterVersions: 2,
        agreementKind: "development",
        terms: [
          { kind: "key_teacher_exchange_pct", op: ">=", value: 10, unit: "%" },
          { kind: "teacher_exchange_pct", op: ">=", value: 12, unit: "%" },
          { kind: "joint_research_per_month", op: ">=", value: 2 },
          { kind: "cost_share_per_student", op: "between", value: 20, value2: 30, unit: "\u5143/\u751F/\u5E74" }
        ],
        costShare: [20, 30],
        secretaryName: "\u66FE\u6653\u7EA2"
      },
      {
        name: "\u6CB3\u53E3\u53BF\u7B2C\u4E00\u5C0F\u5B66\u6559\u80B2\u96C6\u56E2",
        kind: "fusion",
        pattern: "mentor",
        region: "HK",
        core: "hk_1x",
        members: ["hk_2x", "hk_dkx", "hk_ylx", "hk_gq"],
        cycleMonthsAgo: 8,
        assessments: [],
        subjects: ["chinese", "math"],
        description: "\u6CB3\u53E3\u53BF\u7B2C\u4E00\u5C0F\u5B66\u7275\u5934\u7684\u53BF\u57DF\u878D\u5408\u578B\u6559\u80B2\u96C6\u56E2\uFF0C\u5B9E\u884C\u201C\u4E00\u4E2A\u6CD5\u4EBA\u3001\u7EDF\u4E00\u7BA1\u7406\u3001\u7ECF\u8D39\u7EDF\u7B79\u3001\u6559\u5E08\u7EDF\u4E00\u8C03\u914D\u201D\uFF0C\u515C\u5E95\u5E2E\u6276\u4E61\u6751\u8584\u5F31\u5C0F\u5B66\u3002",
        charterVersions: 1,
        agreementKind: "development",
        terms: [
          { kind: "key_teacher_exchange_pct", op: ">=", value: 15, unit: "%" },
          { kind: "teacher_exchange_pct", op: ">=", value: 20, unit: "%" },
          { kind: "cost_share_per_student", op: "between", value: 25, value2: 30, unit: "\u5143/\u751F/\u5E74" }
        ],
        costShare: [25, 30],
        secretaryName: "\u5F6D\u6587\u9759"
      },
      {
        name: "\u4E34\u5DDD\u5E02\u804C\u4E1A\u6559\u80B2\u96C6\u56E2",
        kind: "union",
        pattern: "partner",
        region: "CITY",
        core: "lczz",
        members: ["lchx", "qs_zg", "hk_zj"],
        cycleMonthsAgo: 29,
        foundedYearsAgo: 9,
        assessments: [[54, 72], [30, 80]],
        subjects: ["it", "general_tech"],
        description: "\u4E2D\u804C\u5B66\u6821\u4E0E\u56ED\u533A\u4F01\u4E1A\u3001\u9AD8\u804C\u9662\u6821\u7EC4\u6210\u7684\u4EA7\u6559\u878D\u5408\u8054\u76DF\uFF0C\u5171\u5EFA\u5B9E\u8BAD\u57FA\u5730\u3001\u5171\u4EAB\u201C\u53CC\u5E08\u578B\u201D\u6559\u5E08\u3001\u5F00\u5C55\u4E2D\u9AD8\u804C\u8D2F\u901A\u57F9\u517B\u3002",
        charterVersions: 1,
        agreementKind: "agreement",
        terms: [
          { kind: "facility_open_hours_per_week", op: ">=", value: 12, unit: "\u5C0F\u65F6", note: "\u5B9E\u8BAD\u57FA\u5730" },
          { kind: "teacher_exchange_pct", op: ">=", value: 10, unit: "%" },
          { kind: "student_activity_coverage_pct", op: ">=", value: 80, unit: "%", note: "\u5B66\u751F\u4F01\u4E1A\u5B9E\u8DF5\u8986\u76D6\u7387" }
        ],
        costShare: [20, 30],
        secretaryName: "\u675C\u5B8F\u4F1F"
      },
      {
        name: "\u4E34\u5DDD\u5E02\u5B66\u524D\u6559\u80B2\u5171\u540C\u4F53",
        kind: "aggregation",
        pattern: "mentor",
        region: "CITY",
        core: "lcjg",
        members: ["cd_syy", "cd_dhy", "qs_cgy", "qs_smy", "hk_syy", "hk_yly"],
        cycleMonthsAgo: 11,
        foundedYearsAgo: 3,
        assessments: [[10, 71]],
        subjects: ["art", "music", "pe"],
        description: "\u4EE5\u4E34\u5DDD\u5E02\u673A\u5173\u5E7C\u513F\u56ED\u4E3A\u6838\u5FC3\u7684\u57CE\u4E61\u5E7C\u513F\u56ED\u5171\u540C\u4F53\uFF0C\u63A8\u8FDB\u6E38\u620F\u5316\u8BFE\u7A0B\u3001\u4FDD\u6559\u8D28\u91CF\u8BC4\u4F30\u548C\u4E61\u9547\u56ED\u56ED\u957F\u8DDF\u5C97\u57F9\u8BAD\u3002",
        charterVersions: 1,
        agreementKind: "agreement",
        terms: [
          { kind: "joint_research_per_month", op: ">=", value: 1 },
          { kind: "teacher_exchange_pct", op: ">=", value: 10, unit: "%" }
        ],
        costShare: [15, 20],
        secretaryName: "\u6C6A\u7F8E\u73B2"
      },
      {
        name: "\u4E34\u5DDD\u5E02\u7279\u6B8A\u6559\u80B2\u8D44\u6E90\u8054\u76DF",
        kind: "union",
        pattern: "urban_rural",
        region: "CITY",
        core: "lctj",
        members: ["qs_tj", "hk_tj"],
        cycleMonthsAgo: 4,
        assessments: [],
        subjects: ["psychology", "pe"],
        description: "\u5E02\u7279\u6B8A\u6559\u80B2\u5B66\u6821\u7275\u5934\uFF0C\u4E0E\u53BF\u7279\u6559\u5B66\u6821\u548C\u666E\u901A\u5B66\u6821\u8D44\u6E90\u6559\u5BA4\u7ED3\u5BF9\uFF0C\u5F00\u5C55\u9001\u6559\u4E0A\u95E8\u3001\u5EB7\u590D\u8BAD\u7EC3\u548C\u968F\u73ED\u5C31\u8BFB\u5DE1\u56DE\u6307\u5BFC\u3002",
        charterVersions: 1,
        agreementKind: "agreement",
        terms: [
          { kind: "joint_research_per_month", op: ">=", value: 1 },
          { kind: "facility_open_hours_per_week", op: ">=", value: 8, unit: "\u5C0F\u65F6", note: "\u5EB7\u590D\u8BAD\u7EC3\u5BA4" }
        ],
        costShare: [10, 20],
        secretaryName: "\u949F\u6167\u654F"
      }
    ];
    PARTNERS = [
      { name: "\u4E34\u5DDD\u79D1\u6280\u9986", kind: "museum", contact: "\u5434\u6D77\u6D9B", description: "\u5E02\u7EA7\u7EFC\u5408\u6027\u79D1\u6280\u9986\uFF0C\u8BBE\u6709\u5C11\u513F\u79D1\u5B66\u4E50\u56ED\u548C\u521B\u5BA2\u5DE5\u574A\u3002", offers: [[0, "\u63D0\u4F9B\u79D1\u6280\u9986\u7814\u5B66\u573A\u5730\uFF0C\u6BCF\u5B66\u671F\u5F00\u653E4\u6B21\u96C6\u56E2\u4E13\u573A"], [2, "\u5171\u5EFA\u521D\u4E2D\u7269\u7406\u3001\u5316\u5B66\u5B9E\u9A8C\u62D3\u5C55\u8BFE\u7A0B\u57FA\u5730"]] },
      { name: "\u6C5F\u5317\u5E08\u8303\u5927\u5B66", kind: "university", contact: "\u4E25\u5B88\u4EC1", description: "\u7701\u5C5E\u5E08\u8303\u5927\u5B66\uFF0C\u6559\u80B2\u5B66\u9662\u3001\u5B66\u524D\u6559\u80B2\u5B66\u9662\u5BF9\u53E3\u652F\u6301\u4E34\u5DDD\u5E02\u57FA\u7840\u6559\u80B2\u3002", offers: [[1, "\u6D3E\u51FA\u5B66\u79D1\u6559\u5B66\u8BBA\u4E13\u5BB6\u6307\u5BFC\u57CE\u4E61\u8054\u5408\u6559\u7814"], [3, "\u5E08\u8303\u751F\u9876\u5C97\u652F\u6559\u4E0E\u4E61\u6751\u9AA8\u5E72\u6559\u5E08\u7814\u4FEE"], [6, "\u5B66\u524D\u6559\u80B2\u5B66\u9662\u4E13\u5BB6\u9A7B\u56ED\u6307\u5BFC\u6E38\u620F\u5316\u8BFE\u7A0B"]] },
      { name: "\u4E34\u5DDD\u5E02\u535A\u7269\u9986", kind: "museum", contact: "\u79E6\u96C5\u7434", description: "\u56FD\u5BB6\u4E8C\u7EA7\u535A\u7269\u9986\uFF0C\u9986\u85CF\u5730\u65B9\u5386\u53F2\u6587\u7269\u4E0E\u975E\u9057\u5C55\u54C1\u3002", offers: [[0, "\u5F00\u8BBE\u201C\u535A\u7269\u9986\u91CC\u7684\u8BFE\u5802\u201D\u7814\u5B66\u8BFE\u7A0B"], [1, "\u4E3A\u519C\u6751\u5B66\u751F\u63D0\u4F9B\u514D\u8D39\u8BB2\u89E3\u4E0E\u7814\u5B66\u8DEF\u7EBF"]] },
      { name: "\u6C5F\u5317\u667A\u9020\u79D1\u6280\u6709\u9650\u516C\u53F8", kind: "enterprise", contact: "\u9646\u632F\u5B87", description: "\u667A\u80FD\u5236\u9020\u88C5\u5907\u4F01\u4E1A\uFF0C\u7701\u7EA7\u4E13\u7CBE\u7279\u65B0\u4F01\u4E1A\u3002", offers: [[5, "\u6D3E\u51FA\u5DE5\u7A0B\u5E08\u62C5\u4EFB\u79D1\u521B\u5BFC\u5E08\uFF0C\u5171\u5EFA\u667A\u80FD\u5236\u9020\u5B9E\u8BAD\u5BA4"], [2, "\u8D5E\u52A9\u9752\u5C11\u5E74\u79D1\u521B\u7ADE\u8D5B\u5668\u6750"]] },
      { name: "\u4E34\u5DDD\u5E02\u9752\u5C11\u5E74\u53D1\u5C55\u57FA\u91D1\u4F1A", kind: "foundation", contact: "\u82CF\u6DD1\u82AC", description: "\u5E02\u7EA7\u516C\u52DF\u57FA\u91D1\u4F1A\uFF0C\u5173\u6CE8\u57CE\u4E61\u6559\u80B2\u5747\u8861\u4E0E\u7559\u5B88\u513F\u7AE5\u6210\u957F\u3002", offers: [[1, "\u8BBE\u7ACB\u57CE\u4E61\u6559\u5E08\u4EA4\u6D41\u4E13\u9879\u5956\u52B1\u57FA\u91D1\uFF0C\u6BCF\u5E7420\u4E07\u5143"], [3, "\u8D44\u52A9\u4E61\u6751\u5B66\u6821\u56FE\u4E66\u89D2\u4E0E\u79D1\u5B66\u5B9E\u9A8C\u5668\u6750"], [4, "\u8D44\u52A9\u4E61\u6751\u5C0F\u5B66\u201C\u8425\u517B\u5348\u9910+\u9605\u8BFB\u201D\u9879\u76EE"]] },
      { name: "\u57CE\u4E1C\u533A\u4E1C\u6E56\u8857\u9053\u793E\u533A", kind: "community", contact: "\u6881\u6842\u82F1", description: "\u8857\u9053\u793E\u533A\u670D\u52A1\u4E2D\u5FC3\uFF0C\u4E0B\u8F968\u4E2A\u793E\u533A\u3002", offers: [[6, "\u63D0\u4F9B\u793E\u533A\u6258\u80B2\u4E0E\u5BB6\u5EAD\u6559\u80B2\u6307\u5BFC\u7AD9"], [2, "\u5F00\u653E\u793E\u533A\u6587\u5316\u7AD9\u4F5C\u4E3A\u5B66\u751F\u5FD7\u613F\u670D\u52A1\u57FA\u5730"]] },
      { name: "\u4E34\u5DDD\u7535\u5B50\u4FE1\u606F\u4EA7\u4E1A\u56ED", kind: "enterprise", contact: "\u718A\u5BB6\u8C6A", description: "\u5E02\u7EA7\u7535\u5B50\u4FE1\u606F\u4EA7\u4E1A\u56ED\u533A\uFF0C\u5165\u9A7B\u4F01\u4E1A60\u4F59\u5BB6\u3002", offers: [[5, "\u6BCF\u5E74\u63D0\u4F9B\u9876\u5C97\u5B9E\u4E60\u5C97\u4F4D300\u4E2A\uFF0C\u5171\u5EFA\u8BA2\u5355\u73ED"]] },
      { name: "\u6C5F\u5317\u519C\u4E1A\u804C\u4E1A\u6280\u672F\u5B66\u9662", kind: "university", contact: "\u6BB5\u7EE7\u5E73", description: "\u56FD\u5BB6\u4F18\u8D28\u9AD8\u804C\u9662\u6821\u3002", offers: [[5, "\u5F00\u5C55\u4E2D\u9AD8\u804C\u8D2F\u901A\u201C3+2\u201D\u57F9\u517B\uFF0C\u5F00\u653E\u519C\u4E1A\u5B9E\u8BAD\u57FA\u5730"], [3, "\u63D0\u4F9B\u52B3\u52A8\u6559\u80B2\u4E0E\u81EA\u7136\u7814\u5B66\u57FA\u5730"]] },
      { name: "\u4E34\u5DDD\u5E02\u6B8B\u75BE\u4EBA\u5EB7\u590D\u4E2D\u5FC3", kind: "other", contact: "\u5B5F\u51E4\u82F1", description: "\u5E02\u6B8B\u8054\u76F4\u5C5E\u5EB7\u590D\u673A\u6784\u3002", offers: [[7, "\u6D3E\u51FA\u5EB7\u590D\u6CBB\u7597\u5E08\u53C2\u4E0E\u9001\u6559\u4E0A\u95E8\uFF0C\u6350\u8D60\u5EB7\u590D\u8BAD\u7EC3\u8BBE\u5907"]] }
    ];
    APPLICATIONS = [
      { alliance: 0, school: "qs_smx", status: "submitted", daysAgo: 3, reason: "\u6211\u6821\u4E3A\u4E61\u9547\u4E2D\u5FC3\u5C0F\u5B66\uFF0C\u82F1\u8BED\u3001\u79D1\u5B66\u4E13\u4EFB\u6559\u5E08\u7D27\u7F3A\uFF0C\u5E0C\u671B\u52A0\u5165\u96C6\u56E2\u5171\u4EAB\u4F18\u8D28\u8BFE\u7A0B\u548C\u540D\u5E08\u8D44\u6E90\uFF0C\u53C2\u4E0E\u8054\u5408\u6559\u7814\u3002" },
      { alliance: 1, school: "qs_lt9", status: "submitted", daysAgo: 6, reason: "\u6211\u6821\u521D\u4E2D\u90E8\u6570\u5B66\u3001\u7269\u7406\u5B66\u79D1\u8584\u5F31\uFF0C\u5E0C\u671B\u901A\u8FC7\u57CE\u4E61\u5171\u540C\u4F53\u5F00\u5C55\u540C\u6B65\u8BFE\u5802\u548C\u9001\u6559\u6D3B\u52A8\u3002" },
      { alliance: 3, school: "qs_cgzx", status: "submitted", daysAgo: 9, reason: "\u5E0C\u671B\u4E0E\u53BF\u5B9E\u9A8C\u5C0F\u5B66\u5E08\u5F92\u7ED3\u5BF9\uFF0C\u63D0\u5347\u9752\u5E74\u6559\u5E08\u8BFE\u5802\u6559\u5B66\u80FD\u529B\u3002" },
      { alliance: 6, school: "hk_dky", status: "submitted", daysAgo: 2, reason: "\u6211\u56ED\u4E3A\u4E61\u9547\u4E2D\u5FC3\u5E7C\u513F\u56ED\uFF0C\u5E0C\u671B\u5B66\u4E60\u6E38\u620F\u5316\u8BFE\u7A0B\u5EFA\u8BBE\u7ECF\u9A8C\u3002" },
      { alliance: 1, school: "cd_3c", status: "evaluated", daysAgo: 21, reason: "\u6211\u6821\u4E3A\u57CE\u90CA\u8584\u5F31\u521D\u4E2D\uFF0C\u751F\u6E90\u4EE5\u8FDB\u57CE\u52A1\u5DE5\u4EBA\u5458\u968F\u8FC1\u5B50\u5973\u4E3A\u4E3B\uFF0C\u5E0C\u671B\u52A0\u5165\u5171\u540C\u4F53\u5171\u4EAB\u4E00\u4E2D\u4F18\u8D28\u6559\u7814\u8D44\u6E90\u3002" },
      { alliance: 2, school: "lc3z", status: "evaluated", daysAgo: 15, reason: "\u6211\u6821\u521D\u4E2D\u90E8\u5E0C\u671B\u53C2\u4E0E\u5B66\u79D1\u8054\u76DF\u7684\u4E2D\u8003\u547D\u9898\u7814\u7A76\u548C\u5B9E\u9A8C\u6559\u5B66\u5408\u4F5C\u3002" },
      { alliance: 3, school: "qs_smc", status: "evaluated", daysAgo: 18, reason: "\u6559\u5B66\u70B9\u4EC5\u67093\u540D\u6559\u5E08\uFF0C\u6025\u9700\u540C\u6B65\u8BFE\u5802\u548C\u9001\u6559\u652F\u6301\u3002" },
      { alliance: 6, school: "qs_bsy", status: "evaluated", daysAgo: 25, reason: "\u65B0\u5EFA\u4E61\u9547\u5E7C\u513F\u56ED\uFF0C\u6559\u5E08\u5747\u4E3A\u65B0\u5165\u804C\uFF0C\u5E0C\u671B\u83B7\u5F97\u8DDF\u5C97\u57F9\u8BAD\u673A\u4F1A\u3002" },
      { alliance: 0, school: "cd_bj", status: "recommended", daysAgo: 40, reason: "\u6211\u6821\u4E0E\u5B9E\u9A8C\u5C0F\u5B66\u540C\u5728\u4E1C\u6E56\u7247\u533A\uFF0C\u5E0C\u671B\u52A0\u5165\u96C6\u56E2\u5B9E\u884C\u7EDF\u4E00\u7BA1\u7406\uFF0C\u5171\u4EAB\u5E08\u8D44\u4E0E\u8BFE\u7A0B\u3002" },
      { alliance: 3, school: "qs_ty", status: "recommended", daysAgo: 35, reason: "\u6559\u5B66\u70B9\u7F3A\u5C11\u97F3\u4E50\u3001\u7F8E\u672F\u6559\u5E08\uFF0C\u5E0C\u671B\u901A\u8FC7\u5171\u540C\u4F53\u83B7\u5F97\u9001\u6559\u548C\u7EBF\u4E0A\u8BFE\u7A0B\u3002" },
      { alliance: 4, school: "hk_sz", status: "recommended", daysAgo: 30, reason: "\u6751\u5C0F\u89C4\u6A21\u5C0F\u3001\u6559\u5E08\u8001\u9F84\u5316\uFF0C\u7533\u8BF7\u5E76\u5165\u53BF\u4E00\u5C0F\u6559\u80B2\u96C6\u56E2\u7EDF\u4E00\u7BA1\u7406\u3002" },
      { alliance: 1, school: "hk_dkc", status: "approved", daysAgo: 150, reason: "\u6211\u6821\u5E0C\u671B\u501F\u52A9\u57CE\u4E61\u5171\u540C\u4F53\u63D0\u5347\u4E2D\u8003\u8D28\u91CF\uFF0C\u5F00\u5C55\u5B66\u751F\u7814\u5B66\u6D3B\u52A8\u3002" },
      { alliance: 3, school: "qs_hl", status: "approved", daysAgo: 200, reason: "\u7533\u8BF7\u52A0\u5165\u5171\u540C\u4F53\uFF0C\u4E0E\u53BF\u5B9E\u9A8C\u5C0F\u5B66\u7ED3\u5BF9\u5E2E\u6276\u3002" },
      { alliance: 7, school: "cd_jfl", status: "approved", daysAgo: 60, reason: "\u6211\u6821\u8BBE\u6709\u8D44\u6E90\u6559\u5BA4\uFF0C\u968F\u73ED\u5C31\u8BFB\u5B66\u751F12\u540D\uFF0C\u5E0C\u671B\u83B7\u5F97\u7279\u6559\u5B66\u6821\u5DE1\u56DE\u6307\u5BFC\u3002" },
      { alliance: 0, school: "lcwgy", status: "rejected", daysAgo: 120, reason: "\u5E0C\u671B\u52A0\u5165\u96C6\u56E2\u5F00\u5C55\u8BFE\u7A0B\u5171\u5EFA\u3002", rejectedAt: "evaluate", rejectComment: "\u6C11\u529E\u5B66\u6821\u72EC\u7ACB\u6CD5\u4EBA\uFF0C\u4E0D\u7B26\u5408\u878D\u5408\u578B\u96C6\u56E2\u201C\u7EDF\u4E00\u6CD5\u4EBA\u201D\u8981\u6C42\uFF0C\u5EFA\u8BAE\u7533\u8BF7\u52A0\u5165\u8054\u5408\u578B\u5B66\u79D1\u8054\u76DF\u3002" },
      { alliance: 4, school: "hk_yc", status: "rejected", daysAgo: 90, reason: "\u5E0C\u671B\u52A0\u5165\u96C6\u56E2\u5171\u4EAB\u53BF\u4E00\u5C0F\u7684\u7BA1\u7406\u7ECF\u9A8C\u3002", rejectedAt: "approve", rejectComment: "\u878D\u5408\u578B\u96C6\u56E2\u6210\u5458\u987B\u4E3A\u516C\u529E\u5B66\u6821\uFF0C\u4E0D\u4E88\u6279\u51C6\u3002" },
      { alliance: 2, school: "lcby", status: "withdrawn", daysAgo: 70, reason: "\u7533\u8BF7\u53C2\u4E0E\u521D\u4E2D\u5B66\u79D1\u8054\u76DF\u9879\u76EE\u5408\u4F5C\u3002" },
      { alliance: 6, school: "lcqmx", status: "withdrawn", daysAgo: 45, reason: "\u5E0C\u671B\u52A0\u5165\u5B66\u524D\u6559\u80B2\u5171\u540C\u4F53\u53C2\u4E0E\u4FDD\u6559\u8D28\u91CF\u8BC4\u4F30\u3002" }
    ];
    MILESTONES = [
      ["preparation", 1, "\u5BA1\u8BAE\u901A\u8FC7\u7AE0\u7A0B\uFF0C\u7B7E\u8BA2\u5408\u4F5C\u534F\u8BAE"],
      ["preparation", 2, "\u7EC4\u5EFA\u7406\u4E8B\u4F1A\u3001\u76D1\u4E8B\u4F1A\u4E0E\u79D8\u4E66\u5904"],
      ["preparation", 4, "\u5B8C\u6210\u6210\u5458\u6821\u529E\u5B66\u6761\u4EF6\u4E0E\u8D44\u6E90\u666E\u67E5"],
      ["preparation", 6, "\u5236\u5B9A\u4E09\u5E74\u53D1\u5C55\u89C4\u5212\u4E0E\u5E74\u5EA6\u5DE5\u4F5C\u8BA1\u5212"],
      ["implementation", 9, "\u542F\u52A8\u9996\u8F6E\u9AA8\u5E72\u6559\u5E08\u4EA4\u6D41\u8F6E\u5C97"],
      ["implementation", 12, "\u5EFA\u7ACB\u5B66\u79D1\u5DE5\u4F5C\u7EC4\u8054\u5408\u6559\u7814\u5E38\u6001\u673A\u5236"],
      ["implementation", 15, "\u5171\u4EAB\u8BFE\u7A0B\u8D44\u6E90\u5E93\u4E0E\u8BBE\u65BD\u9884\u7EA6\u4E0A\u7EBF"],
      ["implementation", 18, "\u5F00\u5C55\u5B66\u751F\u8DE8\u6821\u7814\u5B66\u4E0E\u793E\u56E2\u6D3B\u52A8"],
      ["implementation", 24, "\u5B8C\u6210\u4E2D\u671F\u8BC4\u4F30\u5E76\u516C\u5E03\u7ED3\u679C"],
      ["deepening", 28, "\u5F62\u6210\u7279\u8272\u8BFE\u7A0B\u7FA4\u5E76\u5728\u6210\u5458\u6821\u63A8\u5E7F"],
      ["deepening", 32, "\u603B\u7ED3\u63D0\u70BC\u5178\u578B\u7ECF\u9A8C\uFF0C\u5F62\u6210\u6848\u4F8B\u96C6"],
      ["deepening", 36, "\u5B8C\u6210\u5468\u671F\u603B\u7ED3\u8BC4\u4F30\uFF0C\u5236\u5B9A\u4E0B\u4E00\u5468\u671F\u89C4\u5212"]
    ];
    DEMO_ACCOUNTS = [
      { username: "admin", role: "platform_admin", note: "\u5E73\u53F0\u7BA1\u7406\u5458\uFF08\u5168\u5E73\u53F0\uFF09" },
      { username: "bureau", role: "bureau_admin", note: "\u4E34\u5DDD\u5E02\u6559\u80B2\u5C40\u7BA1\u7406\u5458" },
      { username: "secretary", role: "alliance_admin", note: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u6559\u80B2\u96C6\u56E2\u79D8\u4E66\u5904" },
      { username: "principal", role: "school_admin", note: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u6821\u957F\uFF08\u96C6\u56E2\u6838\u5FC3\u6821\uFF09" },
      { username: "principal2", role: "school_admin", note: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u4E2D\u5FC3\u5C0F\u5B66\u6821\u957F\uFF08\u519C\u6751\u6821\uFF0C\u5DF2\u7533\u8BF7\u52A0\u5165\u96C6\u56E2\uFF09" },
      { username: "teacher", role: "teacher", note: "\u57CE\u4E1C\u533A\u65B0\u57CE\u5C0F\u5B66\u6559\u5E08\uFF08\u96C6\u56E2\u6210\u5458\u6821\uFF09" },
      { username: "reviewer", role: "reviewer", note: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u6559\u80B2\u96C6\u56E2\u6570\u5B66\u5B66\u79D1\u5BA1\u6838\u5458" },
      { username: "student", role: "student", note: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u5B66\u751F" },
      { username: "guardian", role: "guardian", note: "\u4E34\u5DDD\u5E02\u5B9E\u9A8C\u5C0F\u5B66\u5B66\u751F\u5BB6\u957F" },
      { username: "partner", role: "partner", note: "\u4E34\u5DDD\u79D1\u6280\u9986\uFF08\u96C6\u56E2\u5408\u4F5C\u65B9\uFF09" },
      { username: "evaluator", role: "evaluator", note: "\u7B2C\u4E09\u65B9\u8BC4\u4F30\u673A\u6784\uFF08\u4E34\u5DDD\u5E02\uFF09" }
    ];
  }
});

// src/server/seed/audit.ts
function demoAudit(data) {
  const rows = [];
  const userName = new Map(data.users.map((u) => [u.id, u.display_name]));
  const schoolName = new Map(data.schools.map((s) => [s.id, s.name]));
  const alliance = new Map(data.alliances.map((a) => [a.id, a]));
  const entry = (r) => ({
    actor_id: null,
    actor_name: null,
    ip: null,
    request_id: null,
    entity_id: null,
    region_id: null,
    alliance_id: null,
    school_id: null,
    detail: "{}",
    ...r
  });
  for (const a of data.alliances) {
    rows.push(entry({
      at: a.created_at,
      action: "alliance.create",
      entity_type: "alliance",
      entity_id: a.id,
      region_id: a.region_id,
      alliance_id: a.id,
      detail: JSON.stringify({ name: a.name, kind: a.kind, pattern: a.pattern })
    }));
  }
  for (const b of data.bodies) {
    const a = alliance.get(b.alliance_id);
    rows.push(entry({
      at: b.created_at,
      action: "governance.body_create",
      entity_type: "body",
      entity_id: b.id,
      region_id: a.region_id,
      alliance_id: a.id,
      detail: JSON.stringify({ kind: b.kind, name: b.name })
    }));
  }
  const docs = new Map(data.documents.map((d) => [d.id, d]));
  for (const v of data.versions) {
    const d = docs.get(v.document_id);
    const a = alliance.get(d.alliance_id);
    rows.push(entry({
      at: v.created_at,
      action: v.version === 1 ? "document.create" : "document.version",
      entity_type: "document",
      entity_id: d.id,
      region_id: a.region_id,
      alliance_id: a.id,
      actor_id: v.created_by,
      actor_name: v.created_by ? userName.get(v.created_by) ?? null : null,
      detail: JSON.stringify({ title: d.title, version: v.version })
    }));
  }
  const apps = new Map(data.applications.map((p) => [p.id, p]));
  for (const d of data.decisions) {
    const p = apps.get(d.application_id);
    const a = alliance.get(p.alliance_id);
    rows.push(entry({
      at: d.at,
      action: `application.${d.step}`,
      entity_type: "application",
      entity_id: p.id,
      region_id: a.region_id,
      alliance_id: a.id,
      school_id: p.school_id,
      actor_id: d.actor_id,
      actor_name: d.actor_name,
      detail: JSON.stringify({ school: schoolName.get(p.school_id), step: d.step, decision: d.decision, comment: d.comment })
    }));
  }
  return rows.sort((x, y) => x.at < y.at ? -1 : x.at > y.at ? 1 : 0);
}
var init_audit2 = __esm({
  "src/server/seed/audit.ts"() {
    "use strict";
  }
});

// src/server/seed/insert.ts
async function insertBatched(db, table, rows, batchSize = 500) {
  for (let i = 0; i < rows.length; i += batchSize) {
    const chunk = rows.slice(i, i + batchSize);
    await db.insertInto(table).values(chunk).execute();
  }
}
var init_insert = __esm({
  "src/server/seed/insert.ts"() {
    "use strict";
  }
});

// src/server/seed/province.ts
function cnNumber(n) {
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : CN_DIGITS[tens]}\u5341${ones ? CN_DIGITS[ones] : ""}`;
}
function uniqueNames(rng, n, suffix, taken) {
  const out = [];
  let guard = 0;
  while (out.length < n && guard++ < 1e4) {
    const name = rng.pick(C1) + rng.pick(C2) + suffix;
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  return out;
}
function buildProvince(today2, passwordHash) {
  const rng = new Rng("province");
  const Y = yearOf(today2);
  const setupAt = instant(addMonths2(today2, -12));
  const data = { regions: [], schools: [], indicators: [], alliances: [], members: [], users: [], grants: [] };
  const provinceId = "pr_0001";
  data.regions.push({ id: provinceId, parent_id: null, level: "province", code: PROVINCE_CODE, name: "\u6D77\u5DDD\u7701", created_at: setupAt });
  let regionSerial = 1;
  let schoolSerial = 0;
  let allianceSerial = 0;
  let memberSerial = 0;
  let grantSerial = 0;
  const addUser = (id, username, regionId) => {
    data.users.push({
      id,
      username,
      display_name: personName(rng),
      email: null,
      phone: null,
      password_hash: passwordHash,
      must_change_password: 0,
      password_changed_at: instant(today2),
      school_id: null,
      region_id: regionId,
      locale: "zh-CN",
      status: "active",
      failed_logins: 0,
      locked_until: null,
      oidc_subject: null,
      last_login_at: null,
      created_at: setupAt,
      updated_at: setupAt
    });
    grantSerial++;
    data.grants.push({
      id: `pg_${pad(grantSerial, 5)}`,
      user_id: id,
      role: "bureau_admin",
      scope_type: "region",
      scope_id: regionId,
      subject: null,
      granted_by: null,
      granted_at: setupAt
    });
  };
  addUser("pu_bench_bureau", "bench_bureau", provinceId);
  CITY_NAMES.forEach((stem, ci) => {
    const cityId = `pr_${pad(++regionSerial, 4)}`;
    const cityCode = `38${pad(ci + 1, 2)}00`;
    const cityName = `${stem}\u5E02`;
    data.regions.push({ id: cityId, parent_id: provinceId, level: "city", code: cityCode, name: cityName, created_at: setupAt });
    addUser(`pu_${cityCode}`, `pb_${cityCode}`, cityId);
    if (ci === 0) addUser("pu_bench_city", "bench_city", cityId);
    const cityLat = 28 + rng.range(0, 4);
    const cityLng = 113 + rng.range(0, 5);
    const districtCount = ci < 2 ? 9 : 8;
    const urbanCount = ci < 4 ? 3 : 2;
    const taken = /* @__PURE__ */ new Set();
    const countyNames = uniqueNames(rng, districtCount - urbanCount, "\u53BF", taken);
    let cityHighSchool = 0;
    for (let di = 0; di < districtCount; di++) {
      const urban = di < urbanCount;
      const districtId = `pr_${pad(++regionSerial, 4)}`;
      const districtCode = `38${pad(ci + 1, 2)}${urban ? pad(di + 2, 2) : pad(21 + di - urbanCount, 2)}`;
      const dName = urban ? URBAN_DISTRICTS[di] : countyNames[di - urbanCount];
      data.regions.push({ id: districtId, parent_id: cityId, level: "district", code: districtCode, name: dName, created_at: setupAt });
      addUser(`pu_${districtCode}`, `pb_${districtCode}`, districtId);
      const full = `${cityName}${dName}`;
      const prefix = urban ? full : dName;
      const towns = urban ? [] : uniqueNames(rng, 16, rng.chance(0.7) ? "\u9547" : "\u4E61", /* @__PURE__ */ new Set());
      const villageNames = /* @__PURE__ */ new Set();
      const cLat = cityLat + rng.range(-0.5, 0.5);
      const cLng = cityLng + rng.range(-0.5, 0.5);
      const counters = /* @__PURE__ */ new Map();
      const next = (k) => {
        const n = (counters.get(k) ?? 0) + 1;
        counters.set(k, n);
        return n;
      };
      const districtSchools = [];
      let serialInDistrict = 0;
      for (const slot of urban ? URBAN_MIX : COUNTY_MIX) {
        for (let n = 0; n < slot.count; n++) {
          const town = towns.length ? towns[next(`town-${slot.type}-${slot.loc}`) % towns.length] : "";
          const village = slot.loc === "village" ? uniqueNames(rng, 1, "\u6751", villageNames)[0] ?? `${n + 1}\u6751` : "";
          let name;
          let ownership = "public";
          switch (slot.type) {
            case "primary":
              name = slot.loc === "village" ? `${prefix}${town}${village}\u5C0F\u5B66` : slot.loc === "township" ? `${prefix}${town}\u4E2D\u5FC3\u5C0F\u5B66` : `${prefix}\u7B2C${cnNumber(next("p"))}\u5C0F\u5B66`;
              break;
            case "teaching_point":
              name = `${prefix}${town}${village}\u6559\u5B66\u70B9`;
              break;
            case "junior":
              name = slot.loc === "township" ? `${prefix}${town}\u4E2D\u5B66` : `${prefix}\u7B2C${cnNumber(next("j"))}\u521D\u7EA7\u4E2D\u5B66`;
              break;
            case "nine_year":
              name = slot.loc === "township" ? `${prefix}${town}\u4E5D\u5E74\u4E00\u8D2F\u5236\u5B66\u6821` : `${prefix}\u7B2C${cnNumber(next("n"))}\u5B9E\u9A8C\u5B66\u6821`;
              break;
            case "complete_secondary":
            case "senior":
              name = urban ? `${cityName}\u7B2C${cnNumber(++cityHighSchool)}\u4E2D\u5B66` : `${prefix}\u7B2C${cnNumber(next("h"))}\u4E2D\u5B66`;
              break;
            case "twelve_year":
              name = `${cityName}${dName.replace(/区$/, "")}\u5916\u56FD\u8BED\u5B66\u6821`;
              ownership = "private";
              break;
            case "vocational":
              name = n === 0 ? `${prefix}\u804C\u4E1A\u6280\u672F\u5B66\u6821` : `${full}\u804C\u4E1A\u4E2D\u7B49\u4E13\u4E1A\u5B66\u6821`;
              if (n > 0 && rng.chance(0.5)) ownership = "private";
              break;
            case "special":
              name = `${prefix}\u7279\u6B8A\u6559\u80B2\u5B66\u6821`;
              break;
            default:
              name = slot.loc === "township" ? `${prefix}${town}\u4E2D\u5FC3\u5E7C\u513F\u56ED` : `${prefix}\u7B2C${cnNumber(next("k"))}\u5E7C\u513F\u56ED`;
              if (urban && rng.chance(0.3)) ownership = "private";
          }
          const tags = [];
          if (slot.loc === "township" || slot.loc === "village") tags.push("rural");
          if (slot.loc === "village") tags.push("small");
          if ((slot.loc === "urban" || slot.loc === "county_town") && rng.chance(0.18)) tags.push("quality");
          else if (rng.chance(slot.loc === "village" ? 0.6 : slot.loc === "township" ? 0.3 : 0.08)) tags.push("weak");
          if (slot.loc === "urban" && rng.chance(0.1)) tags.push("new");
          const size = schoolSize(rng, slot.type, slot.loc, tags);
          schoolSerial++;
          serialInDistrict++;
          const id = `ps_${pad(schoolSerial, 5)}`;
          const spread = slot.loc === "urban" || slot.loc === "county_town" ? 0.05 : 0.25;
          const row = {
            id,
            region_id: districtId,
            code: schoolCode(districtCode, serialInDistrict),
            credit_code: creditCode(ownership, districtCode, 1e5 + schoolSerial),
            name,
            short_name: null,
            type: slot.type,
            ownership,
            location: slot.loc,
            tags: JSON.stringify(tags),
            address: slot.loc === "village" ? `${full}${town}${village}` : slot.loc === "township" ? `${full}${town}` : `${full}${rng.pick(["\u4EBA\u6C11\u8DEF", "\u5EFA\u8BBE\u8DEF", "\u6587\u5316\u8DEF", "\u5B66\u5E9C\u8DEF", "\u65B0\u534E\u8DEF"])}${rng.int(1, 400)}\u53F7`,
            lat: Math.round((cLat + rng.range(-spread, spread)) * 1e6) / 1e6,
            lng: Math.round((cLng + rng.range(-spread, spread)) * 1e6) / 1e6,
            principal: personName(rng),
            phone: null,
            founded_year: tags.includes("new") ? rng.int(Y - 6, Y - 1) : rng.int(1920, 2010),
            students: size.students,
            teachers: size.teachers,
            classes: size.classes,
            created_at: setupAt,
            updated_at: setupAt
          };
          data.schools.push(row);
          districtSchools.push(row);
          data.indicators.push({
            school_id: id,
            year: Y - 1,
            ...indicatorValues(rng, { type: slot.type, location: slot.loc, tags, ownership }, size),
            updated_by: null,
            updated_at: setupAt
          });
        }
      }
      const fusionSchools = /* @__PURE__ */ new Set();
      const strong = districtSchools.filter(
        (s) => s.ownership === "public" && (s.location === "urban" || s.location === "county_town") && !["special", "kindergarten", "vocational"].includes(s.type)
      );
      const cores = rng.sample(strong, 8);
      for (const core of cores) {
        const r = rng.float();
        let kind = r < 0.2 ? "fusion" : r < 0.65 ? "aggregation" : "union";
        if (kind === "fusion" && fusionSchools.has(core.id)) kind = "aggregation";
        const pattern = rng.pick(["mother_child", "mentor", "partner", "urban_rural"]);
        const pool = districtSchools.filter((s) => s.id !== core.id && (kind !== "fusion" || !fusionSchools.has(s.id)));
        const members = rng.sample(pool, rng.int(3, 12));
        if (members.length < 3) continue;
        allianceSerial++;
        const id = `pa_${pad(allianceSerial, 4)}`;
        const cycleStart = monthStart(today2, -rng.int(1, 34));
        const founded = rng.chance(0.4) ? `${Y - rng.int(3, 10)}-09-01` : cycleStart;
        const assessed = rng.chance(0.6) ? addDays(monthStart(today2, -rng.int(1, 30)), 14) : null;
        const suffix = { fusion: "\u6559\u80B2\u96C6\u56E2", aggregation: pattern === "urban_rural" ? "\u57CE\u4E61\u6559\u80B2\u5171\u540C\u4F53" : "\u53D1\u5C55\u5171\u540C\u4F53", union: "\u6559\u80B2\u8054\u76DF" }[kind];
        data.alliances.push({
          id,
          region_id: districtId,
          name: `${core.name}${suffix}`,
          kind,
          pattern,
          core_school_id: core.id,
          description: null,
          status: "active",
          founded_on: founded < cycleStart ? founded : cycleStart,
          cycle_start_on: cycleStart,
          last_assessed_on: assessed && assessed > cycleStart ? assessed : null,
          created_at: setupAt,
          updated_at: setupAt
        });
        for (const [i, s] of [core, ...members].entries()) {
          if (kind === "fusion") fusionSchools.add(s.id);
          memberSerial++;
          data.members.push({
            id: `pm_${pad(memberSerial, 6)}`,
            alliance_id: id,
            school_id: s.id,
            alliance_kind: kind,
            role: i === 0 ? "core" : "member",
            status: "active",
            joined_on: cycleStart,
            exited_on: null,
            exit_reason: null,
            exit_by: null,
            created_at: setupAt
          });
        }
      }
    }
  });
  return data;
}
var PROVINCE_CODE, CITY_NAMES, URBAN_DISTRICTS, C1, C2, CN_DIGITS, URBAN_MIX, COUNTY_MIX;
var init_province = __esm({
  "src/server/seed/province.ts"() {
    "use strict";
    init_random();
    init_profiles();
    PROVINCE_CODE = "380000";
    CITY_NAMES = [
      "\u4E1C\u9675",
      "\u897F\u539F",
      "\u5357\u5C4F",
      "\u5317\u5CAD",
      "\u4E91\u6CFD",
      "\u9752\u5CF0",
      "\u767D\u6CB3",
      "\u7389\u6CC9",
      "\u957F\u98CE",
      "\u6E05\u6EAA",
      "\u4E39\u971E",
      "\u661F\u6E56",
      "\u9E7F\u9E23",
      "\u6F84\u6C5F",
      "\u971E\u6D66",
      "\u96C1\u95E8"
    ];
    URBAN_DISTRICTS = ["\u57CE\u5173\u533A", "\u4E1C\u57CE\u533A", "\u897F\u57CE\u533A", "\u65B0\u533A"];
    C1 = ["\u9752", "\u767D", "\u9EC4", "\u5B89", "\u5E73", "\u6E05", "\u957F", "\u6C38", "\u5BCC", "\u5174", "\u5B81", "\u548C", "\u4E30", "\u4EC1", "\u4E49", "\u5FB7", "\u6587", "\u65B0", "\u5D07", "\u9F99", "\u51E4", "\u77F3", "\u4E91", "\u677E", "\u67F3", "\u6843", "\u6885", "\u7AF9", "\u83B2", "\u91D1", "\u94F6", "\u53CC", "\u4E09", "\u5927", "\u5C0F", "\u9AD8", "\u53E4", "\u7EA2", "\u7EFF", "\u78A7"];
    C2 = ["\u5C71", "\u6C34", "\u6CB3", "\u5DDD", "\u9633", "\u6E90", "\u6C5F", "\u6EAA", "\u6797", "\u7530", "\u539F", "\u576A", "\u5C97", "\u6E56", "\u6CC9", "\u6865", "\u53E3", "\u575D", "\u5CAD", "\u5858", "\u6D32", "\u6E7E", "\u51B2", "\u6C9F", "\u5E84", "\u5821", "\u96C6", "\u5E97"];
    CN_DIGITS = ["\u96F6", "\u4E00", "\u4E8C", "\u4E09", "\u56DB", "\u4E94", "\u516D", "\u4E03", "\u516B", "\u4E5D"];
    URBAN_MIX = [
      { type: "primary", loc: "urban", count: 30 },
      { type: "junior", loc: "urban", count: 14 },
      { type: "nine_year", loc: "urban", count: 4 },
      { type: "complete_secondary", loc: "urban", count: 3 },
      { type: "senior", loc: "urban", count: 3 },
      { type: "twelve_year", loc: "urban", count: 1 },
      { type: "vocational", loc: "urban", count: 2 },
      { type: "special", loc: "urban", count: 1 },
      { type: "kindergarten", loc: "urban", count: 20 }
    ];
    COUNTY_MIX = [
      { type: "primary", loc: "county_town", count: 5 },
      { type: "primary", loc: "township", count: 15 },
      { type: "primary", loc: "village", count: 12 },
      { type: "teaching_point", loc: "village", count: 8 },
      { type: "junior", loc: "county_town", count: 3 },
      { type: "junior", loc: "township", count: 8 },
      { type: "nine_year", loc: "township", count: 4 },
      { type: "complete_secondary", loc: "county_town", count: 2 },
      { type: "senior", loc: "county_town", count: 2 },
      { type: "vocational", loc: "county_town", count: 1 },
      { type: "special", loc: "county_town", count: 1 },
      { type: "kindergarten", loc: "county_town", count: 4 },
      { type: "kindergarten", loc: "township", count: 13 }
    ];
  }
});

// src/server/seed/facilities-ledger.ts
async function seedLedger(tx, database, input) {
  const svc = new CreditService(database);
  const dialect = database.dialect;
  const dated = [];
  const tagsOf = new Map(input.schools.map((s) => [s.id, s]));
  for (const allianceId of input.alliances) {
    const rules = withDefaults({ ...RULES[allianceId] ?? {} });
    await tx.insertInto("credit_rules").values({ alliance_id: allianceId, rules: JSON.stringify(rules), updated_by: null, updated_at: input.setupAt }).execute();
    for (const schoolId of input.membersOf.get(allianceId) ?? []) {
      const s = tagsOf.get(schoolId);
      if (!s) continue;
      const g = startingGrantOf(rules, { tags: s.tags, location: s.location });
      if (g.amount <= 0) continue;
      const parts = [`\u8D77\u59CB\u79EF\u5206 ${g.base}`, g.weakExtra ? `\u8584\u5F31\u6821\u52A0\u53D1 ${g.weakExtra}` : "", g.ruralExtra ? `\u519C\u6751\u6821\u52A0\u53D1 ${g.ruralExtra}` : ""].filter(Boolean);
      await post(tx, dialect, {
        allianceId,
        kind: "grant",
        causeType: "starting_grant",
        causeId: schoolId,
        memo: parts.join("\uFF0C"),
        createdBy: null,
        legs: [{ owner: issuanceOf(allianceId), amount: -g.amount }, { owner: { type: "school", id: schoolId }, amount: g.amount }]
      });
    }
  }
  const byTime = [...input.bookings].filter((b) => b.status !== "rejected" && b.status !== "pending").sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let extra = 0;
  for (const b of byTime) {
    const q = await svc.quote(tx, b);
    if (q.free || q.amount <= 0) continue;
    const rules = withDefaults({ ...RULES[b.allianceId] ?? {} });
    const acc = await accountOf(tx, b.allianceId, { type: "school", id: b.bookerSchoolId });
    if (acc.balance - q.amount < -rules.overdraftLimit + 100) {
      const res = await post(tx, dialect, {
        allianceId: b.allianceId,
        kind: "grant",
        causeType: "request",
        causeId: `seed-extra-${++extra}`,
        memo: "\u5B66\u671F\u4E2D\u8FFD\u52A0\u79EF\u5206\uFF08\u8584\u5F31\u6821\u5E2E\u6276\uFF09",
        createdBy: null,
        legs: [{ owner: issuanceOf(b.allianceId), amount: -1e3 }, { owner: { type: "school", id: b.bookerSchoolId }, amount: 1e3 }]
      });
      dated.push([res.transactionId, b.createdAt]);
    }
    const charge = await svc.chargeBooking(tx, null, b);
    if (!charge.transactionId) continue;
    await tx.updateTable("bookings").set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where("id", "=", b.id).execute();
    if (b.status === "cancelled") {
      await svc.refundBooking(tx, null, b, { timely: true });
    } else if (b.status === "no_show") {
      await svc.penalizeNoShow(tx, null, b);
    }
  }
  await tx.updateTable("credit_transactions").set({ created_at: input.setupAt }).where("cause_type", "=", "starting_grant").execute();
  const from = (column, kind) => tx.updateTable("credit_transactions").set((eb) => ({ created_at: eb.selectFrom("bookings as b").select(`b.${column}`).whereRef("b.id", "=", "credit_transactions.cause_id") })).where("cause_type", "=", "booking").where("kind", "=", kind).execute();
  await from("created_at", "booking_charge");
  await from("cancelled_at", "booking_refund");
  await from("end_at", "no_show_penalty");
  for (const [id, at] of dated) await tx.updateTable("credit_transactions").set({ created_at: at }).where("id", "=", id).execute();
  await tx.updateTable("audit_log").set((eb) => ({ at: eb.selectFrom("credit_transactions as t").select("t.created_at").whereRef("t.id", "=", "audit_log.entity_id") })).where("entity_type", "=", "credit_transaction").execute();
  const n = await tx.selectFrom("credit_transactions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
  return Number(n?.n ?? 0);
}
var RULES;
var init_facilities_ledger = __esm({
  "src/server/seed/facilities-ledger.ts"() {
    "use strict";
    init_service3();
    init_ledger();
    init_pricing();
    RULES = {
      a_0001: { hostSharePct: 80, startingGrant: 1500, weakExtraGrant: 500, ruralExtraGrant: 500 },
      a_0002: { hostSharePct: 70, startingGrant: 1200, weakExtraGrant: 600, ruralExtraGrant: 800, overdraftLimit: 300 },
      a_0003: { hostSharePct: 75, startingGrant: 1e3 },
      a_0004: { startingGrant: 1e3, ruralExtraGrant: 600, weakExtraGrant: 400 }
    };
  }
});

// src/server/seed/facilities.ts
function kindsFor(type, tags, loc, isCore) {
  const small = tags.includes("small") || loc === "village";
  const strong = isCore || tags.includes("quality");
  switch (type) {
    case "teaching_point":
      return ["smart_classroom"];
    case "kindergarten":
      return small ? ["music_room"] : ["music_room", "art_room", ...strong ? ["dance_room"] : []];
    case "primary":
      if (small) return ["science_lab", "track_field"];
      return [
        "science_lab",
        "computer_room",
        "music_room",
        "track_field",
        ...strong ? ["art_room", "gym", "maker_space", "library", "recording_studio"] : loc === "urban" ? ["gym"] : []
      ];
    case "junior":
    case "nine_year":
      return [
        "physics_lab",
        "chemistry_lab",
        "biology_lab",
        "computer_room",
        "gym",
        "track_field",
        ...type === "nine_year" ? ["science_lab"] : [],
        ...strong ? ["maker_space", "library", "music_room"] : []
      ];
    case "complete_secondary":
    case "senior":
    case "twelve_year":
      return [
        "physics_lab",
        "chemistry_lab",
        "biology_lab",
        "computer_room",
        "gym",
        "track_field",
        "library",
        "lecture_hall",
        ...strong ? ["maker_space", "recording_studio", "smart_classroom", "music_room", "art_room"] : [],
        ...strong && type !== "twelve_year" ? ["swimming_pool"] : []
      ];
    case "vocational":
      return ["computer_room", "maker_space", "labor_base", "lecture_hall", "track_field"];
    case "special":
      return ["music_room", "art_room", "gym", "smart_classroom"];
    default:
      return ["smart_classroom"];
  }
}
async function context(tx) {
  const [schools, alliances, members, partnerLinks, partners, teachers, admins] = await Promise.all([
    tx.selectFrom("schools").select(["id", "name", "short_name", "region_id", "type", "location", "tags"]).where("region_id", "in", ["r_0003", "r_0004", "r_0005"]).orderBy("id").execute(),
    tx.selectFrom("alliances").select(["id", "core_school_id", "region_id"]).orderBy("id").execute(),
    tx.selectFrom("alliance_members").select(["alliance_id", "school_id"]).where("status", "=", "active").orderBy("id").execute(),
    tx.selectFrom("alliance_partners").select(["alliance_id", "partner_id"]).orderBy("alliance_id").orderBy("partner_id").execute(),
    tx.selectFrom("partners").select(["id", "name", "region_id"]).where("region_id", "=", "r_0002").orderBy("id").execute(),
    tx.selectFrom("users as u").innerJoin("role_grants as g", "g.user_id", "u.id").select(["u.id", "u.display_name", "g.scope_id"]).where("g.role", "=", "teacher").where("g.scope_type", "=", "school").orderBy("u.id").execute(),
    tx.selectFrom("role_grants").select(["user_id", "scope_id"]).where("role", "=", "school_admin").orderBy("user_id").execute()
  ]);
  return { schools, alliances, members, partnerLinks, partners, teachers, admins };
}
async function seedFacilities(database, today2) {
  const started = Date.now();
  const setupAt = `${addDays(TERM.from, -20)}T01:00:00.000Z`;
  const nowMs = localMs(today2, "08:00");
  const rng = new Rng("demo/facilities");
  const rngBook = new Rng("demo/bookings");
  return database.db.transaction().execute(async (tx) => {
    const c = await context(tx);
    const coreOf = new Set(c.alliances.map((a) => a.core_school_id));
    const alliancesOf = /* @__PURE__ */ new Map();
    for (const m of c.members) alliancesOf.set(m.school_id, [...alliancesOf.get(m.school_id) ?? [], m.alliance_id]);
    const membersOf = /* @__PURE__ */ new Map();
    for (const m of c.members) membersOf.set(m.alliance_id, [...membersOf.get(m.alliance_id) ?? [], m.school_id]);
    const teachersOf = /* @__PURE__ */ new Map();
    for (const t of c.teachers) if (t.scope_id) teachersOf.set(t.scope_id, [...teachersOf.get(t.scope_id) ?? [], t]);
    const model = await tx.selectFrom("users").selectAll().where("id", "=", "u_teacher").executeTakeFirstOrThrow();
    const users = [
      { ...model, id: "u_rural_teacher", username: "rural_teacher", display_name: "\u8C2D\u6625\u71D5", email: "rural_teacher@demo.xiaolian.local", school_id: "s_00034", region_id: "r_0004" },
      { ...model, id: "u_principal_1z", username: "principal_1z", display_name: "\u90B1\u5EFA\u534E", email: "principal_1z@demo.xiaolian.local", school_id: "s_00010", region_id: "r_0003" }
    ];
    await insertBatched(tx, "users", users);
    await insertBatched(tx, "role_grants", [
      { id: "g_f0001", user_id: "u_rural_teacher", role: "teacher", scope_type: "school", scope_id: "s_00034", subject: "chemistry", granted_by: null, granted_at: model.created_at },
      { id: "g_f0002", user_id: "u_principal_1z", role: "school_admin", scope_type: "school", scope_id: "s_00010", subject: null, granted_by: null, granted_at: model.created_at }
    ]);
    teachersOf.set("s_00034", [{ id: "u_rural_teacher", display_name: "\u8C2D\u6625\u71D5" }, ...teachersOf.get("s_00034") ?? []]);
    const facilities = [];
    const hours2 = [];
    const equipment = [];
    const adminOf = /* @__PURE__ */ new Map();
    for (const a of c.admins) if (a.scope_id && !adminOf.has(a.scope_id)) adminOf.set(a.scope_id, a.user_id);
    const facs = [];
    let fSerial = 0;
    let hSerial = 0;
    let eSerial = 0;
    const addFacility = (f) => {
      const id = `fac_${pad(++fSerial, 4)}`;
      const k = f.kind;
      const sl = SLOTS[k.hours];
      const capacity = rng.int(k.capacity[0], k.capacity[1]);
      facilities.push({
        id,
        school_id: f.schoolId,
        partner_id: f.partnerId,
        region_id: f.regionId,
        type: f.type,
        subject: k.subject ?? null,
        name: f.name,
        capacity,
        location: f.location,
        photos: "[]",
        equipment_text: k.equipment.map(([, name, qty]) => `${name}\xD7${qty}`).join("\u3001") || null,
        safety_rules: k.safety,
        responsibility_terms: f.type.endsWith("_lab") || f.type === "maker_space" ? LAB_TERMS : k.hours === "sports" ? SPORTS_TERMS : ROOM_TERMS,
        community_open: f.community ? 1 : 0,
        policy: f.manual ? "manual" : "auto",
        min_minutes: 60,
        max_minutes: k.hours === "venue" ? 180 : 240,
        min_notice_hours: 24,
        max_days_ahead: 180,
        buffer_minutes: 0,
        weekly_quota_hours: f.schoolId && coreOf.has(f.schoolId) ? 12 : null,
        cancel_deadline_hours: 24,
        status: "active",
        created_by: null,
        created_at: setupAt,
        updated_at: setupAt
      });
      for (const d of sl.days) hours2.push({ id: `foh_${pad(++hSerial, 5)}`, facility_id: id, weekday: d, open: sl.open[0], close: sl.open[1] });
      if (sl.weekend && f.community) hours2.push({ id: `foh_${pad(++hSerial, 5)}`, facility_id: id, weekday: 6, open: sl.weekend.open[0], close: sl.weekend.open[1] });
      for (const [code, name, qty, usage] of k.equipment) {
        const n = Math.max(1, Math.round(qty * (f.rate > 0.3 ? 1 : rng.range(0.4, 0.8))));
        equipment.push({
          id: `eq_${pad(++eSerial, 5)}`,
          facility_id: id,
          school_id: f.schoolId,
          partner_id: f.partnerId,
          region_id: f.regionId,
          type: code,
          name,
          quantity: n,
          status: rng.chance(0.06) ? "repair" : "available",
          usage,
          note: null,
          created_at: setupAt,
          updated_at: setupAt
        });
      }
      facs.push({ ...f, id, capacity });
      return id;
    };
    for (const s of c.schools) {
      const tags = JSON.parse(s.tags);
      const isCore = coreOf.has(s.id);
      const strong = isCore || tags.includes("quality");
      const rural = tags.includes("rural") || s.location === "village" || s.location === "township";
      const list = kindsFor(s.type, tags, s.location, isCore);
      const building = rng.pick(["\u5B9E\u9A8C\u697C", "\u7EFC\u5408\u697C", "\u79D1\u6280\u697C", "\u827A\u4F53\u697C"]);
      for (const [i, type] of list.entries()) {
        const kind = KINDS[type];
        const idleGym = s.id === "s_00029" && type === "gym";
        const base = strong ? rng.range(0.55, 0.8) : rural ? rng.range(0.25, 0.42) : rng.range(0.35, 0.55);
        const rate2 = idleGym ? 0.05 : base;
        const short = s.short_name ?? s.name;
        const name = type === "chemistry_lab" && s.id === "s_00010" ? "\u4E34\u5DDD\u4E00\u4E2D\u5316\u5B66\u5B9E\u9A8C\u5BA4\uFF08\u4E00\uFF09" : `${short}${kind.name}`;
        addFacility({
          type,
          kind,
          schoolId: s.id,
          partnerId: null,
          rate: rate2,
          regionId: s.region_id,
          name,
          location: kind.hours === "sports" ? type === "track_field" ? "\u6821\u56ED\u4E1C\u4FA7" : "\u4F53\u827A\u9986" : `${building}${rng.int(1, 4)}\u697C${pad(i + 1, 2)}\u5BA4`,
          manual: isCore && (type.endsWith("_lab") || type === "recording_studio" || type === "swimming_pool"),
          community: kind.hours === "sports" && strong,
          alliances: alliancesOf.get(s.id) ?? []
        });
        if (type === "chemistry_lab" && s.id === "s_00010") {
          addFacility({ type, kind, schoolId: s.id, partnerId: null, rate: 0.35, regionId: s.region_id, name: "\u4E34\u5DDD\u4E00\u4E2D\u5316\u5B66\u5B9E\u9A8C\u5BA4\uFF08\u4E8C\uFF09", location: `${building}3\u697C05\u5BA4`, manual: true, community: false, alliances: alliancesOf.get(s.id) ?? [] });
        }
      }
    }
    const venueKind = (name) => ({ name, capacity: [60, 150], hours: "venue", equipment: [], safety: "\u542C\u4ECE\u8BB2\u89E3\u5458\u5B89\u6392\uFF0C\u53C2\u89C2\u65F6\u4FDD\u6301\u961F\u5217\uFF0C\u4E0D\u89E6\u6478\u5C55\u54C1\uFF1B\u6BCF10\u540D\u5B66\u751F\u81F3\u5C111\u540D\u5E26\u961F\u6559\u5E08\u3002" });
    const partnerAlliances = (pid) => c.partnerLinks.filter((l) => l.partner_id === pid).map((l) => l.alliance_id);
    const venues = [
      ["p_0001", "\u4E34\u5DDD\u79D1\u6280\u9986\u5C11\u513F\u79D1\u5B66\u4E50\u56ED", "\u4E34\u5DDD\u79D1\u6280\u9986\u4E8C\u5C42", 0.2],
      ["p_0001", "\u4E34\u5DDD\u79D1\u6280\u9986\u521B\u5BA2\u5DE5\u574A", "\u4E34\u5DDD\u79D1\u6280\u9986\u4E09\u5C42", 0.15],
      ["p_0003", "\u4E34\u5DDD\u5E02\u535A\u7269\u9986\u7814\u5B66\u6559\u5BA4", "\u4E34\u5DDD\u5E02\u535A\u7269\u9986\u4E00\u5C42\u4E1C\u5385", 0.15],
      ["p_0006", "\u4E1C\u6E56\u8857\u9053\u793E\u533A\u6587\u5316\u7AD9", "\u4E1C\u6E56\u8857\u9053\u793E\u533A\u670D\u52A1\u4E2D\u5FC3\u4E8C\u697C", 0.1]
    ];
    for (const [pid, name, location, rate2] of venues) {
      if (!c.partners.some((p) => p.id === pid)) continue;
      const kind = venueKind(name);
      const id = addFacility({ type: "community_venue", kind, schoolId: null, partnerId: pid, rate: rate2, regionId: "r_0002", name, location, manual: false, community: true, alliances: partnerAlliances(pid) });
      equipment.push({ id: `eq_${pad(++eSerial, 5)}`, facility_id: id, school_id: null, partner_id: pid, region_id: "r_0002", type: "guide", name: "\u8BB2\u89E3\u5668", quantity: 40, status: "available", usage: "onsite", note: null, created_at: setupAt, updated_at: setupAt });
    }
    const terms = c.schools.map((s, i) => ({ id: `term_${pad(i + 1, 5)}`, school_id: s.id, name: TERM.name, start_date: TERM.from, end_date: TERM.to, created_at: setupAt }));
    const closures = [];
    let cSerial = 0;
    const closure = (target, from, to, kind, reason) => closures.push({ id: `cl_${pad(++cSerial, 5)}`, facility_id: target.facility_id ?? null, school_id: target.school_id ?? null, start_date: from, end_date: to, kind, reason, created_by: null, created_at: setupAt });
    for (const s of c.schools) {
      const secondary = !["primary", "kindergarten", "teaching_point"].includes(s.type);
      closure({ school_id: s.id }, "2026-10-01", "2026-10-07", "holiday", "\u56FD\u5E86\u8282\u3001\u4E2D\u79CB\u8282\u5047\u671F");
      if (s.type !== "kindergarten") {
        closure({ school_id: s.id }, secondary ? "2026-11-09" : "2026-11-12", secondary ? "2026-11-11" : "2026-11-13", "exam", "\u671F\u4E2D\u8003\u8BD5");
        closure({ school_id: s.id }, "2027-01-18", "2027-01-22", "exam", "\u671F\u672B\u8003\u8BD5\u5468");
      }
      closure({ school_id: s.id }, "2027-01-01", "2027-01-03", "holiday", "\u5143\u65E6\u5047\u671F");
    }
    const repairGym = facs.find((f) => f.schoolId === "s_00001" && f.type === "gym");
    if (repairGym) closure({ facility_id: repairGym.id }, "2026-12-14", "2026-12-18", "repair", "\u4F53\u80B2\u9986\u6728\u5730\u677F\u7FFB\u65B0");
    const closedDays = /* @__PURE__ */ new Set();
    for (const cl of closures) for (let d = cl.start_date; d <= cl.end_date; d = addDays(d, 1)) closedDays.add(`${cl.facility_id ?? cl.school_id}|${d}`);
    const closedOn = (f, date) => closedDays.has(`${f.id}|${date}`) || f.schoolId != null && closedDays.has(`${f.schoolId}|${date}`);
    const kits = [];
    const rotations = [];
    const kitSpecs = [
      ["a_0002", "mobile_lab", "\u6D41\u52A8\u7406\u5316\u751F\u5B9E\u9A8C\u5BA4\uFF08\u4E34\u5DDD\u4E00\u4E2D\uFF09", "\u4E00\u8F86\u5B9E\u9A8C\u8F66\u8F7D\u7269\u7406\u3001\u5316\u5B66\u3001\u751F\u7269\u5206\u7EC4\u5B9E\u9A8C\u5668\u6750\u5404\u4E00\u5957\uFF0C\u7531\u4E34\u5DDD\u4E00\u4E2D\u5B9E\u9A8C\u5458\u968F\u8F66\uFF0C\u6BCF\u4E24\u5468\u8F6E\u6362\u4E00\u6240\u6210\u5458\u6821\u3002"],
      ["a_0004", "mobile_sports_kit", "\u79FB\u52A8\u4F53\u80B2\u5668\u6750\u7BB1\uFF08\u9752\u5C71\u53BF\u5B9E\u9A8C\u5C0F\u5B66\uFF09", "\u542B\u8F6F\u5F0F\u6392\u7403\u3001\u8DF3\u7EF3\u3001\u654F\u6377\u68AF\u3001\u4F53\u80FD\u8BAD\u7EC3\u5668\u6750\uFF0C\u4F9B\u6751\u5C0F\u548C\u4E61\u9547\u5C0F\u5B66\u4F53\u80B2\u8BFE\u8F6E\u6D41\u4F7F\u7528\u3002"]
    ];
    let rSerial = 0;
    kitSpecs.forEach(([allianceId, kind, name, description], i) => {
      const members = (membersOf.get(allianceId) ?? []).filter((sid) => sid !== c.alliances.find((a) => a.id === allianceId)?.core_school_id);
      if (members.length === 0) return;
      const kitId = `kit_${pad(i + 1, 3)}`;
      kits.push({ id: kitId, alliance_id: allianceId, kind, name, description, created_at: setupAt });
      let from = "2026-09-07";
      for (let n = 0; from < TERM.to; n++) {
        const to = addDays(from, 11);
        rotations.push({ id: `rot_${pad(++rSerial, 4)}`, kit_id: kitId, school_id: members[n % members.length], from_date: from, to_date: to < TERM.to ? to : TERM.to, note: null, created_at: setupAt });
        from = addDays(from, 14);
      }
    });
    const bookings = [];
    const forLedger = [];
    let bSerial = 0;
    const pickBooker = (f, cross) => {
      if (f.schoolId && !cross) {
        const t2 = rngBook.pick(teachersOf.get(f.schoolId) ?? []);
        return t2 ? { userId: t2.id, name: t2.display_name, schoolId: f.schoolId, allianceId: null } : null;
      }
      const allianceId = f.alliances.length ? rngBook.pick(f.alliances) : null;
      if (!allianceId) return null;
      const others = (membersOf.get(allianceId) ?? []).filter((sid2) => sid2 !== f.schoolId);
      const sid = others.length ? rngBook.pick(others) : null;
      const t = sid ? rngBook.pick(teachersOf.get(sid) ?? []) : null;
      return t && sid ? { userId: t.id, name: t.display_name, schoolId: sid, allianceId } : null;
    };
    const addBooking = (f, date, slot, status, booker, extra = {}) => {
      const startMs = localMs(date, slot[0]);
      const endMs = localMs(date, slot[1]);
      const id = `bk_${pad(++bSerial, 6)}`;
      const createdMs = Math.min(startMs - rngBook.int(2, 14) * DAY3, nowMs - 36e5);
      const decided = status !== "pending";
      const kind = f.type;
      const owner = f.schoolId ? adminOf.get(f.schoolId) ?? null : null;
      bookings.push({
        id,
        facility_id: f.id,
        alliance_id: booker.allianceId,
        booker_id: booker.userId,
        booker_school_id: booker.schoolId,
        series_id: null,
        start_at: iso(startMs),
        end_at: iso(endMs),
        start_ms: startMs,
        end_ms: endMs,
        block_end_ms: endMs,
        purpose: rngBook.pick(PURPOSES[kind] ?? PURPOSES.smart_classroom),
        group_size: rngBook.int(20, Math.min(50, f.capacity)),
        responsible_teacher: booker.name,
        status,
        decided_by: decided && f.manual ? extra.decidedBy ?? owner : null,
        decided_at: decided && status !== "cancelled" ? iso(createdMs + 3 * 36e5) : null,
        decision_reason: status === "rejected" ? "\u8BE5\u65F6\u6BB5\u672C\u6821\u5DF2\u5B89\u6392\u5B9E\u9A8C\u8003\u67E5\uFF0C\u8BF7\u6539\u7EA6\u5176\u4ED6\u65F6\u6BB5" : null,
        checked_in_at: status === "checked_in" ? iso(startMs - 5 * 6e4) : null,
        cancelled_at: status === "cancelled" ? iso(Math.min(startMs - 2 * DAY3, nowMs - 36e5)) : null,
        cancelled_by: status === "cancelled" ? booker.userId : null,
        charge_tx_id: null,
        charge_amount: 0,
        created_at: iso(createdMs),
        updated_at: iso(createdMs)
      });
      if (booker.allianceId && booker.schoolId !== f.schoolId) {
        forLedger.push({ id, allianceId: booker.allianceId, facilityId: f.id, facilityType: f.type, hostSchoolId: f.schoolId, hostPartnerId: f.partnerId, bookerSchoolId: booker.schoolId, startAt: iso(startMs), endAt: iso(endMs), status, createdAt: iso(createdMs), cancelledAt: status === "cancelled" ? iso(Math.min(startMs - 2 * DAY3, nowMs - 36e5)) : null });
      }
    };
    const lastPast = addDays(today2, -1);
    const futureEnd = addDays(today2, 13);
    for (const f of facs) {
      const sl = SLOTS[f.kind.hours];
      const crossShare = f.partnerId ? 1 : f.schoolId && coreOf.has(f.schoolId) ? 0.04 : f.alliances.length ? 0.01 : 0;
      const rate2 = f.alliances.length ? f.rate : f.rate * 0.3;
      for (let date = LIVE_SINCE; date <= futureEnd; date = addDays(date, 1)) {
        const wd = weekday(date);
        const slots = sl.days.includes(wd) ? sl.slots : wd === 6 && sl.weekend && f.community ? sl.weekend.slots : [];
        if (slots.length === 0 || closedOn(f, date)) continue;
        const past = date <= lastPast;
        if (!past && date === today2) continue;
        const p = past ? rate2 : rate2 * Math.max(0.15, 0.75 - (Date.parse(date) - Date.parse(today2)) / DAY3 / 30);
        for (const slot of slots) {
          if (!rngBook.chance(p)) continue;
          const booker = pickBooker(f, rngBook.chance(past ? crossShare : f.manual ? 0.3 : Math.min(1, crossShare * 2)));
          if (!booker) continue;
          const roll = rngBook.float();
          let status;
          if (past) status = roll < 0.05 ? "cancelled" : roll < 0.1 ? "no_show" : "checked_in";
          else if (f.manual && booker.schoolId !== f.schoolId) status = roll < 0.5 ? "pending" : roll < 0.55 ? "cancelled" : "accepted";
          else status = roll < 0.05 ? "cancelled" : "accepted";
          addBooking(f, date, slot, status, booker);
          if (booker.schoolId !== f.schoolId && f.manual && rngBook.chance(0.08)) {
            const other = pickBooker(f, true);
            if (other) addBooking(f, date, slot, "rejected", other);
          }
        }
      }
    }
    const sciLab = facs.find((f) => f.schoolId === "s_00001" && f.type === "science_lab");
    const chem1 = facs.find((f) => f.schoolId === "s_00010" && f.type === "chemistry_lab");
    const held = (f, s, e) => bookings.some((b) => b.facility_id === f.id && ["accepted", "checked_in", "pending"].includes(b.status) && Number(b.start_ms) < e && s < Number(b.end_ms));
    const own = (f, user, dates, slot, statusOf) => {
      if (!f) return;
      for (const d of dates) {
        if (closedOn(f, d) || held(f, localMs(d, slot[0]), localMs(d, slot[1]))) continue;
        addBooking(f, d, slot, statusOf(d), user);
      }
    };
    const weeklyFrom = (start, n) => Array.from({ length: n }, (_, i) => addDays(start, i * 7));
    own(
      sciLab,
      { userId: "u_teacher", name: "\u9648\u6653\u71D5", schoolId: "s_00003", allianceId: "a_0001" },
      weeklyFrom("2026-10-20", 9),
      ["14:00", "16:00"],
      (d) => d < today2 ? d === "2026-10-27" ? "no_show" : "checked_in" : d < addDays(today2, 8) ? "accepted" : "pending"
    );
    own(
      chem1,
      { userId: "u_rural_teacher", name: "\u8C2D\u6625\u71D5", schoolId: "s_00034", allianceId: "a_0002" },
      weeklyFrom("2026-10-23", 4),
      ["08:00", "10:00"],
      (d) => d < today2 ? "checked_in" : "accepted"
    );
    if (process.env.XL_SEED_TIMING) console.log("build", Date.now() - started);
    await insertBatched(tx, "facilities", facilities);
    await insertBatched(tx, "facility_open_hours", hours2);
    await insertBatched(tx, "equipment", equipment);
    await insertBatched(tx, "school_terms", terms);
    await insertBatched(tx, "closures", closures);
    await insertBatched(tx, "mobile_kits", kits);
    await insertBatched(tx, "kit_rotations", rotations);
    await insertBatched(tx, "bookings", bookings, 400);
    if (process.env.XL_SEED_TIMING) console.log("inserted", Date.now() - started);
    const transactions = await seedLedger(tx, database, {
      today: today2,
      setupAt,
      schools: c.schools.map((s) => ({ id: s.id, tags: JSON.parse(s.tags), location: s.location })),
      alliances: c.alliances.map((a) => a.id),
      membersOf,
      partnerLinks: c.partnerLinks,
      bookings: forLedger
    });
    if (process.env.XL_SEED_TIMING) console.log("ledger", Date.now() - started);
    return { facilities: facilities.length, bookings: bookings.length, transactions, ms: Date.now() - started };
  });
}
var TERM, LIVE_SINCE, FACILITY_DEMO_ACCOUNTS, TZ, DAY3, localMs, iso, weekday, LAB_TERMS, ROOM_TERMS, SPORTS_TERMS, KINDS, SLOTS, PURPOSES;
var init_facilities2 = __esm({
  "src/server/seed/facilities.ts"() {
    "use strict";
    init_demo_data();
    init_insert();
    init_random();
    init_facilities_ledger();
    TERM = { name: "2026-2027\u5B66\u5E74\u7B2C\u4E00\u5B66\u671F", from: "2026-09-01", to: "2027-01-22" };
    LIVE_SINCE = "2026-10-19";
    FACILITY_DEMO_ACCOUNTS = [
      { username: "rural_teacher", role: "teacher", note: "\u9752\u5C71\u53BF\u77F3\u95E8\u9547\u4E2D\u5B66\u5316\u5B66\u6559\u5E08\uFF08\u4E34\u5DDD\u4E00\u4E2D\u57CE\u4E61\u6559\u80B2\u5171\u540C\u4F53\u6210\u5458\u6821\uFF0C\u519C\u6751\u6821\uFF09" },
      { username: "principal_1z", role: "school_admin", note: "\u4E34\u5DDD\u5E02\u7B2C\u4E00\u4E2D\u5B66\u6559\u52A1\u4E3B\u4EFB\uFF08\u5171\u540C\u4F53\u6838\u5FC3\u6821\uFF0C\u5316\u5B66\u5B9E\u9A8C\u5BA4\u7684\u5BA1\u6279\u4EBA\uFF09" }
    ];
    for (const a of FACILITY_DEMO_ACCOUNTS) if (!DEMO_ACCOUNTS.some((x) => x.username === a.username)) DEMO_ACCOUNTS.push(a);
    TZ = 8 * 36e5;
    DAY3 = 864e5;
    localMs = (date, hhmm) => Date.parse(`${date}T${hhmm}:00.000Z`) - TZ;
    iso = (ms) => new Date(ms).toISOString();
    weekday = (date) => {
      const d = (/* @__PURE__ */ new Date(`${date}T00:00:00.000Z`)).getUTCDay();
      return d === 0 ? 7 : d;
    };
    LAB_TERMS = "\u501F\u7528\u65B9\u8D1F\u8D23\u672C\u6821\u5B66\u751F\u7684\u7EC4\u7EC7\u4E0E\u5B89\u5168\u6559\u80B2\uFF0C\u5E26\u961F\u6559\u5E08\u5168\u7A0B\u5728\u573A\uFF1B\u6309\u5B9E\u9A8C\u5BA4\u89C4\u5219\u64CD\u4F5C\uFF0C\u56E0\u8FDD\u89C4\u64CD\u4F5C\u9020\u6210\u7684\u4EEA\u5668\u635F\u574F\u7531\u501F\u7528\u65B9\u7167\u4EF7\u8D54\u507F\uFF1B\u53D1\u751F\u610F\u5916\u987B\u7ACB\u5373\u62A5\u544A\u573A\u9986\u65B9\u5E76\u542F\u52A8\u5E94\u6025\u9884\u6848\u3002";
    ROOM_TERMS = "\u501F\u7528\u65B9\u8D1F\u8D23\u672C\u6821\u5B66\u751F\u7684\u7EC4\u7EC7\u4E0E\u5B89\u5168\uFF0C\u4F7F\u7528\u540E\u6062\u590D\u539F\u72B6\u3001\u5173\u95ED\u7535\u6E90\u95E8\u7A97\uFF1B\u8BBE\u5907\u635F\u574F\u987B\u5F53\u573A\u767B\u8BB0\uFF0C\u7531\u501F\u7528\u65B9\u7167\u4EF7\u8D54\u507F\u3002";
    SPORTS_TERMS = "\u501F\u7528\u65B9\u8D1F\u8D23\u5B66\u751F\u8FD0\u52A8\u524D\u7684\u5065\u5EB7\u8BE2\u95EE\u4E0E\u70ED\u8EAB\u7EC4\u7EC7\uFF0C\u5E26\u961F\u6559\u5E08\u5168\u7A0B\u5728\u573A\uFF1B\u8FD0\u52A8\u4F24\u5BB3\u7531\u501F\u7528\u65B9\u6309\u5B66\u6821\u5B89\u5168\u4E8B\u6545\u5904\u7406\u529E\u6CD5\u5904\u7406\uFF0C\u573A\u9986\u65B9\u63D0\u4F9B\u6025\u6551\u7BB1\u4E0EAED\u3002";
    KINDS = {
      chemistry_lab: {
        name: "\u5316\u5B66\u5B9E\u9A8C\u5BA4",
        subject: "chemistry",
        capacity: [48, 56],
        hours: "school",
        equipment: [["fume_hood", "\u901A\u98CE\u6A71", 8, "onsite"], ["balance", "\u7535\u5B50\u5929\u5E73\uFF080.01g\uFF09", 24, "lendable"], ["goggles", "\u62A4\u76EE\u955C", 60, "lendable"], ["titration", "\u9178\u78B1\u6EF4\u5B9A\u5B9E\u9A8C\u5957\u88C5", 30, "lendable"]],
        safety: "\u8FDB\u5165\u5B9E\u9A8C\u5BA4\u987B\u7A7F\u5B9E\u9A8C\u670D\u3001\u4F69\u6234\u62A4\u76EE\u955C\uFF1B\u5371\u9669\u5316\u5B66\u54C1\u7531\u672C\u6821\u5B9E\u9A8C\u5458\u7EDF\u4E00\u53D1\u653E\uFF0C\u4E25\u7981\u79C1\u81EA\u5E26\u51FA\uFF1B\u5B9E\u9A8C\u7ED3\u675F\u540E\u6E05\u6D17\u5668\u76BF\u3001\u5173\u95ED\u6C34\u7535\u6C14\uFF0C\u5E9F\u6DB2\u5012\u5165\u6307\u5B9A\u56DE\u6536\u6876\u3002"
      },
      physics_lab: {
        name: "\u7269\u7406\u5B9E\u9A8C\u5BA4",
        subject: "physics",
        capacity: [48, 56],
        hours: "school",
        equipment: [["oscilloscope", "\u6570\u5B57\u793A\u6CE2\u5668", 12, "lendable"], ["power", "\u5B66\u751F\u7535\u6E90", 30, "lendable"], ["optics", "\u5149\u5B66\u5B9E\u9A8C\u7BB1", 25, "onsite"]],
        safety: "\u901A\u7535\u5B9E\u9A8C\u987B\u7ECF\u6559\u5E08\u68C0\u67E5\u7EBF\u8DEF\u540E\u65B9\u53EF\u63A5\u901A\u7535\u6E90\uFF1B\u4E0D\u5F97\u5E26\u7535\u6539\u63A5\u7EBF\u8DEF\uFF1B\u4F7F\u7528\u6FC0\u5149\u5668\u6750\u65F6\u7981\u6B62\u76F4\u89C6\u5149\u675F\u3002"
      },
      biology_lab: {
        name: "\u751F\u7269\u5B9E\u9A8C\u5BA4",
        subject: "biology",
        capacity: [48, 56],
        hours: "school",
        equipment: [["microscope", "\u53CC\u76EE\u663E\u5FAE\u955C", 30, "lendable"], ["slides", "\u6C38\u4E45\u88C5\u7247\u5957\u88C5", 20, "lendable"], ["incubator", "\u6052\u6E29\u57F9\u517B\u7BB1", 2, "onsite"]],
        safety: "\u663E\u5FAE\u955C\u987B\u53CC\u624B\u6301\u955C\u3001\u8F7B\u62FF\u8F7B\u653E\uFF1B\u751F\u7269\u6837\u672C\u6309\u89C4\u5B9A\u5904\u7406\uFF0C\u89E3\u5256\u5668\u68B0\u7528\u540E\u6E05\u70B9\u5F52\u8FD8\u3002"
      },
      science_lab: {
        name: "\u79D1\u5B66\u5B9E\u9A8C\u5BA4",
        subject: "science",
        capacity: [40, 50],
        hours: "school",
        equipment: [["science_kit", "\u5C0F\u5B66\u79D1\u5B66\u63A2\u7A76\u5B9E\u9A8C\u7BB1", 20, "lendable"], ["magnifier", "\u653E\u5927\u955C", 50, "lendable"], ["model", "\u5929\u4F53\u8FD0\u884C\u6A21\u578B", 2, "onsite"]],
        safety: "\u5B66\u751F\u5728\u6559\u5E08\u6307\u5BFC\u4E0B\u64CD\u4F5C\uFF1B\u9152\u7CBE\u706F\u7531\u6559\u5E08\u70B9\u71C3\u548C\u7184\u706D\uFF1B\u5B9E\u9A8C\u7528\u54C1\u7528\u540E\u6E05\u70B9\u5F52\u4F4D\u3002"
      },
      computer_room: {
        name: "\u8BA1\u7B97\u673A\u6559\u5BA4",
        subject: "it",
        capacity: [45, 55],
        hours: "school",
        equipment: [["pc", "\u5B66\u751F\u8BA1\u7B97\u673A", 50, "onsite"], ["robot", "\u7F16\u7A0B\u673A\u5668\u4EBA\u5957\u4EF6", 20, "lendable"]],
        safety: "\u7981\u6B62\u996E\u98DF\uFF1B\u4E0D\u5F97\u79C1\u81EA\u5B89\u88C5\u8F6F\u4EF6\u6216\u66F4\u6539\u7CFB\u7EDF\u8BBE\u7F6E\uFF1B\u4E0B\u8BFE\u524D\u6309\u8981\u6C42\u5173\u673A\u3002"
      },
      maker_space: {
        name: "\u521B\u5BA2\u7A7A\u95F4",
        subject: "general_tech",
        capacity: [30, 40],
        hours: "school",
        equipment: [["printer3d", "3D\u6253\u5370\u673A", 6, "onsite"], ["laser", "\u6FC0\u5149\u5207\u5272\u673A", 1, "onsite"], ["arduino", "\u5F00\u6E90\u786C\u4EF6\u5957\u4EF6", 40, "lendable"]],
        safety: "\u6FC0\u5149\u5207\u5272\u673A\u30013D\u6253\u5370\u673A\u987B\u7531\u6301\u8BC1\u6559\u5E08\u64CD\u4F5C\uFF1B\u4F7F\u7528\u624B\u5DE5\u5DE5\u5177\u987B\u4F69\u6234\u9632\u62A4\u624B\u5957\u3002"
      },
      smart_classroom: {
        name: "\u667A\u6167\u6559\u5BA4",
        capacity: [48, 56],
        hours: "school",
        equipment: [["board", "\u4EA4\u4E92\u5F0F\u667A\u6167\u9ED1\u677F", 1, "onsite"], ["tablet", "\u5B66\u751F\u5E73\u677F", 50, "onsite"]],
        safety: "\u5E73\u677F\u4F7F\u7528\u540E\u653E\u56DE\u5145\u7535\u67DC\uFF1B\u4E0D\u5F97\u62C6\u5378\u8BBE\u5907\u3002"
      },
      recording_studio: {
        name: "\u5F55\u64AD\u6559\u5BA4",
        capacity: [40, 50],
        hours: "school",
        equipment: [["recorder", "\u5E38\u6001\u5316\u5F55\u64AD\u7CFB\u7EDF", 1, "onsite"], ["mic", "\u65E0\u7EBF\u9EA6\u514B\u98CE", 6, "lendable"]],
        safety: "\u5F55\u64AD\u8BBE\u5907\u7531\u4FE1\u606F\u4E2D\u5FC3\u6559\u5E08\u64CD\u4F5C\uFF1B\u8BFE\u4F8B\u89C6\u9891\u7684\u4F7F\u7528\u9075\u5B88\u8054\u76DF\u8D44\u6E90\u5171\u4EAB\u534F\u8BAE\u3002"
      },
      library: {
        name: "\u56FE\u4E66\u9986",
        capacity: [80, 120],
        hours: "school",
        equipment: [["ereader", "\u7535\u5B50\u9605\u89C8\u7EC8\u7AEF", 20, "onsite"]],
        safety: "\u4FDD\u6301\u5B89\u9759\uFF1B\u56FE\u4E66\u501F\u9605\u6309\u672C\u9986\u5236\u5EA6\u529E\u7406\uFF0C\u635F\u574F\u6216\u9057\u5931\u7167\u4EF7\u8D54\u507F\u3002"
      },
      gym: {
        name: "\u4F53\u80B2\u9986",
        subject: "pe",
        capacity: [120, 300],
        hours: "sports",
        equipment: [["basketball", "\u7BEE\u7403", 40, "lendable"], ["volleyball", "\u6392\u7403", 30, "lendable"], ["pingpong", "\u4E52\u4E53\u7403\u53F0", 8, "onsite"]],
        safety: "\u7A7F\u8FD0\u52A8\u978B\u5165\u573A\uFF1B\u5668\u6750\u7528\u540E\u5F52\u8FD8\u5668\u6750\u5BA4\uFF1B\u7981\u6B62\u5728\u573A\u9986\u5185\u8FDB\u98DF\u548C\u6500\u722C\u7BEE\u7403\u67B6\u3002"
      },
      track_field: {
        name: "\u7530\u5F84\u573A",
        subject: "pe",
        capacity: [300, 800],
        hours: "sports",
        equipment: [["hurdle", "\u8DE8\u680F\u67B6", 40, "lendable"], ["timer", "\u7535\u5B50\u8BA1\u65F6\u5668", 4, "lendable"]],
        safety: "\u96F7\u96E8\u5929\u6C14\u505C\u6B62\u4F7F\u7528\uFF1B\u6295\u63B7\u9879\u76EE\u987B\u5212\u5B9A\u5B89\u5168\u533A\u5E76\u6709\u6559\u5E08\u76D1\u62A4\u3002"
      },
      swimming_pool: {
        name: "\u6E38\u6CF3\u9986",
        subject: "pe",
        capacity: [60, 80],
        hours: "sports",
        equipment: [["kickboard", "\u6D6E\u677F", 60, "lendable"]],
        safety: "\u5165\u6C34\u524D\u987B\u5B8C\u6210\u5065\u5EB7\u786E\u8BA4\uFF1B\u6551\u751F\u5458\u5728\u5C97\u65B9\u53EF\u5F00\u653E\uFF1B\u6BCF\u540D\u6559\u5E08\u5E26\u961F\u4E0D\u8D85\u8FC720\u540D\u5B66\u751F\u3002"
      },
      music_room: {
        name: "\u97F3\u4E50\u6559\u5BA4",
        subject: "music",
        capacity: [40, 50],
        hours: "school",
        equipment: [["piano", "\u7ACB\u5F0F\u94A2\u7434", 1, "onsite"], ["orff", "\u5965\u5C14\u592B\u4E50\u5668\u5957\u88C5", 4, "lendable"]],
        safety: "\u4E50\u5668\u8F7B\u62FF\u8F7B\u653E\uFF0C\u4F7F\u7528\u540E\u5F52\u4F4D\u3002"
      },
      art_room: {
        name: "\u7F8E\u672F\u6559\u5BA4",
        subject: "art",
        capacity: [40, 50],
        hours: "school",
        equipment: [["easel", "\u753B\u67B6", 50, "lendable"], ["kiln", "\u9676\u827A\u7535\u7A91", 1, "onsite"]],
        safety: "\u9676\u827A\u7535\u7A91\u7531\u6559\u5E08\u64CD\u4F5C\uFF1B\u989C\u6599\u7528\u540E\u5C01\u597D\uFF0C\u6E05\u6D17\u6C34\u6C60\u3002"
      },
      dance_room: {
        name: "\u821E\u8E48\u5BA4",
        subject: "art",
        capacity: [30, 40],
        hours: "school",
        equipment: [["mirror", "\u628A\u6746\u4E0E\u955C\u9762\u5899", 1, "onsite"], ["audio", "\u97F3\u54CD", 2, "lendable"]],
        safety: "\u7A7F\u821E\u8E48\u978B\u5165\u5185\uFF1B\u7EC3\u4E60\u524D\u5145\u5206\u70ED\u8EAB\u3002"
      },
      lecture_hall: {
        name: "\u62A5\u544A\u5385",
        capacity: [200, 400],
        hours: "school",
        equipment: [["projector", "\u6FC0\u5149\u6295\u5F71\u4E0E\u97F3\u54CD\u7CFB\u7EDF", 1, "onsite"]],
        safety: "\u6309\u5EA7\u4F4D\u5165\u573A\uFF0C\u4FDD\u6301\u5B89\u5168\u901A\u9053\u7545\u901A\uFF1B\u6D3B\u52A8\u7ED3\u675F\u540E\u5173\u95ED\u8BBE\u5907\u3002"
      },
      labor_base: {
        name: "\u52B3\u52A8\u5B9E\u8DF5\u57FA\u5730",
        subject: "labor",
        capacity: [40, 60],
        hours: "school",
        equipment: [["tools", "\u519C\u5177\u5957\u88C5", 40, "lendable"]],
        safety: "\u4F7F\u7528\u519C\u5177\u6CE8\u610F\u5B89\u5168\u8DDD\u79BB\uFF1B\u9AD8\u6E29\u5929\u6C14\u6CE8\u610F\u9632\u6691\u3002"
      }
    };
    SLOTS = {
      school: { open: ["08:00", "17:30"], days: [1, 2, 3, 4, 5], slots: [["08:00", "11:40"], ["14:00", "17:20"]] },
      sports: {
        open: ["07:30", "18:00"],
        days: [1, 2, 3, 4, 5],
        slots: [["08:00", "11:40"], ["14:00", "17:40"]],
        weekend: { open: ["09:00", "17:00"], slots: [["09:00", "12:00"], ["14:00", "17:00"]] }
      },
      venue: { open: ["09:00", "17:00"], days: [2, 3, 4, 5, 6, 7], slots: [["09:00", "11:30"], ["13:30", "16:30"]] }
    };
    PURPOSES = {
      chemistry_lab: ["\u4E5D\u5E74\u7EA7\u5316\u5B66\u5206\u7EC4\u5B9E\u9A8C\uFF1A\u6C27\u6C14\u7684\u5236\u53D6\u4E0E\u6027\u8D28", "\u9178\u78B1\u4E2D\u548C\u6EF4\u5B9A\u5206\u7EC4\u5B9E\u9A8C", "\u9AD8\u4E00\u5316\u5B66\uFF1A\u7C97\u76D0\u63D0\u7EAF", "\u5316\u5B66\u5174\u8DA3\u5C0F\u7EC4\uFF1A\u6C34\u7684\u51C0\u5316"],
      physics_lab: ["\u516B\u5E74\u7EA7\u7269\u7406\uFF1A\u6D4B\u91CF\u5C0F\u706F\u6CE1\u7684\u7535\u529F\u7387", "\u63A2\u7A76\u51F8\u900F\u955C\u6210\u50CF\u89C4\u5F8B", "\u9AD8\u4E8C\u7269\u7406\uFF1A\u6D4B\u7535\u6E90\u7535\u52A8\u52BF\u548C\u5185\u963B", "\u7269\u7406\u7ADE\u8D5B\u8F85\u5BFC\u5B9E\u9A8C"],
      biology_lab: ["\u4E03\u5E74\u7EA7\u751F\u7269\uFF1A\u89C2\u5BDF\u6D0B\u8471\u8868\u76AE\u7EC6\u80DE", "\u63A2\u7A76\u5F71\u54CD\u9176\u6D3B\u6027\u7684\u6761\u4EF6", "\u663E\u5FAE\u955C\u4F7F\u7528\u8BAD\u7EC3"],
      science_lab: ["\u56DB\u5E74\u7EA7\u79D1\u5B66\uFF1A\u7535\u8DEF\u8FDE\u63A5", "\u4E94\u5E74\u7EA7\u79D1\u5B66\uFF1A\u79CD\u5B50\u53D1\u82BD\u5B9E\u9A8C", "\u4E09\u5E74\u7EA7\u79D1\u5B66\uFF1A\u6EB6\u89E3\u7684\u5FEB\u4E0E\u6162", "\u79D1\u5B66\u793E\u56E2\uFF1A\u7B80\u5355\u673A\u68B0"],
      computer_room: ["\u4FE1\u606F\u79D1\u6280\uFF1A\u56FE\u5F62\u5316\u7F16\u7A0B", "\u4E03\u5E74\u7EA7\u4FE1\u606F\u79D1\u6280\uFF1A\u6570\u636E\u5904\u7406", "\u7F16\u7A0B\u793E\u56E2\u6D3B\u52A8", "\u6559\u5E08\u4FE1\u606F\u6280\u672F\u5E94\u7528\u80FD\u529B\u57F9\u8BAD"],
      maker_space: ["\u521B\u5BA2\u793E\u56E2\uFF1A\u667A\u80FD\u5C0F\u8F66", "3D\u6253\u5370\u8BFE\u7A0B", "\u9752\u5C11\u5E74\u79D1\u521B\u7ADE\u8D5B\u96C6\u8BAD"],
      smart_classroom: ["\u540C\u6B65\u8BFE\u5802\uFF1A\u57CE\u4E61\u8054\u5408\u6388\u8BFE", "\u667A\u6167\u8BFE\u5802\u516C\u5F00\u8BFE", "\u6559\u7814\u7EC4\u96C6\u4F53\u5907\u8BFE"],
      recording_studio: ["\u5F55\u5236\u8054\u76DF\u4F18\u8D28\u8BFE\u4F8B", "\u540D\u5E08\u5DE5\u4F5C\u5BA4\u8BFE\u4F8B\u7814\u8BA8", "\u5FAE\u8BFE\u5F55\u5236"],
      library: ["\u6574\u672C\u4E66\u9605\u8BFB\u8BFE", "\u9605\u8BFB\u793E\u56E2\u6D3B\u52A8", "\u56FE\u4E66\u9986\u4FE1\u606F\u68C0\u7D22\u8BFE"],
      gym: ["\u4F53\u80B2\u8BFE\uFF1A\u7BEE\u7403\u8FD0\u7403", "\u6821\u9645\u7BEE\u7403\u53CB\u8C0A\u8D5B", "\u6392\u7403\u793E\u56E2\u8BAD\u7EC3", "\u5927\u8BFE\u95F4\u5BA4\u5185\u6D3B\u52A8"],
      track_field: ["\u4F53\u80B2\u8BFE\uFF1A50\u7C73\u8DD1", "\u7530\u5F84\u961F\u8BAD\u7EC3", "\u6821\u9645\u8FD0\u52A8\u4F1A\u9884\u8D5B", "\u4F53\u8D28\u5065\u5EB7\u6D4B\u8BD5"],
      swimming_pool: ["\u6E38\u6CF3\u8BFE\uFF1A\u86D9\u6CF3", "\u9632\u6EBA\u6C34\u5B89\u5168\u6559\u80B2\u5B9E\u8DF5\u8BFE", "\u6E38\u6CF3\u961F\u8BAD\u7EC3"],
      music_room: ["\u97F3\u4E50\u8BFE\uFF1A\u5408\u5531\u8BAD\u7EC3", "\u5668\u4E50\u793E\u56E2\u6392\u7EC3", "\u827A\u672F\u8282\u8282\u76EE\u6392\u7EC3"],
      art_room: ["\u7F8E\u672F\u8BFE\uFF1A\u6C34\u5F69\u98CE\u666F", "\u9676\u827A\u793E\u56E2", "\u4E66\u753B\u4F5C\u54C1\u5C55\u5E03\u5C55"],
      dance_room: ["\u821E\u8E48\u793E\u56E2\u8BAD\u7EC3", "\u827A\u672F\u8282\u821E\u8E48\u6392\u7EC3"],
      lecture_hall: ["\u5BB6\u957F\u4F1A", "\u8054\u76DF\u8054\u5408\u6559\u7814\u6D3B\u52A8", "\u79D1\u666E\u8BB2\u5EA7", "\u5B66\u751F\u6F14\u8BB2\u6BD4\u8D5B"],
      labor_base: ["\u52B3\u52A8\u6559\u80B2\uFF1A\u852C\u83DC\u79CD\u690D", "\u804C\u4E1A\u4F53\u9A8C\u65E5"],
      community_venue: ["\u79D1\u6280\u9986\u7814\u5B66\uFF1A\u5C11\u513F\u79D1\u5B66\u4E50\u56ED", "\u535A\u7269\u9986\u7814\u5B66\uFF1A\u535A\u7269\u9986\u91CC\u7684\u8BFE\u5802", "\u793E\u533A\u5FD7\u613F\u670D\u52A1", "\u975E\u9057\u6587\u5316\u4F53\u9A8C\u8BFE"]
    };
  }
});

// src/server/seed/resource-files.ts
import fs6 from "node:fs";
import path7 from "node:path";
import zlib from "node:zlib";
import { fileURLToPath as fileURLToPath2 } from "node:url";
function ucs2Hex(s) {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    out += (cp > 65535 ? 63 : cp).toString(16).padStart(4, "0").toUpperCase();
  }
  return out;
}
function wrap(text2, size, width) {
  const lines = [];
  let line = "";
  let w = 0;
  for (const ch of text2) {
    const cw = charWidth(ch) * size / 1e3;
    if (w + cw > width && line) {
      lines.push(line);
      line = "";
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line) lines.push(line);
  return lines;
}
function pdfString(s) {
  return `<FEFF${ucs2Hex(s)}>`;
}
function toUnicodeCMap(text2) {
  const blocks = /* @__PURE__ */ new Set();
  for (const ch of text2) blocks.add(Math.min(ch.codePointAt(0), 65535) >> 8);
  blocks.add(0);
  const ranges = [...blocks].sort((a, b) => a - b).map((b) => {
    const hi = b.toString(16).padStart(2, "0").toUpperCase();
    return `<${hi}00> <${hi}FF> <${hi}00>`;
  });
  const chunks = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const part = ranges.slice(i, i + 100);
    chunks.push(`${part.length} beginbfrange
${part.join("\n")}
endbfrange`);
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <FFFF>",
    "endcodespacerange",
    ...chunks,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end"
  ].join("\n");
}
function makePdf(opts) {
  const bodySize = 12;
  const lead = 20;
  const width = PAGE_W - 2 * MARGIN;
  const lines = [];
  for (const l of wrap(opts.title, 20, width)) lines.push({ text: l, size: 20 });
  lines.push({ text: "", size: bodySize });
  for (const p of opts.paragraphs) {
    for (const l of wrap(p, bodySize, width)) lines.push({ text: l, size: bodySize });
    lines.push({ text: "", size: bodySize });
  }
  const perPage = Math.floor((PAGE_H - 2 * MARGIN) / lead);
  const pages = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));
  const contents = pages.map((pl) => {
    const ops = ["BT", `${lead} TL`, `${MARGIN} ${PAGE_H - MARGIN - 20} Td`];
    for (const l of pl) {
      if (l.text) ops.push(`/F1 ${l.size} Tf <${ucs2Hex(l.text)}> Tj`);
      ops.push("T*");
    }
    ops.push("ET");
    return ops.join("\n");
  });
  const allText = opts.title + opts.paragraphs.join("");
  const objects = [];
  const pageIds = pages.map((_, i) => 8 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R]${opts.toUnicode === false ? "" : " /ToUnicode 6 0 R"} >>`;
  objects[4] = "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>";
  objects[5] = "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>";
  const cmap = toUnicodeCMap(allText);
  objects[6] = `<< /Length ${Buffer.byteLength(cmap, "latin1")} >>
stream
${cmap}
endstream`;
  const date = opts.date ?? "D:20260101000000Z";
  objects[7] = `<< /Title ${pdfString(opts.title)} /Author ${pdfString(opts.author ?? "\u6821\u8054 xiaolian")} /Producer (xiaolian demo generator) /CreationDate (${date}) >>`;
  pages.forEach((_, i) => {
    const pageId = pageIds[i];
    const content = contents[i];
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(content, "latin1")} >>
stream
${content}
endstream`;
  });
  let out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const offsets = [];
  for (let i = 1; i < objects.length; i++) {
    offsets[i] = Buffer.byteLength(out, "latin1");
    out += `${i} 0 obj
${objects[i]}
endobj
`;
  }
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref
0 ${objects.length}
0000000000 65535 f 
`;
  for (let i = 1; i < objects.length; i++) out += `${String(offsets[i]).padStart(10, "0")} 00000 n 
`;
  out += `trailer
<< /Size ${objects.length} /Root 1 0 R /Info 7 0 R >>
startxref
${xref}
%%EOF
`;
  return Buffer.from(out, "latin1");
}
function makeZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const dosTime = 0;
  const dosDate = 2026 - 1980 << 9 | 1 << 5 | 1;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, "utf8");
    const name = Buffer.from(e.name, "utf8");
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(67324752, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(2048, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(33639248, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(2048, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(101010256, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
function makeDocx(opts) {
  const para = (text2, bold = false) => `<w:p><w:r>${bold ? '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' : ""}<w:t xml:space="preserve">${xmlEscape(text2)}</w:t></w:r></w:p>`;
  const document = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + para(opts.title, true) + opts.paragraphs.map((p) => para(p)).join("") + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>';
  return makeZip([
    {
      name: "[Content_Types].xml",
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    },
    {
      name: "_rels/.rels",
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    },
    { name: "word/document.xml", data: document }
  ]);
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}
function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", zlib.deflateSync(raw, { level: 6 })),
    pngChunk("IEND", Buffer.alloc(0))
  ]);
}
function makeCoverPng(opts) {
  const w = opts.width ?? 480;
  const h = opts.height ?? 270;
  const px = new Uint8Array(w * h * 3).fill(255);
  const base = PALETTE[opts.colour % PALETTE.length];
  const set = (x, y, c) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (y * w + x) * 3;
    px[i] = c[0];
    px[i + 1] = c[1];
    px[i + 2] = c[2];
  };
  const rect = (x0, y0, x1, y1, c) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) set(x, y, c);
  };
  const band = Math.round(h * 0.22);
  rect(0, 0, w, band, base);
  const light = [Math.round(base[0] + (255 - base[0]) * 0.75), Math.round(base[1] + (255 - base[1]) * 0.75), Math.round(base[2] + (255 - base[2]) * 0.75)];
  const left = Math.round(w * 0.1);
  const bottom = h - Math.round(h * 0.12);
  const top = band + Math.round(h * 0.1);
  rect(left, top, left + 2, bottom, [120, 120, 120]);
  rect(left, bottom, w - Math.round(w * 0.06), bottom + 2, [120, 120, 120]);
  for (let k = 1; k <= 3; k++) {
    const y = bottom - Math.round((bottom - top) * k / 4);
    rect(left + 3, y, w - Math.round(w * 0.06), y + 1, [230, 230, 230]);
  }
  const bars = opts.bars.length ? opts.bars : [0.5];
  const span = w - Math.round(w * 0.06) - left - 10;
  const bw = Math.max(4, Math.floor(span / bars.length) - 8);
  bars.forEach((v, i) => {
    const x = left + 10 + i * Math.floor(span / bars.length);
    const bh = Math.round((bottom - top) * Math.max(0.05, Math.min(1, v)));
    rect(x, bottom - bh, x + bw, bottom, i % 2 === 0 ? base : light);
  });
  return encodePng(w, h, px);
}
function sampleVideo(n) {
  const name = SAMPLE_VIDEOS[n % SAMPLE_VIDEOS.length];
  const cached = videoCache.get(name);
  if (cached) return cached;
  const file = ASSET_DIRS.map((d) => path7.join(d, name)).find((f) => fs6.existsSync(f));
  if (!file) return null;
  const data = fs6.readFileSync(file);
  videoCache.set(name, data);
  return data;
}
var PAGE_W, PAGE_H, MARGIN, charWidth, xmlEscape, PALETTE, ASSET_DIRS, SAMPLE_VIDEOS, videoCache;
var init_resource_files = __esm({
  "src/server/seed/resource-files.ts"() {
    "use strict";
    PAGE_W = 595;
    PAGE_H = 842;
    MARGIN = 56;
    charWidth = (ch) => ch.codePointAt(0) < 127 ? 500 : 1e3;
    xmlEscape = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    PALETTE = [
      [47, 84, 235],
      [19, 194, 194],
      [250, 140, 22],
      [82, 196, 26],
      [235, 47, 150],
      [114, 46, 209],
      [250, 84, 28],
      [24, 144, 255]
    ];
    ASSET_DIRS = [
      path7.join(path7.dirname(fileURLToPath2(import.meta.url)), "assets"),
      path7.resolve("src/server/seed/assets")
    ];
    SAMPLE_VIDEOS = ["lesson-a.mp4", "lesson-b.mp4"];
    videoCache = /* @__PURE__ */ new Map();
  }
});

// src/server/seed/resources.ts
var resources_exports2 = {};
__export(resources_exports2, {
  TOPICS: () => TOPICS,
  generateResource: () => generateResource,
  seedResources: () => seedResources
});
function stageOf(grade) {
  const n = Number(grade.slice(1));
  return n <= 6 ? "primary" : n <= 9 ? "junior" : "senior";
}
function fill2(template, t, rng) {
  const w = rng.shuffle(t.words);
  return template.replaceAll("{t}", t.name).replaceAll("{g}", gradeLabel(t.grade)).replaceAll("{s}", subjectLabel(t.subject)).replaceAll("{w1}", w[0] ?? t.name).replaceAll("{w2}", w[1] ?? w[0] ?? t.name).replaceAll("{w3}", w[2] ?? w[0] ?? t.name);
}
function weighted(rng, items) {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = rng.float() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1][0];
}
function generateResource(rng, topics = TOPICS, paragraphs = 4, force) {
  const topic = force?.topic ?? rng.pick(topics);
  const kind = force?.kind ?? weighted(rng, KIND_WEIGHTS);
  const title = fill2(rng.pick(TITLES[kind]), topic, rng);
  const description = fill2(rng.pick(DESCRIPTIONS), topic, rng);
  const tags = [.../* @__PURE__ */ new Set([subjectLabel(topic.subject), gradeLabel(topic.grade), ...rng.sample(topic.words, 2)])];
  const start = rng.int(0, PARAGRAPHS.length - paragraphs);
  const paras = PARAGRAPHS.slice(start, start + paragraphs).map((p) => fill2(p, topic, rng));
  const edition = topic.subject === "english" ? rng.pick(["pep", "waiyan"]) : rng.pick(["tongbian", "pep", "pep", "bnu", "sujiao"]);
  return {
    kind,
    topic,
    title,
    description,
    tags,
    chapter: topic.chapter,
    edition,
    difficulty: rng.pick(["basic", "medium", "medium", "advanced"]),
    paragraphs: paras
  };
}
function filesFor(kind, g, n, pdfOnly = false) {
  const pdf = (title, paras, role = "main", name = `${title}.pdf`) => ({
    role,
    name: safeName(name),
    mime: "application/pdf",
    body: makePdf({ title, paragraphs: paras }),
    text: tidyText([title, ...paras].join("\n"))
  });
  if (pdfOnly && kind !== "lesson_video" && kind !== "micro_lesson") return [pdf(g.title, g.paragraphs)];
  switch (kind) {
    case "lesson_video":
    case "micro_lesson": {
      const video = sampleVideo(n);
      if (video) return [{ role: "main", name: safeName(`${g.title}.mp4`), mime: "video/mp4", body: video, text: null }];
      return [pdf(g.title, g.paragraphs)];
    }
    case "courseware":
      return n % 4 === 0 ? [{ role: "main", name: safeName(`${g.title}.png`), mime: "image/png", body: cover(n), text: null }] : [pdf(g.title, g.paragraphs)];
    case "lesson_plan":
    case "case_collection":
      if (n % 3 === 0) {
        return [{
          role: "main",
          name: safeName(`${g.title}.docx`),
          mime: DOCX_MIME,
          body: makeDocx({ title: g.title, paragraphs: g.paragraphs }),
          text: tidyText([g.title, ...g.paragraphs].join("\n\n"))
        }];
      }
      return [pdf(g.title, g.paragraphs)];
    case "school_course":
      return [
        pdf(`${g.title} \u8BFE\u7A0B\u7EB2\u8981`, [`\u8BFE\u7A0B\u76EE\u6807\uFF1A${g.description}`, ...g.paragraphs.slice(0, 2)], "outline", "\u8BFE\u7A0B\u7EB2\u8981.pdf"),
        pdf(`\u7B2C1\u8BFE\u65F6 ${g.topic.name}`, g.paragraphs.slice(1), "lesson", "\u7B2C1\u8BFE\u65F6.pdf"),
        { role: "material", name: "\u6D3B\u52A8\u6750\u6599\u5C01\u9762.png", mime: "image/png", body: cover(n + 3), text: null }
      ];
    default:
      return [pdf(g.title, g.paragraphs)];
  }
}
function cover(n) {
  const k = n % 24;
  let png = covers.get(k);
  if (!png) {
    const bars = [0, 1, 2, 3, 4, 5].map((i) => (k + 2) * (i + 3) * 37 % 85 / 100 + 0.15);
    png = makeCoverPng({ colour: k, bars });
    covers.set(k, png);
  }
  return png;
}
async function seedResources(database, storage, opts) {
  const started = Date.now();
  const { db, dialect } = database;
  const today2 = opts.today;
  const count = opts.count ?? 320;
  if (await db.selectFrom("resources").select("id").limit(1).executeTakeFirst()) return { resources: 0, files: 0, indexed: 0, ms: 0 };
  const regions = await db.selectFrom("regions").select(["id", "level", "parent_id"]).execute();
  const cityOf = new Map(regions.map((r) => [r.id, r.level === "district" && r.parent_id ? r.parent_id : r.id]));
  const schools = await db.selectFrom("schools").select(["id", "type", "region_id", "name"]).orderBy("id").execute();
  const members = await db.selectFrom("alliance_members as m").innerJoin("alliances as a", "a.id", "m.alliance_id").select(["m.school_id", "m.alliance_id"]).where("m.status", "=", "active").where("a.status", "=", "active").orderBy("m.alliance_id").orderBy("m.school_id").execute();
  const grants = await db.selectFrom("role_grants").select(["user_id", "role", "scope_id", "subject"]).orderBy("id").execute();
  const allianceOf = /* @__PURE__ */ new Map();
  const schoolsOf = /* @__PURE__ */ new Map();
  for (const m of members) {
    if (!allianceOf.has(m.school_id)) allianceOf.set(m.school_id, m.alliance_id);
    schoolsOf.set(m.alliance_id, [...schoolsOf.get(m.alliance_id) ?? [], m.school_id]);
  }
  const teachersOf = /* @__PURE__ */ new Map();
  const reviewersOf = /* @__PURE__ */ new Map();
  const adminsOf = /* @__PURE__ */ new Map();
  for (const g of grants) {
    if (!g.scope_id) continue;
    if (g.role === "teacher") teachersOf.set(g.scope_id, [...teachersOf.get(g.scope_id) ?? [], g.user_id]);
    if (g.role === "reviewer") reviewersOf.set(g.scope_id, [...reviewersOf.get(g.scope_id) ?? [], { user: g.user_id, subject: g.subject }]);
    if (g.role === "alliance_admin") adminsOf.set(g.scope_id, [...adminsOf.get(g.scope_id) ?? [], g.user_id]);
  }
  const eligible = schools.filter((s) => allianceOf.has(s.id) && STAGES_OF_TYPE[s.type] && (teachersOf.get(s.id)?.length ?? 0) > 0);
  if (!eligible.length) return { resources: 0, files: 0, indexed: 0, ms: Date.now() - started };
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  const firstAlliance = members[0].alliance_id;
  const inFirst = eligible.filter((s) => allianceOf.get(s.id) === firstAlliance);
  const demoTeacherGrant = grants.find((g) => g.user_id === DEMO_TEACHER && g.role === "teacher");
  const demoTeacherSchool = demoTeacherGrant ? eligible.find((s) => s.id === demoTeacherGrant.scope_id) ?? null : null;
  const rng = new Rng("demo/resources");
  const rows = {
    resources: [],
    authors: [],
    versions: [],
    files: [],
    reviews: [],
    assignments: [],
    history: [],
    ratings: [],
    comments: [],
    favourites: [],
    uses: [],
    contributions: [],
    notifications: []
  };
  const blobs = [];
  const fts = [];
  const serial = { hist: 0, file: 0, ver: 0, misc: 0 };
  const hid = (p) => `${p}_${pad(++serial.misc, 6)}`;
  for (let i = 0; i < count; i++) {
    const id = `rs_${pad(i + 1, 5)}`;
    let school2 = rng.chance(0.5) ? rng.pick(inFirst.length ? inFirst : eligible) : rng.pick(eligible);
    if (i % 6 === 0 && inFirst.length) school2 = inFirst[0];
    const demoTeacher = i % 16 === 1 && demoTeacherSchool ? demoTeacherSchool : null;
    if (demoTeacher) school2 = demoTeacher;
    const show = SHOWCASE[i];
    const showTopic = show ? TOPICS.find((t) => t.name === show.topic) : void 0;
    if (show && showTopic) {
      const fits = (s) => STAGES_OF_TYPE[s.type].includes(showTopic.stage);
      school2 = inFirst.find(fits) ?? eligible.find(fits) ?? school2;
    }
    const stages = STAGES_OF_TYPE[school2.type];
    const topics = TOPICS.filter((t) => stages.includes(t.stage));
    const g = generateResource(rng, topics, 4, show && showTopic && stages.includes(showTopic.stage) ? { topic: showTopic, kind: show.kind } : void 0);
    const teachers = teachersOf.get(school2.id);
    const author = demoTeacher ? DEMO_TEACHER : rng.pick(teachers);
    const alliance = allianceOf.get(school2.id);
    let status = show ? "published" : weighted(rng, STATUS_WEIGHTS);
    const created = addDays(today2, -rng.int(12, 420));
    const at = (day, minutes2) => instant(day, 60 + minutes2 % 600);
    const createdAt = at(created, i * 7);
    const reviewers = reviewersOf.get(alliance) ?? [];
    const subjectReviewer = reviewers.find((r) => r.subject === g.topic.subject && r.user !== author) ?? reviewers.find((r) => r.user !== author);
    const decider = subjectReviewer?.user ?? (adminsOf.get(alliance) ?? [])[0] ?? null;
    if (!decider && status !== "draft") status = "submitted";
    if (status === "in_review" && !subjectReviewer) status = "submitted";
    const visibility = weighted(rng, [["alliance", 55], ["region", 25], ["public", 12], ["school", 8]]);
    const licence = weighted(rng, [["cc_by_nc_sa", 30], ["alliance_only", 25], ["cc_by", 15], ["cc_by_nc", 15], ["cc_by_sa", 8], ["cc_by_nc_nd", 7]]);
    const v1 = `rv_${pad(++serial.ver, 6)}`;
    const submittedDay = addDays(created, rng.int(0, 4));
    const decidedDay = addDays(submittedDay, rng.int(1, 6));
    const wasPublished = ["published", "withdrawn", "archived", "revising"].includes(status);
    rows.versions.push({ id: v1, resource_id: id, number: 1, note: null, created_by: author, created_at: createdAt, published_at: wasPublished ? at(decidedDay, i) : null });
    let v2 = null;
    const reviseDay = addDays(decidedDay, rng.int(5, 30));
    if (status === "revising") {
      v2 = `rv_${pad(++serial.ver, 6)}`;
      rows.versions.push({ id: v2, resource_id: id, number: 2, note: "\u6839\u636E\u4F7F\u7528\u53CD\u9988\u8865\u5145\u4E86\u5206\u5C42\u7EC3\u4E60", created_by: author, created_at: at(reviseDay, i), published_at: null });
    }
    const hasFiles = !(status === "draft" && i % 3 === 0);
    const specs = hasFiles ? filesFor(g.kind, g, i, !!show) : [];
    const texts = [];
    for (const [vid, list] of [[v1, specs], ...v2 ? [[v2, specs.slice(0, 1)]] : []]) {
      list.forEach((f, pos) => {
        const fid = `rf_${pad(++serial.file, 6)}`;
        const key = `resources/${id}/${fid}`;
        rows.files.push({
          id: fid,
          resource_id: id,
          version_id: vid,
          role: f.role,
          position: pos,
          storage_key: key,
          name: f.name,
          mime: f.mime,
          size: 0,
          sha256: "",
          text: f.text,
          text_extracted: f.text !== null ? 1 : 0,
          pdf_key: null,
          created_at: vid === v1 ? createdAt : at(reviseDay, i)
        });
        blobs.push({ key, body: f.body, fileIndex: rows.files.length - 1 });
        if (vid === v1 && f.text) texts.push(f.text);
      });
    }
    const hist = (from, to, step, actor, day, comment = null) => rows.history.push({ resource_id: id, from_status: from, to_status: to, step, actor_id: actor, comment, at: at(day, ++serial.hist) });
    hist(null, "draft", "create", author, created);
    let finalStatus = status === "revising" ? "in_review" : status;
    let reviewer = null;
    let submittedAt = null;
    let publishedAt = null;
    if (status !== "draft") {
      submittedAt = at(submittedDay, i + 30);
      hist("draft", "submitted", "submit", author, submittedDay);
      const assignee = subjectReviewer?.user ?? null;
      if (assignee) {
        hist("submitted", "in_review", "assign", null, submittedDay);
        reviewer = assignee;
      }
      const scores = Object.fromEntries(RUBRICS[g.kind].map((r) => [r.code, status === "returned" ? rng.int(2, 3) : rng.int(4, 5)]));
      const vals = Object.values(scores);
      const average = Math.round(vals.reduce((a, b) => a + b, 0) / vals.length * 100) / 100;
      if (status === "returned") {
        const comment = rng.pick(RETURN_COMMENTS);
        rows.reviews.push({ id: hid("rr"), resource_id: id, version_id: v1, reviewer_id: decider, scores: toJson(scores), average, decision: "return", comment, created_at: at(decidedDay, i) });
        if (assignee) rows.assignments.push({ id: hid("ra"), resource_id: id, version_id: v1, reviewer_id: assignee, assigned_at: submittedAt, done_at: at(decidedDay, i), decision: "return" });
        hist(assignee ? "in_review" : "submitted", "returned", "return", decider, decidedDay, comment);
        rows.notifications.push({ user_id: author, kind: "returned", resource_id: id, title: `\u8D44\u6E90\u88AB\u9000\u56DE\u4FEE\u6539\uFF1A${g.title}`, body: comment, created_at: at(decidedDay, i), read_at: null });
        reviewer = decider;
      } else if (status === "in_review" || status === "submitted") {
        if (assignee) {
          rows.assignments.push({ id: hid("ra"), resource_id: id, version_id: v1, reviewer_id: assignee, assigned_at: submittedAt, done_at: null, decision: null });
          rows.notifications.push({ user_id: assignee, kind: "assigned", resource_id: id, title: `\u5F85\u5BA1\u6838\uFF1A${g.title}`, body: `${subjectLabel(g.topic.subject)} \xB7 ${RESOURCE_KINDS.label(g.kind)}`, created_at: submittedAt, read_at: null });
          finalStatus = "in_review";
        } else {
          finalStatus = "submitted";
        }
      } else {
        publishedAt = at(decidedDay, i);
        rows.reviews.push({ id: hid("rr"), resource_id: id, version_id: v1, reviewer_id: decider, scores: toJson(scores), average, decision: "publish", comment: average >= 4.5 ? "\u4F18\u79C0\u8D44\u6E90\uFF0C\u5EFA\u8BAE\u96C6\u56E2\u5185\u63A8\u5E7F\u4F7F\u7528\u3002" : null, created_at: publishedAt });
        if (assignee) rows.assignments.push({ id: hid("ra"), resource_id: id, version_id: v1, reviewer_id: assignee, assigned_at: submittedAt, done_at: publishedAt, decision: "publish" });
        hist(assignee ? "in_review" : "submitted", "published", "publish", decider, decidedDay);
        rows.notifications.push({ user_id: author, kind: "published", resource_id: id, title: `\u8D44\u6E90\u5DF2\u53D1\u5E03\uFF1A${g.title}`, body: null, created_at: publishedAt, read_at: publishedAt });
        reviewer = decider;
        if (status === "withdrawn" || status === "archived") {
          const day = addDays(decidedDay, rng.int(10, 60));
          hist("published", status, status === "withdrawn" ? "withdraw" : "archive", author, day, status === "archived" ? "\u6559\u6750\u7248\u672C\u66F4\u65B0\uFF0C\u5F52\u6863\u65E7\u7248" : null);
        }
        if (status === "revising") {
          hist("published", "submitted", "submit", author, reviseDay, "\u7B2C2\u7248\uFF1A\u8865\u5145\u5206\u5C42\u7EC3\u4E60");
          reviewer = assignee;
          if (assignee) {
            hist("submitted", "in_review", "assign", null, reviseDay);
            rows.assignments.push({ id: hid("ra"), resource_id: id, version_id: v2, reviewer_id: assignee, assigned_at: at(reviseDay, i), done_at: null, decision: null });
          } else {
            finalStatus = "submitted";
          }
        }
      }
    }
    const live = wasPublished && status !== "withdrawn" && status !== "archived";
    const liveOnce = wasPublished;
    let ratingSum = 0;
    let ratingCount = 0;
    let uses = 0;
    let views = 0;
    let downloads = 0;
    if (liveOnce && publishedAt) {
      const peers = (schoolsOf.get(alliance) ?? []).filter((s) => s !== school2.id);
      const pool = [...new Set(peers.flatMap((s) => teachersOf.get(s) ?? []))].filter((u) => u !== author);
      const popularity = school2.id === inFirst[0]?.id ? 1.6 : 1;
      const raters = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 7) * popularity)));
      const publishedDay = decidedDay;
      const span = Math.max(1, Math.round((Date.parse(today2) - Date.parse(publishedDay)) / 864e5) - 1);
      for (const u of raters) {
        const stars = weighted(rng, [[5, 45], [4, 35], [3, 15], [2, 5]]);
        const day = addDays(publishedDay, rng.int(1, span));
        rows.ratings.push({ resource_id: id, user_id: u, stars, created_at: at(day, stars), updated_at: at(day, stars) });
        ratingSum += stars;
        ratingCount++;
      }
      for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 2)))) {
        const day = addDays(publishedDay, rng.int(1, span));
        rows.comments.push({ id: hid("rc"), resource_id: id, user_id: u, body: rng.pick(COMMENTS), created_at: at(day, 5), deleted_at: null, deleted_by: null });
      }
      for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 3)))) {
        rows.favourites.push({ resource_id: id, user_id: u, created_at: at(addDays(publishedDay, rng.int(1, span)), 9) });
      }
      const users = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 5) * popularity)));
      for (const u of users) {
        const day = addDays(publishedDay, rng.int(1, span));
        const useId = hid("ru");
        const userSchool = [...teachersOf.entries()].find(([, list]) => list.includes(u))?.[0] ?? null;
        rows.uses.push({ id: useId, resource_id: id, version_id: v1, user_id: u, school_id: userSchool, class_note: rng.chance(0.5) ? `${gradeLabel(g.topic.grade)}${rng.int(1, 8)}\u73ED` : null, used_on: day, created_at: at(day, 11) });
        uses++;
        if (userSchool && userSchool !== school2.id) {
          rows.contributions.push({ id: hid("rk"), resource_id: id, use_id: useId, owner_school_id: school2.id, author_id: author, using_school_id: userSchool, alliance_id: alliance, at: at(day, 11), transaction_id: null, amount: 0 });
        }
      }
      views = ratingCount + uses + rng.int(3, 60);
      downloads = Math.min(views, uses + rng.int(0, 15));
    }
    rows.resources.push({
      id,
      kind: g.kind,
      title: g.title,
      description: g.description,
      subject: g.topic.subject,
      stage: g.topic.stage,
      grade: g.topic.grade,
      textbook_edition: TEXTBOOK_EDITIONS.codes.includes(g.edition) ? g.edition : null,
      chapter: g.chapter,
      difficulty: g.difficulty,
      tags: toJson(g.tags),
      language: g.topic.subject === "english" ? "bilingual" : "zh",
      licence,
      visibility,
      alliance_id: alliance,
      school_id: school2.id,
      region_id: cityOf.get(schoolById.get(school2.id).region_id) ?? school2.region_id,
      created_by: author,
      status: finalStatus,
      current_version_id: wasPublished ? v1 : null,
      draft_version_id: wasPublished ? v2 : v1,
      reviewer_id: reviewer,
      submitted_at: submittedAt,
      published_at: publishedAt,
      views,
      downloads,
      uses,
      rating_sum: ratingSum,
      rating_count: ratingCount,
      created_at: createdAt,
      updated_at: rows.history[rows.history.length - 1].at
    });
    rows.authors.push({ id: hid("rau"), resource_id: id, user_id: author, name: "", position: 0 });
    if (live) {
      fts.push({ id, title: g.title, body: [g.description, g.tags.join(" "), g.chapter, ...texts].filter(Boolean).join("\n") });
    }
  }
  const names = new Map(
    (await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", [...new Set(rows.authors.map((a) => a.user_id))]).execute()).map((u) => [u.id, u.display_name])
  );
  for (const a of rows.authors) a.name = names.get(a.user_id) ?? "";
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) {
      const b = blobs[next++];
      const stored = await storage.put(b.key, b.body);
      rows.files[b.fileIndex].size = stored.size;
      rows.files[b.fileIndex].sha256 = stored.sha256;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await db.transaction().execute(async (tx) => {
    await insertBatched(tx, "resources", rows.resources, 200);
    await insertBatched(tx, "resource_authors", rows.authors);
    await insertBatched(tx, "resource_versions", rows.versions);
    await insertBatched(tx, "resource_files", rows.files, 200);
    await insertBatched(tx, "resource_reviews", rows.reviews);
    await insertBatched(tx, "resource_review_assignments", rows.assignments);
    await insertBatched(tx, "resource_status_history", rows.history);
    await insertBatched(tx, "resource_ratings", rows.ratings);
    await insertBatched(tx, "resource_comments", rows.comments);
    await insertBatched(tx, "resource_favourites", rows.favourites);
    await insertBatched(tx, "resource_uses", rows.uses);
    await insertBatched(tx, "resource_contributions", rows.contributions);
    await insertBatched(tx, "resource_notifications", rows.notifications);
    await ftsInsertMany(tx, dialect, fts);
  });
  return { resources: rows.resources.length, files: rows.files.length, indexed: fts.length, ms: Date.now() - started };
}
var TOPIC_LINES, TOPICS, subjectLabel, gradeLabel, TITLES, DESCRIPTIONS, PARAGRAPHS, COMMENTS, RETURN_COMMENTS, KIND_WEIGHTS, SHOWCASE, DEMO_TEACHER, STATUS_WEIGHTS, STAGES_OF_TYPE, covers, safeName;
var init_resources2 = __esm({
  "src/server/seed/resources.ts"() {
    "use strict";
    init_db();
    init_fts();
    init_extract();
    init_vocab();
    init_resources();
    init_insert();
    init_random();
    init_resource_files();
    TOPIC_LINES = {
      math: [
        "g1|20\u4EE5\u5185\u7684\u8FDB\u4F4D\u52A0\u6CD5|\u7B2C\u516B\u5355\u5143|\u51D1\u5341\u6CD5,\u8BA1\u6570\u5668,\u7B97\u5F0F",
        "g2|\u8868\u5185\u4E58\u6CD5|\u7B2C\u56DB\u5355\u5143|\u4E58\u6CD5\u53E3\u8BC0,\u51E0\u4E2A\u51E0,\u4E58\u6570",
        "g3|\u5206\u6570\u7684\u521D\u6B65\u8BA4\u8BC6|\u7B2C\u516B\u5355\u5143|\u51E0\u5206\u4E4B\u4E00,\u5206\u5B50,\u5206\u6BCD",
        "g4|\u5E73\u884C\u56DB\u8FB9\u5F62\u548C\u68AF\u5F62|\u7B2C\u4E94\u5355\u5143|\u5E73\u884C\u7EBF,\u5782\u7EBF,\u9AD8",
        "g5|\u591A\u8FB9\u5F62\u7684\u9762\u79EF|\u7B2C\u516D\u5355\u5143|\u4E09\u89D2\u5F62\u9762\u79EF,\u68AF\u5F62\u9762\u79EF,\u5272\u8865\u6CD5",
        "g6|\u5706\u7684\u9762\u79EF|\u7B2C\u4E94\u5355\u5143|\u5706\u5468\u7387,\u534A\u5F84,\u76F4\u5F84",
        "g6|\u9E21\u5154\u540C\u7B3C|\u6570\u5B66\u5E7F\u89D2|\u5047\u8BBE\u6CD5,\u5217\u8868\u6CD5,\u65B9\u7A0B",
        "g7|\u6709\u7406\u6570\u7684\u52A0\u51CF\u6CD5|\u7B2C\u4E00\u7AE0|\u6570\u8F74,\u76F8\u53CD\u6570,\u7EDD\u5BF9\u503C",
        "g7|\u4E00\u5143\u4E00\u6B21\u65B9\u7A0B|\u7B2C\u4E09\u7AE0|\u79FB\u9879,\u5408\u5E76\u540C\u7C7B\u9879,\u89E3\u65B9\u7A0B",
        "g8|\u52FE\u80A1\u5B9A\u7406|\u7B2C\u5341\u4E03\u7AE0|\u76F4\u89D2\u4E09\u89D2\u5F62,\u659C\u8FB9,\u9006\u5B9A\u7406",
        "g8|\u5168\u7B49\u4E09\u89D2\u5F62|\u7B2C\u5341\u4E8C\u7AE0|\u8FB9\u89D2\u8FB9,\u89D2\u8FB9\u89D2,\u5BF9\u5E94\u8FB9",
        "g8|\u4E00\u6B21\u51FD\u6570|\u7B2C\u5341\u4E5D\u7AE0|\u51FD\u6570\u56FE\u50CF,\u6B63\u6BD4\u4F8B\u51FD\u6570,\u659C\u7387",
        "g9|\u4E8C\u6B21\u51FD\u6570\u7684\u56FE\u50CF\u4E0E\u6027\u8D28|\u7B2C\u4E8C\u5341\u4E8C\u7AE0|\u629B\u7269\u7EBF,\u9876\u70B9\u5750\u6807,\u5BF9\u79F0\u8F74,\u5F00\u53E3\u65B9\u5411,\u51FD\u6570",
        "g9|\u4E00\u5143\u4E8C\u6B21\u65B9\u7A0B|\u7B2C\u4E8C\u5341\u4E00\u7AE0|\u914D\u65B9\u6CD5,\u6C42\u6839\u516C\u5F0F,\u5224\u522B\u5F0F",
        "g9|\u5706\u5468\u89D2\u5B9A\u7406|\u7B2C\u4E8C\u5341\u56DB\u7AE0|\u5706\u5FC3\u89D2,\u5F27,\u5F26",
        "g10|\u51FD\u6570\u7684\u5355\u8C03\u6027|\u5FC5\u4FEE\u4E00 \u7B2C\u4E09\u7AE0|\u589E\u51FD\u6570,\u51CF\u51FD\u6570,\u51FD\u6570",
        "g10|\u6307\u6570\u51FD\u6570\u4E0E\u5BF9\u6570\u51FD\u6570|\u5FC5\u4FEE\u4E00 \u7B2C\u56DB\u7AE0|\u6307\u6570,\u5BF9\u6570,\u51FD\u6570\u56FE\u50CF",
        "g11|\u7B49\u5DEE\u6570\u5217|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E8C \u7B2C\u56DB\u7AE0|\u516C\u5DEE,\u901A\u9879\u516C\u5F0F,\u524Dn\u9879\u548C,\u51FD\u6570",
        "g11|\u7A7A\u95F4\u5411\u91CF\u4E0E\u7ACB\u4F53\u51E0\u4F55|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E00 \u7B2C\u4E00\u7AE0|\u6CD5\u5411\u91CF,\u5750\u6807,\u5939\u89D2",
        "g12|\u5BFC\u6570\u7684\u6982\u5FF5\u53CA\u5176\u610F\u4E49|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E8C \u7B2C\u4E94\u7AE0|\u77AC\u65F6\u53D8\u5316\u7387,\u5207\u7EBF\u659C\u7387,\u51FD\u6570"
      ],
      physics: [
        "g8|\u58F0\u97F3\u7684\u4EA7\u751F\u4E0E\u4F20\u64AD|\u7B2C\u4E8C\u7AE0|\u632F\u52A8,\u4ECB\u8D28,\u58F0\u901F",
        "g8|\u5149\u7684\u6298\u5C04|\u7B2C\u56DB\u7AE0|\u6298\u5C04\u89D2,\u5165\u5C04\u89D2,\u900F\u955C",
        "g8|\u6D6E\u529B|\u7B2C\u5341\u7AE0|\u963F\u57FA\u7C73\u5FB7\u539F\u7406,\u6392\u5F00\u6DB2\u4F53,\u5BC6\u5EA6",
        "g8|\u725B\u987F\u7B2C\u4E00\u5B9A\u5F8B|\u7B2C\u516B\u7AE0|\u60EF\u6027,\u529B,\u8FD0\u52A8\u72B6\u6001",
        "g9|\u4E32\u8054\u548C\u5E76\u8054\u7535\u8DEF|\u7B2C\u5341\u4E94\u7AE0|\u7535\u8DEF,\u7535\u6D41,\u5F00\u5173,\u7535\u8DEF\u56FE",
        "g9|\u6B27\u59C6\u5B9A\u5F8B|\u7B2C\u5341\u4E03\u7AE0|\u7535\u963B,\u7535\u538B,\u7535\u6D41,\u7535\u8DEF",
        "g9|\u7535\u529F\u7387|\u7B2C\u5341\u516B\u7AE0|\u989D\u5B9A\u529F\u7387,\u7535\u80FD\u8868,\u7126\u8033\u5B9A\u5F8B",
        "g9|\u7535\u4E0E\u78C1|\u7B2C\u4E8C\u5341\u7AE0|\u78C1\u573A,\u7535\u78C1\u94C1,\u7535\u52A8\u673A",
        "g10|\u5300\u53D8\u901F\u76F4\u7EBF\u8FD0\u52A8|\u5FC5\u4FEE\u4E00 \u7B2C\u4E8C\u7AE0|\u52A0\u901F\u5EA6,\u4F4D\u79FB,\u901F\u5EA6\u56FE\u50CF",
        "g10|\u725B\u987F\u8FD0\u52A8\u5B9A\u5F8B|\u5FC5\u4FEE\u4E00 \u7B2C\u56DB\u7AE0|\u53D7\u529B\u5206\u6790,\u52A0\u901F\u5EA6,\u8D28\u91CF",
        "g11|\u95ED\u5408\u7535\u8DEF\u7684\u6B27\u59C6\u5B9A\u5F8B|\u5FC5\u4FEE\u4E09 \u7B2C\u5341\u4E8C\u7AE0|\u7535\u52A8\u52BF,\u5185\u963B,\u7535\u8DEF",
        "g11|\u673A\u68B0\u80FD\u5B88\u6052\u5B9A\u5F8B|\u5FC5\u4FEE\u4E8C \u7B2C\u516B\u7AE0|\u52A8\u80FD,\u52BF\u80FD,\u529F",
        "g12|\u7535\u78C1\u611F\u5E94|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E8C \u7B2C\u4E8C\u7AE0|\u695E\u6B21\u5B9A\u5F8B,\u611F\u5E94\u7535\u6D41,\u78C1\u901A\u91CF"
      ],
      chemistry: [
        "g9|\u6C27\u6C14\u7684\u5B9E\u9A8C\u5BA4\u5236\u53D6|\u7B2C\u4E8C\u5355\u5143|\u9AD8\u9530\u9178\u94BE,\u50AC\u5316\u5242,\u96C6\u6C14\u74F6",
        "g9|\u8D28\u91CF\u5B88\u6052\u5B9A\u5F8B|\u7B2C\u4E94\u5355\u5143|\u5316\u5B66\u65B9\u7A0B\u5F0F,\u53CD\u5E94\u524D\u540E,\u539F\u5B50",
        "g9|\u9178\u548C\u78B1\u7684\u4E2D\u548C\u53CD\u5E94|\u7B2C\u5341\u5355\u5143|\u9178\u78B1\u6307\u793A\u5242,pH,\u76D0",
        "g9|\u91D1\u5C5E\u7684\u5316\u5B66\u6027\u8D28|\u7B2C\u516B\u5355\u5143|\u7F6E\u6362\u53CD\u5E94,\u6D3B\u52A8\u6027\u987A\u5E8F,\u94C1",
        "g9|\u6EB6\u6DB2\u7684\u914D\u5236|\u7B2C\u4E5D\u5355\u5143|\u6EB6\u8D28\u8D28\u91CF\u5206\u6570,\u6EB6\u5242,\u5929\u5E73",
        "g10|\u7269\u8D28\u7684\u91CF|\u5FC5\u4FEE\u4E00 \u7B2C\u4E8C\u7AE0|\u6469\u5C14,\u963F\u4F0F\u52A0\u5FB7\u7F57\u5E38\u6570,\u6469\u5C14\u8D28\u91CF",
        "g10|\u6C27\u5316\u8FD8\u539F\u53CD\u5E94|\u5FC5\u4FEE\u4E00 \u7B2C\u4E00\u7AE0|\u7535\u5B50\u8F6C\u79FB,\u6C27\u5316\u5242,\u8FD8\u539F\u5242",
        "g11|\u5316\u5B66\u53CD\u5E94\u901F\u7387|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E00 \u7B2C\u4E8C\u7AE0|\u50AC\u5316\u5242,\u6D53\u5EA6,\u6E29\u5EA6",
        "g12|\u6709\u673A\u5316\u5408\u7269\u7684\u7ED3\u6784|\u9009\u62E9\u6027\u5FC5\u4FEE\u4E09 \u7B2C\u4E00\u7AE0|\u540C\u5206\u5F02\u6784\u4F53,\u5B98\u80FD\u56E2,\u78B3\u539F\u5B50"
      ],
      biology: [
        "g7|\u7EC6\u80DE\u7684\u7ED3\u6784|\u7B2C\u4E8C\u5355\u5143|\u7EC6\u80DE\u819C,\u7EC6\u80DE\u6838,\u663E\u5FAE\u955C",
        "g7|\u5149\u5408\u4F5C\u7528|\u7B2C\u4E09\u5355\u5143|\u53F6\u7EFF\u4F53,\u4E8C\u6C27\u5316\u78B3,\u6DC0\u7C89,\u5B9E\u9A8C",
        "g8|\u751F\u6001\u7CFB\u7EDF|\u7B2C\u4E00\u5355\u5143|\u98DF\u7269\u94FE,\u751F\u4EA7\u8005,\u5206\u89E3\u8005",
        "g8|\u9057\u4F20\u4E0E\u53D8\u5F02|\u7B2C\u4E03\u5355\u5143|\u57FA\u56E0,\u67D3\u8272\u4F53,\u6027\u72B6",
        "g7|\u4EBA\u4F53\u7684\u8840\u6DB2\u5FAA\u73AF|\u7B2C\u56DB\u5355\u5143|\u5FC3\u810F,\u52A8\u8109,\u9759\u8109",
        "g10|\u7EC6\u80DE\u547C\u5438|\u5FC5\u4FEE\u4E00 \u7B2C\u4E94\u7AE0|\u6709\u6C27\u547C\u5438,\u7EBF\u7C92\u4F53,\u80FD\u91CF",
        "g11|\u57FA\u56E0\u7684\u8868\u8FBE|\u5FC5\u4FEE\u4E8C \u7B2C\u56DB\u7AE0|\u8F6C\u5F55,\u7FFB\u8BD1,\u86CB\u767D\u8D28"
      ],
      chinese: [
        "g1|\u62FC\u97F3 \u0251 o e|\u6C49\u8BED\u62FC\u97F3|\u58F0\u6BCD,\u97F5\u6BCD,\u56DB\u58F0",
        "g3|\u53E4\u8BD7\u4E09\u9996|\u7B2C\u4E00\u5355\u5143|\u53E4\u8BD7,\u6717\u8BFB,\u610F\u5883",
        "g4|\u89C2\u6F6E|\u7B2C\u4E00\u5355\u5143|\u94B1\u5858\u6C5F,\u63CF\u5199,\u987A\u5E8F",
        "g5|\u300A\u8349\u8239\u501F\u7BAD\u300B|\u7B2C\u4E8C\u5355\u5143|\u8BF8\u845B\u4EAE,\u4EBA\u7269\u5F62\u8C61,\u4E09\u56FD\u6F14\u4E49",
        "g6|\u53E4\u8BD7\u8BCD\u8BF5\u8BFB|\u7B2C\u4E00\u5355\u5143|\u53E4\u8BD7\u8BCD,\u9274\u8D4F,\u8BD7\u8BCD",
        "g7|\u300A\u6625\u300B|\u7B2C\u4E00\u5355\u5143|\u6731\u81EA\u6E05,\u6563\u6587,\u4FEE\u8F9E",
        "g7|\u300A\u8BBA\u8BED\u300B\u5341\u4E8C\u7AE0|\u7B2C\u4E09\u5355\u5143|\u5B54\u5B50,\u6587\u8A00\u6587,\u5B66\u800C",
        "g8|\u300A\u80CC\u5F71\u300B|\u7B2C\u56DB\u5355\u5143|\u6731\u81EA\u6E05,\u7236\u7231,\u7EC6\u8282\u63CF\u5199",
        "g8|\u300A\u6843\u82B1\u6E90\u8BB0\u300B|\u7B2C\u4E09\u5355\u5143|\u9676\u6E0A\u660E,\u6587\u8A00\u6587,\u7406\u60F3\u793E\u4F1A",
        "g9|\u300A\u5CB3\u9633\u697C\u8BB0\u300B|\u7B2C\u4E09\u5355\u5143|\u8303\u4EF2\u6DF9,\u5148\u5929\u4E0B\u4E4B\u5FE7\u800C\u5FE7,\u6587\u8A00\u6587",
        "g9|\u8BB0\u53D9\u6587\u5199\u4F5C|\u5199\u4F5C|\u8BB0\u53D9\u6587,\u7EC6\u8282,\u4E2D\u8003\u4F5C\u6587",
        "g10|\u300A\u7EA2\u697C\u68A6\u300B\u6574\u672C\u4E66\u9605\u8BFB|\u7B2C\u4E03\u5355\u5143|\u66F9\u96EA\u82B9,\u4EBA\u7269\u5173\u7CFB,\u6574\u672C\u4E66\u9605\u8BFB",
        "g11|\u53E4\u8BD7\u8BCD\u9274\u8D4F|\u53E4\u8BD7\u8BCD\u8BF5\u8BFB|\u610F\u8C61,\u610F\u5883,\u70BC\u5B57,\u8BD7\u8BCD",
        "g12|\u8BAE\u8BBA\u6587\u5199\u4F5C|\u5199\u4F5C|\u8BBA\u70B9,\u8BBA\u636E,\u8BBA\u8BC1"
      ],
      english: [
        "g3|Unit 1 Hello!|Unit 1|greetings,\u5B57\u6BCD,\u5BF9\u8BDD",
        "g5|Unit 3 What would you like?|Unit 3|food,drink,\u60C5\u666F\u5BF9\u8BDD",
        "g7|Unit 1 My name's Gina.|Unit 1|be\u52A8\u8BCD,\u81EA\u6211\u4ECB\u7ECD,\u8BCD\u6C47",
        "g8|\u4E00\u822C\u8FC7\u53BB\u65F6|\u8BED\u6CD5|\u8FC7\u53BB\u5F0F,\u89C4\u5219\u52A8\u8BCD,\u65F6\u95F4\u72B6\u8BED",
        "g8|\u82F1\u8BED\u9605\u8BFB\u7406\u89E3\u7B56\u7565|\u9605\u8BFB|\u4E3B\u65E8\u5927\u610F,\u7EC6\u8282\u7406\u89E3,\u63A8\u7406\u5224\u65AD",
        "g9|\u82F1\u8BED\u4E66\u9762\u8868\u8FBE\uFF1A\u4E66\u4FE1|\u5199\u4F5C|\u4E66\u4FE1\u683C\u5F0F,\u8FDE\u63A5\u8BCD,\u4E2D\u8003\u82F1\u8BED",
        "g10|\u5B9A\u8BED\u4ECE\u53E5|\u8BED\u6CD5|\u5173\u7CFB\u4EE3\u8BCD,\u5148\u884C\u8BCD,\u4ECE\u53E5",
        "g11|\u82F1\u8BED\u542C\u529B\u8BAD\u7EC3|\u542C\u529B|\u542C\u529B\u7B56\u7565,\u5173\u952E\u8BCD,\u901F\u8BB0"
      ],
      history: [
        "g7|\u79E6\u7EDF\u4E00\u4E2D\u56FD|\u7B2C\u4E09\u5355\u5143|\u79E6\u59CB\u7687,\u90E1\u53BF\u5236,\u7EDF\u4E00\u6587\u5B57",
        "g7|\u4E1D\u7EF8\u4E4B\u8DEF|\u7B2C\u4E09\u5355\u5143|\u5F20\u9A9E,\u897F\u57DF,\u8D38\u6613",
        "g8|\u9E26\u7247\u6218\u4E89|\u7B2C\u4E00\u5355\u5143|\u6797\u5219\u5F90,\u864E\u95E8\u9500\u70DF,\u5357\u4EAC\u6761\u7EA6",
        "g8|\u8F9B\u4EA5\u9769\u547D|\u7B2C\u4E09\u5355\u5143|\u5B59\u4E2D\u5C71,\u6B66\u660C\u8D77\u4E49,\u4E2D\u534E\u6C11\u56FD",
        "g9|\u5DE5\u4E1A\u9769\u547D|\u7B2C\u4E03\u5355\u5143|\u74E6\u7279,\u84B8\u6C7D\u673A,\u5DE5\u5382\u5236\u5EA6",
        "g10|\u4E2D\u534E\u6587\u660E\u7684\u8D77\u6E90|\u7B2C\u4E00\u5355\u5143|\u8003\u53E4,\u826F\u6E1A,\u6587\u660E"
      ],
      geography: [
        "g7|\u5730\u7403\u7684\u8FD0\u52A8|\u7B2C\u4E00\u7AE0|\u81EA\u8F6C,\u516C\u8F6C,\u663C\u591C\u4EA4\u66FF",
        "g8|\u4E2D\u56FD\u7684\u6C14\u5019|\u7B2C\u4E8C\u7AE0|\u5B63\u98CE,\u6C14\u6E29,\u964D\u6C34",
        "g8|\u4E2D\u56FD\u7684\u6CB3\u6D41|\u7B2C\u4E8C\u7AE0|\u957F\u6C5F,\u9EC4\u6CB3,\u6C34\u6587\u7279\u5F81",
        "g10|\u6C34\u5FAA\u73AF|\u5FC5\u4FEE\u4E00 \u7B2C\u4E09\u7AE0|\u84B8\u53D1,\u5F84\u6D41,\u964D\u6C34",
        "g11|\u4EBA\u53E3\u4E0E\u57CE\u5E02|\u5FC5\u4FEE\u4E8C \u7B2C\u4E8C\u7AE0|\u57CE\u9547\u5316,\u4EBA\u53E3\u8FC1\u79FB,\u57CE\u5E02\u529F\u80FD"
      ],
      morality_law: [
        "g7|\u53CB\u8C0A\u7684\u5929\u7A7A|\u7B2C\u4E8C\u5355\u5143|\u53CB\u8C0A,\u4EA4\u53CB,\u5C0A\u91CD",
        "g8|\u5BAA\u6CD5\u662F\u6839\u672C\u6CD5|\u7B2C\u4E00\u5355\u5143|\u5BAA\u6CD5,\u516C\u6C11\u6743\u5229,\u6CD5\u6CBB",
        "g8|\u505A\u5B88\u6CD5\u7684\u516C\u6C11|\u7B2C\u4E94\u5355\u5143|\u6CD5\u5F8B,\u8FDD\u6CD5,\u9884\u9632\u72AF\u7F6A",
        "g5|\u6211\u4EEC\u7684\u56FD\u571F \u6211\u4EEC\u7684\u5BB6\u56ED|\u7B2C\u4E09\u5355\u5143|\u56FD\u571F,\u6C11\u65CF,\u5BB6\u56ED"
      ],
      science: [
        "g3|\u690D\u7269\u7684\u4E00\u751F|\u7B2C\u4E00\u5355\u5143|\u79CD\u5B50,\u53D1\u82BD,\u751F\u957F",
        "g4|\u7B80\u5355\u7535\u8DEF|\u7B2C\u4E8C\u5355\u5143|\u7535\u8DEF,\u7535\u6C60,\u5C0F\u706F\u6CE1,\u5F00\u5173",
        "g5|\u592A\u9633\u7CFB|\u7B2C\u4E09\u5355\u5143|\u884C\u661F,\u5730\u7403,\u6708\u76F8",
        "g6|\u6C34\u7684\u4E09\u6001\u53D8\u5316|\u7B2C\u4E00\u5355\u5143|\u84B8\u53D1,\u51DD\u7ED3,\u6E29\u5EA6"
      ],
      it: [
        "g5|\u7B97\u6CD5\u4E0E\u6D41\u7A0B\u56FE|\u7B2C\u4E8C\u5355\u5143|\u7B97\u6CD5,\u6D41\u7A0B\u56FE,\u987A\u5E8F\u7ED3\u6784",
        "g7|\u6570\u636E\u4E0E\u7F16\u7801|\u7B2C\u4E00\u5355\u5143|\u4E8C\u8FDB\u5236,\u7F16\u7801,\u6570\u636E",
        "g8|Python\u7A0B\u5E8F\u8BBE\u8BA1\u5165\u95E8|\u7B2C\u4E09\u5355\u5143|Python,\u53D8\u91CF,\u5FAA\u73AF",
        "g10|\u4EBA\u5DE5\u667A\u80FD\u521D\u6B65|\u5FC5\u4FEE\u4E00 \u7B2C\u4E94\u7AE0|\u673A\u5668\u5B66\u4E60,\u6570\u636E\u96C6,\u6A21\u578B"
      ],
      music: ["g4|\u300A\u8309\u8389\u82B1\u300B\u6B23\u8D4F|\u7B2C\u4E09\u5355\u5143|\u6C11\u6B4C,\u65CB\u5F8B,\u6C5F\u82CF", "g2|\u8282\u594F\u4E0E\u8282\u62CD|\u7B2C\u4E00\u5355\u5143|\u56DB\u5206\u97F3\u7B26,\u62CD\u5B50,\u6253\u51FB\u4E50"],
      art: ["g3|\u8272\u5F69\u7684\u51B7\u6696|\u7B2C\u4E8C\u8BFE|\u51B7\u8272,\u6696\u8272,\u8C03\u8272", "g8|\u4E2D\u56FD\u5C71\u6C34\u753B|\u7B2C\u56DB\u5355\u5143|\u7B14\u58A8,\u76B4\u6CD5,\u7559\u767D", "g5|\u526A\u7EB8\u827A\u672F|\u7B2C\u516D\u8BFE|\u5BF9\u79F0,\u7A97\u82B1,\u6C11\u95F4\u827A\u672F"],
      pe: ["g4|\u7ACB\u5B9A\u8DF3\u8FDC|\u7530\u5F84|\u6446\u81C2,\u8D77\u8DF3,\u843D\u5730", "g7|\u7BEE\u7403\u8FD0\u7403|\u7403\u7C7B|\u8FD0\u7403,\u53D8\u5411,\u63A7\u7403", "g2|\u5E7F\u64AD\u4F53\u64CD|\u4F53\u64CD|\u8282\u62CD,\u961F\u5217,\u52A8\u4F5C\u8981\u9886"],
      labor: ["g3|\u6574\u7406\u4E0E\u6536\u7EB3|\u65E5\u5E38\u751F\u6D3B\u52B3\u52A8|\u5206\u7C7B,\u6536\u7EB3,\u6574\u7406", "g5|\u6821\u56ED\u79CD\u690D|\u751F\u4EA7\u52B3\u52A8|\u64AD\u79CD,\u6D47\u6C34,\u89C2\u5BDF\u8BB0\u5F55", "g8|\u5BB6\u5E38\u83DC\u70F9\u996A|\u65E5\u5E38\u751F\u6D3B\u52B3\u52A8|\u5200\u5DE5,\u706B\u5019,\u8425\u517B"],
      psychology: ["g6|\u60C5\u7EEA\u7BA1\u7406|\u5FC3\u7406\u5065\u5EB7|\u60C5\u7EEA,\u8C03\u8282,\u503E\u8BC9", "g8|\u5B66\u4F1A\u6C9F\u901A|\u5FC3\u7406\u5065\u5EB7|\u503E\u542C,\u8868\u8FBE,\u540C\u4F34\u5173\u7CFB"],
      calligraphy: ["g4|\u6977\u4E66\u57FA\u672C\u7B14\u753B|\u4E66\u6CD5\u7EC3\u4E60|\u6A2A,\u7AD6,\u6487\u637A,\u7B14\u753B"],
      practice: ["g7|\u7814\u5B66\u65C5\u884C\uFF1A\u8D70\u8FDB\u6E7F\u5730|\u7EFC\u5408\u5B9E\u8DF5|\u6E7F\u5730,\u89C2\u5BDF,\u7814\u5B66", "g5|\u793E\u533A\u8C03\u67E5|\u7EFC\u5408\u5B9E\u8DF5|\u95EE\u5377,\u8BBF\u8C08,\u8C03\u67E5\u62A5\u544A"]
    };
    TOPICS = Object.entries(TOPIC_LINES).flatMap(
      ([subject, lines]) => lines.map((l) => {
        const [grade, name, chapter, words] = l.split("|");
        return { subject, stage: stageOf(grade), grade, name, chapter, words: words.split(",") };
      })
    );
    subjectLabel = (s) => SUBJECTS.label(s);
    gradeLabel = (g) => GRADES.label(g);
    TITLES = {
      lesson_video: ["\u300A{t}\u300B\u8BFE\u4F8B\uFF08{g}\uFF09", "{t} \u8BFE\u5802\u5B9E\u5F55", "{t} \u516C\u5F00\u8BFE\u8BFE\u4F8B", "{t} \u793A\u8303\u8BFE"],
      lesson_plan: ["\u300A{t}\u300B\u6559\u5B66\u8BBE\u8BA1", "{t} \u6559\u6848", "{t} \u7B2C\u4E00\u8BFE\u65F6\u6559\u5B66\u8BBE\u8BA1", "\u300A{t}\u300B\u5927\u5355\u5143\u6559\u5B66\u8BBE\u8BA1"],
      courseware: ["{t} \u8BFE\u4EF6", "\u300A{t}\u300B\u6559\u5B66\u8BFE\u4EF6", "{t} \u590D\u4E60\u8BFE\u4EF6"],
      micro_lesson: ["{t} \u5FAE\u8BFE", "5\u5206\u949F\u5FAE\u8BFE\uFF1A{t}", "{t} \u91CD\u96BE\u70B9\u5FAE\u8BFE"],
      exam: ["{t} \u5355\u5143\u6D4B\u8BD5\u5377", "{t} \u8BFE\u65F6\u7EC3\u4E60", "{g}{s} {t} \u5206\u5C42\u4F5C\u4E1A\u8BBE\u8BA1", "{t} \u671F\u4E2D\u590D\u4E60\u9898"],
      school_course: ["\u6821\u672C\u8BFE\u7A0B\uFF1A{t}\u62D3\u5C55", "{s}\u6821\u672C\u8BFE\u7A0B \u2014\u2014 \u8D70\u8FDB{t}", "{t} \u6821\u672C\u8BFE\u7A0B\u8D44\u6E90\u5305"],
      case_collection: ["{s}\u6559\u5B66\u6848\u4F8B\u96C6\uFF1A{t}", "{t} \u6559\u5B66\u6848\u4F8B\u4E0E\u53CD\u601D", "{g}{s}\u4F18\u79C0\u6848\u4F8B\u96C6"],
      research: ["\u201C{t}\u201D\u6559\u5B66\u4E2D\u7684\u95EE\u9898\u94FE\u8BBE\u8BA1\u7814\u7A76", "\u57FA\u4E8E\u6838\u5FC3\u7D20\u517B\u7684{t}\u6559\u5B66\u5B9E\u8DF5\u7814\u7A76", "{t} \u6559\u7814\u6210\u679C\uFF1A\u540C\u8BFE\u5F02\u6784\u62A5\u544A"]
    };
    DESCRIPTIONS = [
      "\u672C\u8D44\u6E90\u56F4\u7ED5\u201C{t}\u201D\u8BBE\u8BA1\uFF0C\u7D27\u6263\u8BFE\u7A0B\u6807\u51C6\uFF0C\u5305\u542B\u6559\u5B66\u76EE\u6807\u3001\u91CD\u96BE\u70B9\u5206\u6790\u548C\u8BFE\u5802\u6D3B\u52A8\uFF0C\u9002\u5408{g}{s}\u6559\u5E08\u76F4\u63A5\u7528\u4E8E\u8BFE\u5802\u6216\u96C6\u4F53\u5907\u8BFE\u53C2\u8003\u3002",
      "\u7531\u96C6\u56E2\u9AA8\u5E72\u6559\u5E08\u5F00\u53D1\uFF0C\u7ECF\u5B66\u79D1\u7EC4\u7814\u8BA8\u4FEE\u6539\u3002{t}\u90E8\u5206\u8BBE\u8BA1\u4E86\u5206\u5C42\u4EFB\u52A1\uFF0C\u517C\u987E\u57FA\u7840\u8584\u5F31\u5B66\u751F\u548C\u5B66\u6709\u4F59\u529B\u7684\u5B66\u751F\u3002",
      "{s}\u5B66\u79D1\u7EC4\u8054\u5408\u6559\u7814\u6210\u679C\uFF0C{t}\u4E00\u8BFE\u91C7\u7528\u95EE\u9898\u9A71\u52A8\uFF0C\u914D\u5957\u7EC3\u4E60\u4E0E\u8BC4\u4EF7\u91CF\u8868\uFF0C\u519C\u6751\u5B66\u6821\u53EF\u7ED3\u5408\u672C\u6821\u5B66\u60C5\u8C03\u6574\u4F7F\u7528\u3002",
      "\u9002\u7528\u4E8E{g}\uFF0C\u53EF\u7528\u4E8E\u65B0\u6388\u8BFE\u6216\u590D\u4E60\u8BFE\u3002\u8D44\u6E90\u8BF4\u660E\u4E86{t}\u7684\u6559\u5B66\u6D41\u7A0B\u3001\u677F\u4E66\u8BBE\u8BA1\u548C\u8BFE\u540E\u4F5C\u4E1A\u8BBE\u8BA1\u3002"
    ];
    PARAGRAPHS = [
      "\u4E00\u3001\u6559\u5B66\u76EE\u6807\uFF1A\u7406\u89E3{t}\u7684\u57FA\u672C\u6982\u5FF5\uFF0C\u638C\u63E1{w1}\u548C{w2}\u7684\u5173\u7CFB\uFF0C\u80FD\u8FD0\u7528\u6240\u5B66\u77E5\u8BC6\u89E3\u51B3\u5B9E\u9645\u95EE\u9898\uFF0C\u53D1\u5C55\u5B66\u79D1\u6838\u5FC3\u7D20\u517B\u3002",
      "\u4E8C\u3001\u6559\u5B66\u91CD\u70B9\u4E0E\u96BE\u70B9\uFF1A\u91CD\u70B9\u662F{w1}\uFF1B\u96BE\u70B9\u662F{w2}\u4E0E{w3}\u7684\u7EFC\u5408\u8FD0\u7528\u3002\u6559\u5B66\u4E2D\u901A\u8FC7\u5C0F\u7EC4\u5408\u4F5C\u548C\u52A8\u624B\u64CD\u4F5C\u7A81\u7834\u96BE\u70B9\u3002",
      "\u4E09\u3001\u5B66\u60C5\u5206\u6790\uFF1A{g}\u5B66\u751F\u5DF2\u5177\u5907\u4E00\u5B9A\u7684\u57FA\u7840\uFF0C\u4F46\u5BF9{w2}\u7684\u7406\u89E3\u5BB9\u6613\u505C\u7559\u5728\u8868\u9762\uFF0C\u9700\u8981\u501F\u52A9\u5177\u4F53\u60C5\u5883\u548C\u76F4\u89C2\u6F14\u793A\u3002",
      "\u56DB\u3001\u6559\u5B66\u8FC7\u7A0B\uFF1A\uFF08\u4E00\uFF09\u60C5\u5883\u5BFC\u5165\uFF0C\u63D0\u51FA\u95EE\u9898\uFF1B\uFF08\u4E8C\uFF09\u81EA\u4E3B\u63A2\u7A76{w1}\uFF1B\uFF08\u4E09\uFF09\u5408\u4F5C\u4EA4\u6D41\uFF0C\u5F52\u7EB3{w3}\uFF1B\uFF08\u56DB\uFF09\u5F53\u5802\u68C0\u6D4B\uFF0C\u5206\u5C42\u7EC3\u4E60\u3002",
      "\u4E94\u3001\u677F\u4E66\u8BBE\u8BA1\uFF1A{t} \u2014\u2014 {w1} / {w2} / {w3}\u3002",
      "\u516D\u3001\u4F5C\u4E1A\u8BBE\u8BA1\uFF1A\u57FA\u7840\u9898\u5DE9\u56FA{w1}\uFF0C\u63D0\u9AD8\u9898\u7EFC\u5408\u8FD0\u7528{w2}\uFF0C\u62D3\u5C55\u9898\u8054\u7CFB\u751F\u6D3B\u5B9E\u9645\uFF0C\u843D\u5B9E\u201C\u53CC\u51CF\u201D\u8981\u6C42\uFF0C\u63A7\u5236\u4F5C\u4E1A\u603B\u91CF\u3002",
      "\u4E03\u3001\u6559\u5B66\u53CD\u601D\uFF1A\u672C\u8BFE{w3}\u73AF\u8282\u5B66\u751F\u53C2\u4E0E\u5EA6\u9AD8\uFF0C{w2}\u90E8\u5206\u4E2A\u522B\u5B66\u751F\u4ECD\u6709\u56F0\u96BE\uFF0C\u4E0B\u4E00\u8BFE\u65F6\u9700\u8981\u8865\u5145\u9488\u5BF9\u6027\u7EC3\u4E60\u3002"
    ];
    COMMENTS = [
      "\u8BBE\u8BA1\u5F88\u5B9E\u7528\uFF0C\u5DF2\u5728\u6211\u4EEC\u73ED\u8BD5\u7528\uFF0C\u5B66\u751F\u53CD\u9988\u5F88\u597D\u3002",
      "\u8BFE\u4EF6\u6761\u7406\u6E05\u6670\uFF0C\u91CD\u96BE\u70B9\u7A81\u51FA\uFF0C\u611F\u8C22\u5206\u4EAB\uFF01",
      "\u4F5C\u4E1A\u5206\u5C42\u505A\u5F97\u597D\uFF0C\u9002\u5408\u6211\u4EEC\u519C\u6751\u5B66\u6821\u7684\u5B66\u60C5\u3002",
      "\u89C6\u9891\u6E05\u6670\uFF0C\u6559\u5B66\u8282\u594F\u628A\u63E1\u5F97\u5F88\u597D\uFF0C\u503C\u5F97\u5B66\u4E60\u3002",
      "\u5EFA\u8BAE\u8865\u5145\u4E00\u4E9B\u8BFE\u540E\u62D3\u5C55\u7EC3\u4E60\u3002",
      "\u96C6\u4F53\u5907\u8BFE\u65F6\u53C2\u8003\u4E86\u8FD9\u4EFD\u8D44\u6E90\uFF0C\u5F88\u6709\u542F\u53D1\u3002",
      "\u677F\u4E66\u8BBE\u8BA1\u5F88\u6709\u7279\u8272\uFF0C\u501F\u9274\u4E86\u3002",
      "\u8BD5\u9898\u96BE\u5EA6\u9002\u4E2D\uFF0C\u7B54\u6848\u89E3\u6790\u8BE6\u7EC6\u3002"
    ];
    RETURN_COMMENTS = [
      "\u6559\u5B66\u76EE\u6807\u8868\u8FF0\u9700\u66F4\u5177\u4F53\uFF0C\u8BF7\u5BF9\u7167\u8BFE\u6807\u4FEE\u6539\u540E\u518D\u63D0\u4EA4\u3002",
      "\u8BFE\u4EF6\u4E2D\u90E8\u5206\u56FE\u7247\u7248\u6743\u4E0D\u660E\uFF0C\u8BF7\u66FF\u6362\u540E\u91CD\u65B0\u63D0\u4EA4\u3002",
      "\u4F5C\u4E1A\u91CF\u504F\u5927\uFF0C\u4E0D\u7B26\u5408\u201C\u53CC\u51CF\u201D\u8981\u6C42\uFF0C\u8BF7\u7CBE\u7B80\u3002",
      "\u89C6\u9891\u58F0\u97F3\u504F\u5C0F\uFF0C\u8BF7\u91CD\u65B0\u5F55\u5236\u6216\u5904\u7406\u540E\u63D0\u4EA4\u3002"
    ];
    KIND_WEIGHTS = [
      ["lesson_plan", 26],
      ["courseware", 20],
      ["exam", 16],
      ["micro_lesson", 12],
      ["lesson_video", 10],
      ["case_collection", 5],
      ["research", 6],
      ["school_course", 5]
    ];
    SHOWCASE = [
      { topic: "\u4E8C\u6B21\u51FD\u6570\u7684\u56FE\u50CF\u4E0E\u6027\u8D28", kind: "lesson_plan" },
      { topic: "\u4E32\u8054\u548C\u5E76\u8054\u7535\u8DEF", kind: "courseware" },
      { topic: "\u6B27\u59C6\u5B9A\u5F8B", kind: "lesson_plan" },
      { topic: "\u7B49\u5DEE\u6570\u5217", kind: "lesson_plan" },
      { topic: "\u53E4\u8BD7\u8BCD\u9274\u8D4F", kind: "micro_lesson" },
      { topic: "\u5149\u5408\u4F5C\u7528", kind: "lesson_video" }
    ];
    DEMO_TEACHER = "u_teacher";
    STATUS_WEIGHTS = [
      ["published", 64],
      ["draft", 8],
      ["submitted", 4],
      ["in_review", 7],
      ["returned", 6],
      ["withdrawn", 3],
      ["archived", 4],
      ["revising", 4]
    ];
    STAGES_OF_TYPE = {
      primary: ["primary"],
      junior: ["junior"],
      senior: ["senior"],
      nine_year: ["primary", "junior"],
      complete_secondary: ["junior", "senior"],
      twelve_year: ["primary", "junior", "senior"],
      teaching_point: ["primary"],
      special: ["primary"]
    };
    covers = /* @__PURE__ */ new Map();
    safeName = (s) => s.replace(/[\\/:*?"<>|《》“”]/g, "").replace(/\s+/g, " ").trim().slice(0, 80);
  }
});

// src/server/seed/index.ts
var seed_exports = {};
__export(seed_exports, {
  DEFAULT_TODAY: () => DEFAULT_TODAY,
  DEMO_ACCOUNTS: () => DEMO_ACCOUNTS,
  seedDemo: () => seedDemo,
  seedProvince: () => seedProvince
});
import { sql as sql16 } from "kysely";
async function lock(tx, database, key) {
  if (database.dialect === "postgres") await sql16`select pg_advisory_xact_lock(${key})`.execute(tx);
}
async function seedDemo(database, storage, opts) {
  const started = Date.now();
  const today2 = opts.today ?? DEFAULT_TODAY;
  const any = await database.db.selectFrom("regions").select("id").limit(1).executeTakeFirst();
  if (any) return skipped(started);
  const data = buildDemo(today2, await hashPassword(opts.password));
  const versions = new Map(data.versions.map((v) => [v.id, v]));
  for (const f of data.files) {
    const stored = await storage.put(f.key, f.body);
    const v = versions.get(f.versionId);
    v.file_size = stored.size;
    v.sha256 = stored.sha256;
  }
  const done = await database.db.transaction().execute(async (tx) => {
    await lock(tx, database, 4242101);
    const again = await tx.selectFrom("regions").select("id").limit(1).executeTakeFirst();
    if (again) return false;
    await insertBatched(tx, "regions", data.regions);
    await insertBatched(tx, "schools", data.schools);
    await insertBatched(tx, "school_indicators", data.indicators);
    await insertBatched(tx, "users", data.users);
    await insertBatched(tx, "role_grants", data.grants);
    await insertBatched(tx, "partners", data.partners);
    await insertBatched(tx, "alliances", data.alliances);
    await insertBatched(tx, "alliance_members", data.members);
    await insertBatched(tx, "alliance_partners", data.alliancePartners);
    await insertBatched(tx, "governance_bodies", data.bodies);
    await insertBatched(tx, "body_members", data.bodyMembers);
    await insertBatched(tx, "documents", data.documents);
    await insertBatched(tx, "document_versions", data.versions);
    await insertBatched(tx, "milestones", data.milestones);
    await insertBatched(tx, "assessments", data.assessments);
    await insertBatched(tx, "membership_applications", data.applications);
    await insertBatched(tx, "application_decisions", data.decisions);
    await insertBatched(tx, "audit_log", demoAudit(data));
    return true;
  });
  if (!done) return skipped(started);
  await seedFacilities(database, today2);
  await (await Promise.resolve().then(() => (init_resources2(), resources_exports2))).seedResources(database, storage, { today: today2 });
  return {
    regions: data.regions.length,
    schools: data.schools.length,
    alliances: data.alliances.length,
    users: data.users.length,
    applications: data.applications.length,
    ms: Date.now() - started
  };
}
async function seedProvince(database, opts) {
  const started = Date.now();
  const today2 = opts.today ?? DEFAULT_TODAY;
  const exists = () => database.db.selectFrom("regions").select("id").where("code", "=", PROVINCE_CODE).executeTakeFirst();
  if (await exists()) return skipped(started);
  const data = buildProvince(today2, await hashPassword(opts.password));
  const done = await database.db.transaction().execute(async (tx) => {
    await lock(tx, database, 4242102);
    if (await tx.selectFrom("regions").select("id").where("code", "=", PROVINCE_CODE).executeTakeFirst()) return false;
    await insertBatched(tx, "regions", data.regions);
    await insertBatched(tx, "schools", data.schools);
    await insertBatched(tx, "school_indicators", data.indicators);
    await insertBatched(tx, "users", data.users);
    await insertBatched(tx, "role_grants", data.grants);
    await insertBatched(tx, "alliances", data.alliances);
    await insertBatched(tx, "alliance_members", data.members);
    return true;
  });
  if (!done) return skipped(started);
  await sql16`analyze`.execute(database.db);
  return {
    regions: data.regions.length,
    schools: data.schools.length,
    alliances: data.alliances.length,
    users: data.users.length,
    applications: 0,
    ms: Date.now() - started
  };
}
var skipped;
var init_seed = __esm({
  "src/server/seed/index.ts"() {
    "use strict";
    init_passwords();
    init_demo_data();
    init_audit2();
    init_insert();
    init_province();
    init_facilities2();
    skipped = (started) => ({
      skipped: true,
      regions: 0,
      schools: 0,
      alliances: 0,
      users: 0,
      applications: 0,
      ms: Date.now() - started
    });
  }
});

// src/server/db/backup.ts
var backup_exports = {};
__export(backup_exports, {
  backupSqlite: () => backupSqlite,
  restoreSqlite: () => restoreSqlite
});
import fs7 from "node:fs";
import path8 from "node:path";
import SQLite2 from "better-sqlite3";
async function backupSqlite(config, target) {
  if (config.databaseUrl) throw new Error("DATABASE_URL is set: back up PostgreSQL with pg_dump (docs/backup.md)");
  if (!fs7.existsSync(config.sqlitePath)) throw new Error(`no database at ${config.sqlitePath}`);
  const started = performance.now();
  fs7.mkdirSync(path8.dirname(target), { recursive: true });
  const db = openSqlite(config.sqlitePath);
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  return { file: target, bytes: fs7.statSync(target).size, ms: Math.round(performance.now() - started) };
}
async function restoreSqlite(config, source) {
  if (config.databaseUrl) throw new Error("DATABASE_URL is set: restore PostgreSQL with pg_restore (docs/backup.md)");
  const check = new SQLite2(source, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma("integrity_check", { simple: true });
    if (ok !== "ok") throw new Error(`backup fails integrity_check: ${ok}`);
    const hasMigrations = check.prepare("select count(*) as n from sqlite_master where name = 'xl_migrations'").get();
    if (!hasMigrations.n) throw new Error("not a xiaolian database (no xl_migrations table)");
  } finally {
    check.close();
  }
  const target = config.sqlitePath;
  fs7.mkdirSync(path8.dirname(target), { recursive: true });
  const tmp = `${target}.restore-${process.pid}`;
  fs7.copyFileSync(source, tmp);
  for (const suffix of ["-wal", "-shm"]) fs7.rmSync(target + suffix, { force: true });
  fs7.renameSync(tmp, target);
  return { file: target };
}
var init_backup = __esm({
  "src/server/db/backup.ts"() {
    "use strict";
    init_db();
  }
});

// src/server/db/check.ts
var check_exports = {};
__export(check_exports, {
  runChecks: () => runChecks
});
import { sql as sql17 } from "kysely";
async function runChecks(database) {
  const { db, dialect } = database;
  const problems = [];
  if (dialect === "sqlite") {
    const fk = await sql17`pragma foreign_key_check`.execute(db);
    for (const r of fk.rows) problems.push(`foreign key broken in table ${r.table}`);
    const integ = await sql17`pragma integrity_check`.execute(db);
    if (integ.rows[0]?.integrity_check !== "ok") problems.push(`integrity_check: ${integ.rows[0]?.integrity_check}`);
  }
  const cores = await db.selectFrom("alliances as a").leftJoin("alliance_members as m", (j) => j.onRef("m.alliance_id", "=", "a.id").on("m.role", "=", "core").on("m.status", "=", "active")).select(["a.id", "a.name", "a.core_school_id", (eb) => eb.fn.count("m.id").as("n"), (eb) => eb.fn.max("m.school_id").as("core")]).where("a.status", "=", "active").groupBy(["a.id", "a.name", "a.core_school_id"]).execute();
  for (const c of cores) {
    if (Number(c.n) !== 1 || c.core !== c.core_school_id) problems.push(`alliance ${c.name} (${c.id}): core school membership is inconsistent`);
  }
  const kinds = await db.selectFrom("alliance_members as m").innerJoin("alliances as a", "a.id", "m.alliance_id").select(["m.id", "a.name"]).whereRef("m.alliance_kind", "!=", "a.kind").execute();
  for (const k of kinds) problems.push(`membership ${k.id} of ${k.name} has a stale alliance kind`);
  const approved = await db.selectFrom("membership_applications as p").select(["p.id"]).where("p.status", "=", "approved").where((eb) => eb.not(eb.exists(eb.selectFrom("alliance_members as m").select("m.id").whereRef("m.alliance_id", "=", "p.alliance_id").whereRef("m.school_id", "=", "p.school_id")))).execute();
  for (const a of approved) problems.push(`approved application ${a.id} has no membership`);
  const undecided = await db.selectFrom("membership_applications as p").select(["p.id", "p.status"]).where("p.status", "in", ["approved", "rejected", "withdrawn"]).where((eb) => eb.not(eb.exists(eb.selectFrom("application_decisions as d").select("d.id").whereRef("d.application_id", "=", "p.id").where("d.step", "in", ["approve", "reject", "withdraw"])))).execute();
  for (const u of undecided) problems.push(`application ${u.id} is ${u.status} without a recorded decision`);
  const { checkLedger: checkLedger2 } = await Promise.resolve().then(() => (init_ledger(), ledger_exports));
  problems.push(...(await checkLedger2(db)).problems);
  return problems;
}
var init_check = __esm({
  "src/server/db/check.ts"() {
    "use strict";
  }
});

// src/server/main.ts
import fs8 from "node:fs";
import path9 from "node:path";

// src/server/config.ts
import path from "node:path";
import { z } from "zod";
var Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3e3),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL schema to use (tests run each file in its own schema). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  DEMO_PASSWORD: z.string().min(8).default("Xiaolian@2026"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PUBLIC_URL: z.string().url().optional(),
  /** Cookies carry `Secure` when the public URL is https. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  TRUST_PROXY: z.string().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().default("openid profile email"),
  /** Claim of the ID token / userinfo that identifies the local account. */
  OIDC_MATCH_CLAIM: z.string().default("preferred_username"),
  /** Local account column the claim is matched against. */
  OIDC_MATCH_FIELD: z.enum(["username", "email", "phone"]).default("username"),
  OIDC_LABEL: z.string().default("\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\u767B\u5F55"),
  /** Allow plain-http issuers (only for tests and closed intranets). */
  OIDC_ALLOW_HTTP: z.enum(["0", "1"]).default("0"),
  SEED_ON_START: z.enum(["0", "1"]).default("1")
});
var VERSION = "0.1.0";
function loadConfig(env = process.env, overrides = {}) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:
${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  const cfg = {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL || void 0,
    databaseSchema: e.DATABASE_SCHEMA,
    sqlitePath: path.join(dataDir, "xiaolian.sqlite"),
    demoPassword: e.DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockMinutes: e.LOGIN_LOCK_MINUTES },
    trustProxy: e.TRUST_PROXY === void 0 ? false : e.TRUST_PROXY === "true" ? true : e.TRUST_PROXY,
    oidc: e.OIDC_ISSUER && e.OIDC_CLIENT_ID ? {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      scopes: e.OIDC_SCOPES,
      matchClaim: e.OIDC_MATCH_CLAIM,
      matchField: e.OIDC_MATCH_FIELD,
      label: e.OIDC_LABEL,
      allowHttp: e.OIDC_ALLOW_HTTP === "1"
    } : void 0,
    seedOnStart: e.SEED_ON_START === "1",
    version: VERSION
  };
  return { ...cfg, ...overrides };
}

// src/server/app.ts
init_db();
import fs5 from "node:fs";
import path6 from "node:path";
import { fileURLToPath } from "node:url";
import Fastify from "fastify";
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler
} from "fastify-type-provider-zod";
import { z as z23 } from "zod";

// src/server/db/migrate.ts
import { sql as sql7 } from "kysely";

// src/server/db/migrations/001_foundation.ts
init_db();
import { sql as sql2 } from "kysely";
async function up(db, dialect) {
  const t = columnTypes(dialect);
  const idCol = dialect === "postgres" ? "bigserial" : "integer";
  await db.schema.createTable("regions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("parent_id", "text", (c) => c.references("regions.id")).addColumn("level", "text", (c) => c.notNull().check(sql2`level in ('province','city','district')`)).addColumn("code", "text", (c) => c.notNull().unique()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("regions_parent").on("regions").column("parent_id").execute();
  await db.schema.createTable("schools").addColumn("id", "text", (c) => c.primaryKey()).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("code", "text", (c) => c.notNull().unique()).addColumn("credit_code", "text", (c) => c.unique()).addColumn("name", "text", (c) => c.notNull()).addColumn("short_name", "text").addColumn("type", "text", (c) => c.notNull()).addColumn("ownership", "text", (c) => c.notNull().check(sql2`ownership in ('public','private')`)).addColumn(
    "location",
    "text",
    (c) => c.notNull().check(sql2`location in ('urban','county_town','township','village')`)
  ).addColumn("tags", "text", (c) => c.notNull().defaultTo("[]")).addColumn("address", "text").addColumn("lat", t.float).addColumn("lng", t.float).addColumn("principal", "text").addColumn("phone", "text").addColumn("founded_year", "integer").addColumn("students", "integer", (c) => c.notNull().defaultTo(0).check(sql2`students >= 0`)).addColumn("teachers", "integer", (c) => c.notNull().defaultTo(0).check(sql2`teachers >= 0`)).addColumn("classes", "integer", (c) => c.notNull().defaultTo(0).check(sql2`classes >= 0`)).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("schools_region_code").on("schools").columns(["region_id", "code"]).execute();
  await db.schema.createTable("school_indicators").addColumn("school_id", "text", (c) => c.notNull().references("schools.id").onDelete("cascade")).addColumn("year", "integer", (c) => c.notNull()).addColumn("students", "integer", (c) => c.notNull().check(sql2`students >= 0`)).addColumn("teachers", "integer", (c) => c.notNull().check(sql2`teachers >= 0`)).addColumn("teachers_above_degree", "integer", (c) => c.notNull().check(sql2`teachers_above_degree >= 0`)).addColumn("key_teachers", "integer", (c) => c.notNull().check(sql2`key_teachers >= 0`)).addColumn("pe_art_teachers", "integer", (c) => c.notNull().check(sql2`pe_art_teachers >= 0`)).addColumn("teaching_area_m2", t.float, (c) => c.notNull().check(sql2`teaching_area_m2 >= 0`)).addColumn("sports_area_m2", t.float, (c) => c.notNull().check(sql2`sports_area_m2 >= 0`)).addColumn("equipment_value_yuan", t.float, (c) => c.notNull().check(sql2`equipment_value_yuan >= 0`)).addColumn("multimedia_rooms", "integer", (c) => c.notNull().check(sql2`multimedia_rooms >= 0`)).addColumn("books", "integer", (c) => c.notNull().defaultTo(0).check(sql2`books >= 0`)).addColumn("updated_by", "text").addColumn("updated_at", "text", (c) => c.notNull()).addPrimaryKeyConstraint("school_indicators_pk", ["school_id", "year"]).execute();
  await db.schema.createTable("users").addColumn("id", "text", (c) => c.primaryKey()).addColumn("username", "text", (c) => c.notNull().unique()).addColumn("display_name", "text", (c) => c.notNull()).addColumn("email", "text", (c) => c.unique()).addColumn("phone", "text", (c) => c.unique()).addColumn("password_hash", "text").addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0)).addColumn("password_changed_at", "text").addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("region_id", "text", (c) => c.references("regions.id")).addColumn("locale", "text", (c) => c.notNull().defaultTo("zh-CN")).addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql2`status in ('active','disabled')`)).addColumn("failed_logins", "integer", (c) => c.notNull().defaultTo(0)).addColumn("locked_until", "text").addColumn("oidc_subject", "text", (c) => c.unique()).addColumn("last_login_at", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("users_school").on("users").column("school_id").execute();
  await db.schema.createIndex("users_region").on("users").column("region_id").execute();
  await db.schema.createTable("role_grants").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("role", "text", (c) => c.notNull()).addColumn(
    "scope_type",
    "text",
    (c) => c.notNull().check(sql2`scope_type in ('installation','region','alliance','school')`)
  ).addColumn("scope_id", "text").addColumn("subject", "text").addColumn("granted_by", "text").addColumn("granted_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("role_grants_unique").on("role_grants").expression(sql2`user_id, role, scope_type, coalesce(scope_id, ''), coalesce(subject, '')`).unique().execute();
  await db.schema.createIndex("role_grants_scope").on("role_grants").columns(["scope_type", "scope_id"]).execute();
  await db.schema.createTable("sessions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("csrf_token", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addColumn("last_seen_at", "text", (c) => c.notNull()).addColumn("idle_expires_at", "text", (c) => c.notNull()).addColumn("expires_at", "text", (c) => c.notNull()).addColumn("ip", "text").addColumn("user_agent", "text").addColumn("via", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createTable("auth_flows").addColumn("id", "text", (c) => c.primaryKey()).addColumn("code_verifier", "text", (c) => c.notNull()).addColumn("nonce", "text", (c) => c.notNull()).addColumn("return_to", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("expires_at", "text", (c) => c.notNull()).execute();
  await db.schema.createTable("audit_log").addColumn("id", idCol, (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()).addColumn("at", "text", (c) => c.notNull()).addColumn("actor_id", "text").addColumn("actor_name", "text").addColumn("ip", "text").addColumn("request_id", "text").addColumn("action", "text", (c) => c.notNull()).addColumn("entity_type", "text", (c) => c.notNull()).addColumn("entity_id", "text").addColumn("region_id", "text").addColumn("alliance_id", "text").addColumn("school_id", "text").addColumn("detail", "text", (c) => c.notNull().defaultTo("{}")).execute();
  await db.schema.createIndex("audit_at").on("audit_log").column("at").execute();
  await db.schema.createIndex("audit_region_at").on("audit_log").columns(["region_id", "at"]).execute();
  await db.schema.createIndex("audit_entity").on("audit_log").columns(["entity_type", "entity_id"]).execute();
  await db.schema.createTable("partners").addColumn("id", "text", (c) => c.primaryKey()).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("name", "text", (c) => c.notNull()).addColumn(
    "kind",
    "text",
    (c) => c.notNull().check(sql2`kind in ('enterprise','university','museum','community','foundation','other')`)
  ).addColumn("contact", "text").addColumn("phone", "text").addColumn("description", "text").addColumn("created_at", "text", (c) => c.notNull()).addUniqueConstraint("partners_region_name", ["region_id", "name"]).execute();
  await db.schema.createTable("alliances").addColumn("id", "text", (c) => c.primaryKey()).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("name", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull().check(sql2`kind in ('fusion','aggregation','union')`)).addColumn(
    "pattern",
    "text",
    (c) => c.notNull().check(sql2`pattern in ('mother_child','mentor','partner','urban_rural')`)
  ).addColumn("core_school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("description", "text").addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql2`status in ('active','dissolved')`)).addColumn("founded_on", "text", (c) => c.notNull()).addColumn("cycle_start_on", "text", (c) => c.notNull()).addColumn("last_assessed_on", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addUniqueConstraint("alliances_region_name", ["region_id", "name"]).execute();
  await db.schema.createTable("alliance_members").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("alliance_kind", "text", (c) => c.notNull()).addColumn("role", "text", (c) => c.notNull().check(sql2`role in ('core','member')`)).addColumn("status", "text", (c) => c.notNull().check(sql2`status in ('active','exited')`)).addColumn("joined_on", "text", (c) => c.notNull()).addColumn("exited_on", "text").addColumn("exit_reason", "text").addColumn("exit_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("alliance_members_exit", sql2`status = 'active' or (exited_on is not null and exit_reason is not null)`).execute();
  await sql2`create unique index alliance_members_active on alliance_members (alliance_id, school_id) where status = 'active'`.execute(db);
  await sql2`create unique index alliance_members_one_fusion on alliance_members (school_id) where status = 'active' and alliance_kind = 'fusion'`.execute(db);
  await db.schema.createIndex("alliance_members_school").on("alliance_members").columns(["school_id", "status"]).execute();
  await db.schema.createTable("alliance_partners").addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("partner_id", "text", (c) => c.notNull().references("partners.id")).addColumn("offers", "text").addColumn("joined_on", "text", (c) => c.notNull()).addPrimaryKeyConstraint("alliance_partners_pk", ["alliance_id", "partner_id"]).execute();
  await db.schema.createTable("governance_bodies").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn(
    "kind",
    "text",
    (c) => c.notNull().check(sql2`kind in ('council','supervisory','foundation','secretariat','experts','subject_group')`)
  ).addColumn("name", "text", (c) => c.notNull()).addColumn("subject", "text").addColumn("host_school_id", "text", (c) => c.references("schools.id")).addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("governance_bodies_alliance").on("governance_bodies").column("alliance_id").execute();
  await db.schema.createTable("body_members").addColumn("id", "text", (c) => c.primaryKey()).addColumn("body_id", "text", (c) => c.notNull().references("governance_bodies.id").onDelete("cascade")).addColumn("person_name", "text", (c) => c.notNull()).addColumn("user_id", "text", (c) => c.references("users.id")).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("position", "text", (c) => c.notNull()).addColumn("term_start", "text", (c) => c.notNull()).addColumn("term_end", "text").addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("body_members_term", sql2`term_end is null or term_end >= term_start`).execute();
  await db.schema.createIndex("body_members_body").on("body_members").column("body_id").execute();
  await db.schema.createTable("documents").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("kind", "text", (c) => c.notNull().check(sql2`kind in ('charter','agreement','development','other')`)).addColumn("title", "text", (c) => c.notNull()).addColumn("current_version", "integer", (c) => c.notNull()).addColumn("created_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("documents_alliance").on("documents").column("alliance_id").execute();
  await db.schema.createTable("document_versions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("document_id", "text", (c) => c.notNull().references("documents.id")).addColumn("version", "integer", (c) => c.notNull()).addColumn("file_key", "text").addColumn("file_name", "text").addColumn("file_size", "integer").addColumn("mime", "text").addColumn("sha256", "text").addColumn("terms", "text", (c) => c.notNull().defaultTo("[]")).addColumn("effective_from", "text").addColumn("effective_to", "text").addColumn("note", "text").addColumn("created_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addUniqueConstraint("document_versions_unique", ["document_id", "version"]).execute();
  await db.schema.createTable("milestones").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("phase", "text", (c) => c.notNull().check(sql2`phase in ('preparation','implementation','deepening')`)).addColumn("title", "text", (c) => c.notNull()).addColumn("due_on", "text", (c) => c.notNull()).addColumn("done_on", "text").addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("milestones_alliance").on("milestones").column("alliance_id").execute();
  await db.schema.createTable("assessments").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("assessed_on", "text", (c) => c.notNull()).addColumn("score", t.float, (c) => c.notNull().check(sql2`score >= 0 and score <= 100`)).addColumn("result", "text", (c) => c.notNull().check(sql2`result in ('excellent','good','pass','weak')`)).addColumn("comment", "text").addColumn("assessed_by", "text").addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("assessments_alliance").on("assessments").columns(["alliance_id", "assessed_on"]).execute();
  await db.schema.createTable("membership_applications").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("school_id", "text", (c) => c.notNull().references("schools.id")).addColumn(
    "status",
    "text",
    (c) => c.notNull().check(sql2`status in ('submitted','evaluated','recommended','approved','rejected','withdrawn')`)
  ).addColumn("reason", "text", (c) => c.notNull()).addColumn("applied_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await sql2`create unique index membership_applications_open on membership_applications (alliance_id, school_id) where status in ('submitted','evaluated','recommended')`.execute(db);
  await db.schema.createIndex("membership_applications_status").on("membership_applications").columns(["status", "alliance_id"]).execute();
  await db.schema.createTable("application_decisions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("application_id", "text", (c) => c.notNull().references("membership_applications.id")).addColumn(
    "step",
    "text",
    (c) => c.notNull().check(sql2`step in ('submit','evaluate','recommend','approve','reject','withdraw')`)
  ).addColumn("decision", "text", (c) => c.notNull().check(sql2`decision in ('pass','fail')`)).addColumn("comment", "text").addColumn("actor_id", "text").addColumn("actor_name", "text").addColumn("ip", "text").addColumn("at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("application_decisions_app").on("application_decisions").column("application_id").execute();
  await db.schema.createTable("imports").addColumn("id", "text", (c) => c.primaryKey()).addColumn("kind", "text", (c) => c.notNull().check(sql2`kind in ('schools','users')`)).addColumn("status", "text", (c) => c.notNull().check(sql2`status in ('previewed','committed','discarded')`)).addColumn("file_name", "text", (c) => c.notNull()).addColumn("region_id", "text").addColumn("school_id", "text").addColumn("rows", "text", (c) => c.notNull()).addColumn("valid_count", "integer", (c) => c.notNull()).addColumn("invalid_count", "integer", (c) => c.notNull()).addColumn("imported_count", "integer").addColumn("created_by", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addColumn("committed_at", "text").execute();
}

// src/server/db/migrations/002_facilities.ts
init_db();
import { sql as sql3 } from "kysely";
async function up2(db, dialect) {
  const t = columnTypes(dialect);
  await db.schema.createTable("facilities").addColumn("id", "text", (c) => c.primaryKey()).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("partner_id", "text", (c) => c.references("partners.id")).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("type", "text", (c) => c.notNull()).addColumn("subject", "text").addColumn("name", "text", (c) => c.notNull()).addColumn("capacity", "integer", (c) => c.notNull().check(sql3`capacity >= 0`)).addColumn("location", "text").addColumn("photos", "text", (c) => c.notNull().defaultTo("[]")).addColumn("equipment_text", "text").addColumn("safety_rules", "text").addColumn("responsibility_terms", "text").addColumn("community_open", "integer", (c) => c.notNull().defaultTo(0)).addColumn("policy", "text", (c) => c.notNull().check(sql3`policy in ('auto','manual')`)).addColumn("min_minutes", "integer", (c) => c.notNull().check(sql3`min_minutes > 0`)).addColumn("max_minutes", "integer", (c) => c.notNull().check(sql3`max_minutes >= min_minutes`)).addColumn("min_notice_hours", "integer", (c) => c.notNull().check(sql3`min_notice_hours >= 0`)).addColumn("max_days_ahead", "integer", (c) => c.notNull().check(sql3`max_days_ahead > 0`)).addColumn("buffer_minutes", "integer", (c) => c.notNull().check(sql3`buffer_minutes >= 0`)).addColumn("weekly_quota_hours", "integer", (c) => c.check(sql3`weekly_quota_hours is null or weekly_quota_hours > 0`)).addColumn("cancel_deadline_hours", "integer", (c) => c.notNull().check(sql3`cancel_deadline_hours >= 0`)).addColumn("status", "text", (c) => c.notNull().check(sql3`status in ('active','suspended','retired')`)).addColumn("created_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addCheckConstraint("facilities_owner", sql3`(school_id is null) <> (partner_id is null)`).execute();
  await db.schema.createIndex("facilities_school").on("facilities").columns(["school_id", "type"]).execute();
  await db.schema.createIndex("facilities_region").on("facilities").columns(["region_id", "type"]).execute();
  await db.schema.createIndex("facilities_partner").on("facilities").column("partner_id").execute();
  await db.schema.createTable("facility_open_hours").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.notNull().references("facilities.id").onDelete("cascade")).addColumn("weekday", "integer", (c) => c.notNull().check(sql3`weekday between 1 and 7`)).addColumn("open", "text", (c) => c.notNull()).addColumn("close", "text", (c) => c.notNull()).addCheckConstraint("open_hours_order", sql3`open < close`).execute();
  await db.schema.createIndex("open_hours_facility").on("facility_open_hours").columns(["facility_id", "weekday"]).execute();
  await db.schema.createTable("closures").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.references("facilities.id").onDelete("cascade")).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("start_date", "text", (c) => c.notNull()).addColumn("end_date", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull().check(sql3`kind in ('exam','repair','holiday')`)).addColumn("reason", "text").addColumn("created_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("closures_target", sql3`(facility_id is null) <> (school_id is null)`).addCheckConstraint("closures_order", sql3`start_date <= end_date`).execute();
  await db.schema.createIndex("closures_facility").on("closures").columns(["facility_id", "end_date"]).execute();
  await db.schema.createIndex("closures_school").on("closures").columns(["school_id", "end_date"]).execute();
  await db.schema.createTable("school_terms").addColumn("id", "text", (c) => c.primaryKey()).addColumn("school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("name", "text", (c) => c.notNull()).addColumn("start_date", "text", (c) => c.notNull()).addColumn("end_date", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("terms_order", sql3`start_date <= end_date`).execute();
  await db.schema.createIndex("terms_school").on("school_terms").columns(["school_id", "start_date"]).execute();
  await db.schema.createTable("equipment").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.references("facilities.id")).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("partner_id", "text", (c) => c.references("partners.id")).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("type", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("quantity", "integer", (c) => c.notNull().check(sql3`quantity >= 0`)).addColumn("status", "text", (c) => c.notNull().check(sql3`status in ('available','repair','scrapped')`)).addColumn("usage", "text", (c) => c.notNull().check(sql3`usage in ('lendable','onsite')`)).addColumn("note", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("equipment_facility").on("equipment").column("facility_id").execute();
  await db.schema.createIndex("equipment_school").on("equipment").column("school_id").execute();
  await db.schema.createTable("mobile_kits").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("kind", "text", (c) => c.notNull().check(sql3`kind in ('mobile_lab','mobile_sports_kit')`)).addColumn("name", "text", (c) => c.notNull()).addColumn("description", "text").addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createTable("kit_rotations").addColumn("id", "text", (c) => c.primaryKey()).addColumn("kit_id", "text", (c) => c.notNull().references("mobile_kits.id").onDelete("cascade")).addColumn("school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("from_date", "text", (c) => c.notNull()).addColumn("to_date", "text", (c) => c.notNull()).addColumn("note", "text").addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("rotations_order", sql3`from_date <= to_date`).execute();
  await db.schema.createIndex("rotations_kit").on("kit_rotations").columns(["kit_id", "from_date"]).execute();
  await db.schema.createTable("booking_series").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.notNull().references("facilities.id")).addColumn("booker_id", "text", (c) => c.notNull().references("users.id")).addColumn("until_date", "text", (c) => c.notNull()).addColumn("mode", "text", (c) => c.notNull().check(sql3`mode in ('all_free','all_or_nothing')`)).addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createTable("bookings").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.notNull().references("facilities.id")).addColumn("alliance_id", "text", (c) => c.references("alliances.id")).addColumn("booker_id", "text", (c) => c.notNull().references("users.id")).addColumn("booker_school_id", "text", (c) => c.references("schools.id")).addColumn("series_id", "text", (c) => c.references("booking_series.id")).addColumn("start_at", "text", (c) => c.notNull()).addColumn("end_at", "text", (c) => c.notNull()).addColumn("start_ms", t.bigint, (c) => c.notNull()).addColumn("end_ms", t.bigint, (c) => c.notNull()).addColumn("block_end_ms", t.bigint, (c) => c.notNull()).addColumn("purpose", "text", (c) => c.notNull()).addColumn("group_size", "integer", (c) => c.notNull().check(sql3`group_size > 0`)).addColumn("responsible_teacher", "text", (c) => c.notNull()).addColumn(
    "status",
    "text",
    (c) => c.notNull().check(sql3`status in ('pending','accepted','checked_in','rejected','cancelled','no_show')`)
  ).addColumn("decided_by", "text").addColumn("decided_at", "text").addColumn("decision_reason", "text").addColumn("checked_in_at", "text").addColumn("cancelled_at", "text").addColumn("cancelled_by", "text").addColumn("charge_tx_id", "text").addColumn("charge_amount", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addCheckConstraint("bookings_order", sql3`start_ms < end_ms and end_ms <= block_end_ms`).execute();
  await db.schema.createIndex("bookings_facility_time").on("bookings").columns(["facility_id", "start_ms"]).execute();
  await db.schema.createIndex("bookings_booker").on("bookings").columns(["booker_id", "start_ms"]).execute();
  await db.schema.createIndex("bookings_school").on("bookings").columns(["booker_school_id", "start_ms"]).execute();
  await db.schema.createIndex("bookings_series").on("bookings").column("series_id").execute();
  if (dialect === "postgres") {
    await sql3`create extension if not exists btree_gist with schema public`.execute(db);
    await sql3`alter table bookings add constraint bookings_no_overlap exclude using gist (
      facility_id public.gist_text_ops with =,
      int8range(start_ms, block_end_ms, '[)') with &&
    ) where (status in ('accepted','checked_in'))`.execute(db);
  } else {
    const clash = (ref) => sql3.raw(`select raise(abort, 'booking_overlap') where exists (
      select 1 from bookings b where b.facility_id = ${ref}.facility_id and b.id <> ${ref}.id
        and b.status in ('accepted','checked_in') and b.start_ms < ${ref}.block_end_ms and ${ref}.start_ms < b.block_end_ms)`);
    await sql3`create trigger bookings_no_overlap_insert before insert on bookings
      when new.status in ('accepted','checked_in')
      begin ${clash("new")}; end`.execute(db);
    await sql3`create trigger bookings_no_overlap_update before update of status, start_ms, block_end_ms, facility_id on bookings
      when new.status in ('accepted','checked_in')
      begin ${clash("new")}; end`.execute(db);
  }
  await db.schema.createTable("equipment_loans").addColumn("id", "text", (c) => c.primaryKey()).addColumn("equipment_id", "text", (c) => c.notNull().references("equipment.id")).addColumn("booking_id", "text", (c) => c.references("bookings.id")).addColumn("borrower_id", "text", (c) => c.notNull().references("users.id")).addColumn("borrower_school_id", "text", (c) => c.references("schools.id")).addColumn("quantity", "integer", (c) => c.notNull().check(sql3`quantity > 0`)).addColumn("from_ms", t.bigint, (c) => c.notNull()).addColumn("to_ms", t.bigint, (c) => c.notNull()).addColumn("from_at", "text", (c) => c.notNull()).addColumn("to_at", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().check(sql3`status in ('reserved','out','returned','cancelled')`)).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addCheckConstraint("loans_order", sql3`from_ms < to_ms`).execute();
  await db.schema.createIndex("loans_equipment").on("equipment_loans").columns(["equipment_id", "from_ms"]).execute();
  await db.schema.createIndex("loans_booking").on("equipment_loans").column("booking_id").execute();
  await db.schema.createTable("waitlist").addColumn("id", "text", (c) => c.primaryKey()).addColumn("facility_id", "text", (c) => c.notNull().references("facilities.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("alliance_id", "text", (c) => c.references("alliances.id")).addColumn("start_ms", t.bigint, (c) => c.notNull()).addColumn("end_ms", t.bigint, (c) => c.notNull()).addColumn("start_at", "text", (c) => c.notNull()).addColumn("end_at", "text", (c) => c.notNull()).addColumn("purpose", "text", (c) => c.notNull()).addColumn("group_size", "integer", (c) => c.notNull()).addColumn("responsible_teacher", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().check(sql3`status in ('waiting','offered','booked','expired','withdrawn')`)).addColumn("offer_expires_at", "text").addColumn("booking_id", "text", (c) => c.references("bookings.id")).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("waitlist_facility").on("waitlist").columns(["facility_id", "status", "created_at"]).execute();
  await db.schema.createIndex("waitlist_user").on("waitlist").columns(["user_id", "status"]).execute();
  await db.schema.createTable("calendar_tokens").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("kind", "text", (c) => c.notNull().check(sql3`kind in ('facility','school','teacher')`)).addColumn("target_id", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addColumn("last_used_at", "text").execute();
  await db.schema.createTable("idempotency_keys").addColumn("key", "text", (c) => c.notNull()).addColumn("user_id", "text", (c) => c.notNull()).addColumn("route", "text", (c) => c.notNull()).addColumn("request_hash", "text", (c) => c.notNull()).addColumn("status", "integer", (c) => c.notNull()).addColumn("response", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"]).execute();
}

// src/server/db/migrations/003_credits.ts
import { sql as sql4 } from "kysely";
async function up3(db, dialect) {
  await db.schema.createTable("credit_rules").addColumn("alliance_id", "text", (c) => c.primaryKey().references("alliances.id").onDelete("cascade")).addColumn("rules", "text", (c) => c.notNull()).addColumn("updated_by", "text").addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await db.schema.createTable("credit_accounts").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn("owner_type", "text", (c) => c.notNull().check(sql4`owner_type in ('school','partner','teacher','pool','issuance')`)).addColumn("owner_id", "text", (c) => c.notNull()).addColumn("balance", "integer", (c) => c.notNull().defaultTo(0)).addColumn("overdraft_limit", "integer", (c) => c.check(sql4`overdraft_limit is null or overdraft_limit >= 0`)).addColumn("created_at", "text", (c) => c.notNull()).addUniqueConstraint("credit_accounts_owner", ["alliance_id", "owner_type", "owner_id"]).execute();
  await db.schema.createIndex("credit_accounts_owner_id").on("credit_accounts").columns(["owner_id", "owner_type"]).execute();
  await db.schema.createTable("credit_transactions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("alliance_id", "text", (c) => c.notNull().references("alliances.id")).addColumn(
    "kind",
    "text",
    (c) => c.notNull().check(sql4`kind in ('booking_charge','booking_refund','no_show_penalty','grant','adjustment','resource_reward','teacher_exchange')`)
  ).addColumn("cause_type", "text", (c) => c.notNull()).addColumn("cause_id", "text", (c) => c.notNull()).addColumn("amount", "integer", (c) => c.notNull().check(sql4`amount >= 0`)).addColumn("memo", "text").addColumn("request_hash", "text").addColumn("created_by", "text").addColumn("created_at", "text", (c) => c.notNull()).addUniqueConstraint("credit_transactions_cause", ["alliance_id", "kind", "cause_type", "cause_id"]).execute();
  await db.schema.createIndex("credit_transactions_cause_id").on("credit_transactions").columns(["cause_type", "cause_id"]).execute();
  await db.schema.createIndex("credit_transactions_alliance_at").on("credit_transactions").columns(["alliance_id", "created_at"]).execute();
  await db.schema.createTable("credit_entries").addColumn("id", "text", (c) => c.primaryKey()).addColumn("transaction_id", "text", (c) => c.notNull().references("credit_transactions.id")).addColumn("account_id", "text", (c) => c.notNull().references("credit_accounts.id")).addColumn("amount", "integer", (c) => c.notNull().check(sql4`amount <> 0`)).execute();
  await db.schema.createIndex("credit_entries_tx").on("credit_entries").column("transaction_id").execute();
  await db.schema.createIndex("credit_entries_account").on("credit_entries").columns(["account_id", "transaction_id"]).execute();
  if (dialect === "postgres") {
    await sql4`
      create or replace function credit_entries_balanced() returns trigger language plpgsql as $$
      declare
        tid text;
        s bigint;
      begin
        tid := coalesce(new.transaction_id, old.transaction_id);
        if tg_op = 'DELETE' then tid := old.transaction_id; end if;
        select coalesce(sum(amount), 0) into s from credit_entries where transaction_id = tid;
        if s <> 0 then
          raise exception 'credit transaction % is unbalanced (entries sum to %)', tid, s using errcode = '23514';
        end if;
        return null;
      end $$`.execute(db);
    await sql4`
      create constraint trigger credit_entries_balanced
      after insert or update or delete on credit_entries
      deferrable initially deferred
      for each row execute function credit_entries_balanced()`.execute(db);
  }
}

// src/server/db/migrations/004_resources.ts
import { sql as sql5 } from "kysely";
async function up4(db, dialect) {
  const idCol = dialect === "postgres" ? "bigserial" : "integer";
  const float = dialect === "postgres" ? "double precision" : "real";
  const big = dialect === "postgres" ? "bigint" : "integer";
  await db.schema.createTable("resources").addColumn("id", "text", (c) => c.primaryKey()).addColumn("kind", "text", (c) => c.notNull()).addColumn("title", "text", (c) => c.notNull()).addColumn("description", "text", (c) => c.notNull().defaultTo("")).addColumn("subject", "text", (c) => c.notNull()).addColumn("stage", "text", (c) => c.notNull()).addColumn("grade", "text").addColumn("textbook_edition", "text").addColumn("chapter", "text").addColumn("difficulty", "text").addColumn("tags", "text", (c) => c.notNull().defaultTo("[]")).addColumn("language", "text", (c) => c.notNull().defaultTo("zh")).addColumn("licence", "text", (c) => c.notNull()).addColumn("visibility", "text", (c) => c.notNull()).addColumn("alliance_id", "text", (c) => c.references("alliances.id")).addColumn("school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("region_id", "text", (c) => c.notNull().references("regions.id")).addColumn("created_by", "text", (c) => c.notNull().references("users.id")).addColumn("status", "text", (c) => c.notNull()).addColumn("current_version_id", "text").addColumn("draft_version_id", "text").addColumn("reviewer_id", "text", (c) => c.references("users.id")).addColumn("submitted_at", "text").addColumn("published_at", "text").addColumn("views", "integer", (c) => c.notNull().defaultTo(0)).addColumn("downloads", "integer", (c) => c.notNull().defaultTo(0)).addColumn("uses", "integer", (c) => c.notNull().defaultTo(0)).addColumn("rating_sum", "integer", (c) => c.notNull().defaultTo(0)).addColumn("rating_count", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addCheckConstraint("resources_status_ck", sql5`status in ('draft','submitted','in_review','published','returned','withdrawn','archived')`).addCheckConstraint("resources_visibility_ck", sql5`visibility in ('school','alliance','region','public')`).addCheckConstraint("resources_counts_ck", sql5`views >= 0 and downloads >= 0 and uses >= 0 and rating_sum >= 0 and rating_count >= 0`).execute();
  await db.schema.createIndex("resources_status_idx").on("resources").columns(["status", "published_at"]).execute();
  await db.schema.createIndex("resources_school_idx").on("resources").columns(["school_id", "status"]).execute();
  await db.schema.createIndex("resources_alliance_idx").on("resources").columns(["alliance_id", "status"]).execute();
  await db.schema.createIndex("resources_subject_idx").on("resources").columns(["subject", "published_at"]).execute();
  await db.schema.createIndex("resources_creator_idx").on("resources").columns(["created_by"]).execute();
  await db.schema.createIndex("resources_reviewer_idx").on("resources").columns(["reviewer_id", "status"]).execute();
  await db.schema.createTable("resource_authors").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("user_id", "text", (c) => c.references("users.id")).addColumn("name", "text", (c) => c.notNull()).addColumn("position", "integer", (c) => c.notNull()).execute();
  await db.schema.createIndex("resource_authors_res_idx").on("resource_authors").columns(["resource_id", "position"]).execute();
  await db.schema.createIndex("resource_authors_user_idx").on("resource_authors").columns(["user_id"]).execute();
  await db.schema.createTable("resource_versions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("number", "integer", (c) => c.notNull()).addColumn("note", "text").addColumn("created_by", "text", (c) => c.notNull().references("users.id")).addColumn("created_at", "text", (c) => c.notNull()).addColumn("published_at", "text").addUniqueConstraint("resource_versions_number_uq", ["resource_id", "number"]).execute();
  await db.schema.createTable("resource_files").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("version_id", "text", (c) => c.notNull().references("resource_versions.id")).addColumn("role", "text", (c) => c.notNull()).addColumn("position", "integer", (c) => c.notNull()).addColumn("storage_key", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("mime", "text", (c) => c.notNull()).addColumn("size", big, (c) => c.notNull()).addColumn("sha256", "text", (c) => c.notNull()).addColumn("text", "text").addColumn("text_extracted", "integer", (c) => c.notNull().defaultTo(0)).addColumn("pdf_key", "text").addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("resource_files_version_idx").on("resource_files").columns(["version_id", "position"]).execute();
  await db.schema.createIndex("resource_files_res_idx").on("resource_files").columns(["resource_id"]).execute();
  await db.schema.createTable("resource_reviews").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("version_id", "text", (c) => c.references("resource_versions.id")).addColumn("reviewer_id", "text", (c) => c.notNull().references("users.id")).addColumn("scores", "text", (c) => c.notNull()).addColumn("average", float, (c) => c.notNull()).addColumn("decision", "text", (c) => c.notNull()).addColumn("comment", "text").addColumn("created_at", "text", (c) => c.notNull()).addCheckConstraint("resource_reviews_decision_ck", sql5`decision in ('publish','return')`).execute();
  await db.schema.createIndex("resource_reviews_res_idx").on("resource_reviews").columns(["resource_id", "created_at"]).execute();
  await db.schema.createTable("resource_review_assignments").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("version_id", "text", (c) => c.references("resource_versions.id")).addColumn("reviewer_id", "text", (c) => c.notNull().references("users.id")).addColumn("assigned_at", "text", (c) => c.notNull()).addColumn("done_at", "text").addColumn("decision", "text").execute();
  await db.schema.createIndex("resource_assign_reviewer_idx").on("resource_review_assignments").columns(["reviewer_id", "done_at"]).execute();
  await db.schema.createIndex("resource_assign_res_idx").on("resource_review_assignments").columns(["resource_id"]).execute();
  await db.schema.createTable("resource_status_history").addColumn("id", idCol, (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("from_status", "text").addColumn("to_status", "text", (c) => c.notNull()).addColumn("step", "text", (c) => c.notNull()).addColumn("actor_id", "text", (c) => c.references("users.id")).addColumn("comment", "text").addColumn("at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("resource_history_res_idx").on("resource_status_history").columns(["resource_id", "at"]).execute();
  await db.schema.createTable("resource_ratings").addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("stars", "integer", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).addPrimaryKeyConstraint("resource_ratings_pk", ["resource_id", "user_id"]).addCheckConstraint("resource_ratings_stars_ck", sql5`stars between 1 and 5`).execute();
  await db.schema.createTable("resource_comments").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("body", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addColumn("deleted_at", "text").addColumn("deleted_by", "text", (c) => c.references("users.id")).execute();
  await db.schema.createIndex("resource_comments_res_idx").on("resource_comments").columns(["resource_id", "created_at"]).execute();
  await db.schema.createTable("resource_favourites").addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("created_at", "text", (c) => c.notNull()).addPrimaryKeyConstraint("resource_favourites_pk", ["resource_id", "user_id"]).execute();
  await db.schema.createIndex("resource_favourites_user_idx").on("resource_favourites").columns(["user_id", "created_at"]).execute();
  await db.schema.createTable("resource_uses").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("version_id", "text", (c) => c.notNull().references("resource_versions.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("school_id", "text", (c) => c.references("schools.id")).addColumn("class_note", "text").addColumn("used_on", "text", (c) => c.notNull()).addColumn("created_at", "text", (c) => c.notNull()).addUniqueConstraint("resource_uses_day_uq", ["resource_id", "user_id", "used_on"]).execute();
  await db.schema.createIndex("resource_uses_user_idx").on("resource_uses").columns(["user_id", "used_on"]).execute();
  await db.schema.createTable("resource_daily_counts").addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("day", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull()).addPrimaryKeyConstraint("resource_daily_counts_pk", ["resource_id", "user_id", "day", "kind"]).addCheckConstraint("resource_daily_counts_kind_ck", sql5`kind in ('view','download')`).execute();
  await db.schema.createTable("resource_contributions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("resource_id", "text", (c) => c.notNull().references("resources.id")).addColumn("use_id", "text", (c) => c.notNull().unique().references("resource_uses.id")).addColumn("owner_school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("author_id", "text", (c) => c.references("users.id")).addColumn("using_school_id", "text", (c) => c.notNull().references("schools.id")).addColumn("alliance_id", "text", (c) => c.references("alliances.id")).addColumn("at", "text", (c) => c.notNull()).addColumn("transaction_id", "text").addColumn("amount", float, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("resource_contrib_owner_idx").on("resource_contributions").columns(["owner_school_id", "at"]).execute();
  await db.schema.createIndex("resource_contrib_author_idx").on("resource_contributions").columns(["author_id", "at"]).execute();
  await db.schema.createTable("resource_notifications").addColumn("id", idCol, (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()).addColumn("user_id", "text", (c) => c.notNull().references("users.id")).addColumn("kind", "text", (c) => c.notNull()).addColumn("resource_id", "text", (c) => c.references("resources.id")).addColumn("title", "text", (c) => c.notNull()).addColumn("body", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("read_at", "text").execute();
  await db.schema.createIndex("resource_notifications_user_idx").on("resource_notifications").columns(["user_id", "created_at"]).execute();
}

// src/server/db/migrations/005_search.ts
import { sql as sql6 } from "kysely";
async function up5(db, dialect) {
  if (dialect === "postgres") {
    await sql6`create table search_docs (
      seq bigserial not null unique,
      doc_id text primary key,
      title text not null,
      body text not null,
      tsv tsvector not null,
      updated_at text not null
    )`.execute(db);
    await sql6`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    await sql6`create table search_docs (
      seq integer primary key,
      doc_id text not null unique,
      title text not null,
      body text not null,
      updated_at text not null
    )`.execute(db);
    await sql6`create virtual table search_fts using fts5(
      title, body,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  }
}

// src/server/db/migrate.ts
var MIGRATIONS = [
  { name: "001_foundation", up },
  { name: "002_facilities", up: up2 },
  { name: "003_credits", up: up3 },
  { name: "004_resources", up: up4 },
  { name: "005_search", up: up5 }
];
async function migrate(database) {
  const { db, dialect } = database;
  await sql7`create table if not exists xl_migrations (name text primary key, applied_at text not null)`.execute(db);
  const applied = [];
  for (const m of MIGRATIONS) {
    const done = await db.transaction().execute(async (tx) => {
      if (dialect === "postgres") {
        await sql7`select pg_advisory_xact_lock(4242001)`.execute(tx);
      }
      const row = await sql7`select name from xl_migrations where name = ${m.name}`.execute(tx);
      if (row.rows.length > 0) return false;
      await m.up(tx, dialect);
      await sql7`insert into xl_migrations (name, applied_at) values (${m.name}, ${(/* @__PURE__ */ new Date()).toISOString()})`.execute(tx);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

// src/server/app.ts
init_errors();
init_policy();

// src/server/platform/storage.ts
import crypto from "node:crypto";
import fs2 from "node:fs";
import path3 from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
var FileTooLargeError = class extends Error {
  constructor(maxBytes) {
    super(`file larger than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
  maxBytes;
};
var KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*(\/[a-zA-Z0-9][a-zA-Z0-9._-]*)*$/;
var LocalStorage = class {
  constructor(root) {
    this.root = root;
    fs2.mkdirSync(root, { recursive: true });
  }
  root;
  file(key) {
    if (!KEY.test(key) || key.includes("..")) throw new Error(`invalid storage key: ${key}`);
    return path3.join(this.root, key);
  }
  async put(key, body, opts = {}) {
    const target = this.file(key);
    await fs2.promises.mkdir(path3.dirname(target), { recursive: true });
    const tmp = `${target}.${crypto.randomBytes(6).toString("hex")}.part`;
    const hash2 = crypto.createHash("sha256");
    let size = 0;
    const max = opts.maxBytes ?? Infinity;
    const meter = new Transform({
      transform(chunk, _enc, cb) {
        size += chunk.length;
        if (size > max) return cb(new FileTooLargeError(max));
        hash2.update(chunk);
        cb(null, chunk);
      }
    });
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    try {
      await pipeline(source, meter, fs2.createWriteStream(tmp, { flags: "wx" }));
      await fs2.promises.rename(tmp, target);
    } catch (err) {
      await fs2.promises.rm(tmp, { force: true });
      if (!Buffer.isBuffer(body)) body.resume();
      throw err;
    }
    return { key, size, sha256: hash2.digest("hex") };
  }
  get(key, range2) {
    return fs2.createReadStream(this.file(key), range2 ? { start: range2.start, end: range2.end } : void 0);
  }
  async stat(key) {
    try {
      const s = await fs2.promises.stat(this.file(key));
      return { size: s.size };
    } catch {
      return null;
    }
  }
  async delete(key) {
    await fs2.promises.rm(this.file(key), { force: true });
  }
};
function safeFileName(name) {
  const base = name.split(/[\\/]/).pop() ?? "file";
  const clean = base.replace(/[\u0000-\u001f<>:"|?*]/g, "_").replace(/^\.+/, "").slice(0, 120);
  return clean || "file";
}

// src/server/platform/metrics.ts
import { Registry, Counter, Histogram, collectDefaultMetrics } from "prom-client";
function installMetrics(app) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "xiaolian_" });
  const requests = new Counter({
    name: "xiaolian_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry]
  });
  const duration = new Histogram({
    name: "xiaolian_http_request_duration_seconds",
    help: "HTTP request duration by method and route",
    labelNames: ["method", "route"],
    buckets: [2e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1e3);
  });
  return registry;
}

// src/server/app.ts
init_ids();
init_service();

// src/server/modules/auth/routes.ts
import { z as z3 } from "zod";

// src/server/platform/context.ts
function zapp(app) {
  return app.withTypeProvider();
}
function actorOf(req) {
  if (!req.actor) throw new Error("route without sign-in asked for the actor");
  return req.actor;
}

// src/server/modules/auth/routes.ts
init_errors();
init_audit();
init_db();
init_vocab();

// src/server/modules/auth/sso.ts
init_db();
init_audit();
import { sql as sql9 } from "kysely";
import * as oidc from "openid-client";
import { z as z2 } from "zod";
init_errors();
init_ids();
init_service();
var FLOW_COOKIE = "xl_sso";
var CALLBACK_PATH = "/api/auth/sso/callback";
var FLOW_MINUTES = 10;
var PROVIDER_TIMEOUT_S = 10;
var SsoFailure = class extends Error {
  constructor(code, detail = {}, user) {
    super(code);
    this.code = code;
    this.detail = detail;
    this.user = user;
  }
  code;
  detail;
  user;
};
function safeReturnTo(v) {
  if (typeof v !== "string" || v.length === 0 || v.length > 1e3) return "/";
  if (!v.startsWith("/") || v.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(v)) return "/";
  try {
    const base = "http://xiaolian.invalid";
    const u = new URL(v, base);
    if (u.origin !== base) return "/";
    const out = u.pathname + u.search + u.hash;
    if (out === "/login" || out.startsWith("/login?") || out.startsWith("/login/") || out.startsWith("/api/")) return "/";
    return out;
  } catch {
    return "/";
  }
}
function isNetworkError(err) {
  for (let e = err, i = 0; e && i < 5; e = e.cause, i++) {
    const x = e;
    if (x.name === "AbortError" || x.name === "TimeoutError") return true;
    if (x.name === "TypeError" && /fetch failed/i.test(x.message ?? "")) return true;
    if (typeof x.code === "string" && /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR)/.test(x.code)) return true;
    if (x.code === "OAUTH_RESPONSE_IS_NOT_JSON" || x.code === "OAUTH_RESPONSE_IS_NOT_CONFORM") return true;
  }
  return false;
}
function normalizePhone(v) {
  const d = v.replace(/[\s-]/g, "");
  return d.replace(/^\+?86(?=1\d{10}$)/, "");
}
var SsoService = class {
  constructor(db, config, auth) {
    this.db = db;
    this.config = config;
    this.auth = auth;
  }
  db;
  config;
  auth;
  discovered = null;
  get settings() {
    return this.config.oidc;
  }
  get redirectUri() {
    return new URL(CALLBACK_PATH, this.config.publicUrl).toString();
  }
  /** Provider metadata and client configuration, discovered once and shared by concurrent requests. */
  provider() {
    const s = this.settings;
    if (!s) return Promise.reject(new AppError(404, "sso_disabled"));
    this.discovered ??= (async () => {
      const execute = s.allowHttp ? [oidc.allowInsecureRequests] : [];
      const found = await oidc.discovery(new URL(s.issuer), s.clientId, void 0, oidc.None(), { execute, timeout: PROVIDER_TIMEOUT_S });
      const meta = found.serverMetadata();
      const methods = meta.token_endpoint_auth_methods_supported;
      const clientAuth = !s.clientSecret ? oidc.None() : !methods || methods.includes("client_secret_basic") || !methods.includes("client_secret_post") ? oidc.ClientSecretBasic(s.clientSecret) : oidc.ClientSecretPost(s.clientSecret);
      const cfg = new oidc.Configuration(meta, s.clientId, s.clientSecret ? { client_secret: s.clientSecret } : {}, clientAuth);
      if (s.allowHttp) oidc.allowInsecureRequests(cfg);
      cfg.timeout = PROVIDER_TIMEOUT_S;
      return cfg;
    })();
    this.discovered.catch(() => {
      this.discovered = null;
    });
    return this.discovered;
  }
  /** Records a new flow and returns the provider's authorization URL and the browser-binding value. */
  async start(returnTo) {
    const s = this.settings;
    const cfg = await this.provider();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const now = nowIso();
    await this.db.deleteFrom("auth_flows").where("expires_at", "<=", now).execute();
    await this.db.insertInto("auth_flows").values({
      id: sha256(state),
      code_verifier: verifier,
      nonce,
      return_to: returnTo,
      created_at: now,
      expires_at: new Date(Date.now() + FLOW_MINUTES * 6e4).toISOString()
    }).execute();
    const url = oidc.buildAuthorizationUrl(cfg, {
      response_type: "code",
      redirect_uri: this.redirectUri,
      scope: s.scopes,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: "S256"
    });
    return { url, state };
  }
  /**
   * Completes a flow from the callback URL. Throws SsoFailure with a reason code; the flow named by
   * `state` is consumed in any case.
   */
  async finish(req, query2, boundState) {
    const s = this.settings;
    if (!query2.state) throw new SsoFailure("invalid_state", { cause: "missing_state", providerError: query2.error });
    const id = sha256(query2.state);
    const flow = await this.db.selectFrom("auth_flows").selectAll().where("id", "=", id).executeTakeFirst();
    const del = flow ? await this.db.deleteFrom("auth_flows").where("id", "=", id).executeTakeFirst() : null;
    if (!flow || Number(del?.numDeletedRows ?? 0) !== 1) throw new SsoFailure("invalid_state", { cause: "unknown_or_used_state" });
    const returnTo = safeReturnTo(flow.return_to);
    const fail = (code, detail2 = {}, user2) => Object.assign(new SsoFailure(code, detail2, user2), { returnTo });
    if (boundState !== query2.state) throw fail("invalid_state", { cause: "other_browser" });
    if (flow.expires_at <= nowIso()) throw fail("expired");
    if (query2.error) throw fail("provider_error", { error: query2.error.slice(0, 100), description: query2.error_description?.slice(0, 300) });
    let cfg;
    try {
      cfg = await this.provider();
    } catch (err) {
      throw fail("provider_unavailable", { error: String(err.message ?? err).slice(0, 300) });
    }
    const current = new URL(this.redirectUri);
    current.search = new URL(req.url, "http://x").search;
    let claims;
    let subject;
    try {
      const tokens = await oidc.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: flow.code_verifier,
        expectedNonce: flow.nonce,
        expectedState: query2.state,
        idTokenExpected: true
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error("no ID token");
      subject = idClaims.sub;
      claims = { ...idClaims };
      if (claims[s.matchClaim] === void 0 && tokens.access_token && cfg.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, subject);
        claims = { ...info, ...idClaims };
      }
    } catch (err) {
      req.log.warn({ err }, "single sign-on: token exchange failed");
      const e = err;
      throw fail(isNetworkError(err) ? "provider_unavailable" : "token_invalid", {
        error: String(e.error ?? e.code ?? e.message ?? err).slice(0, 300)
      });
    }
    const raw = claims[s.matchClaim];
    const value = typeof raw === "string" ? raw.trim() : typeof raw === "number" ? String(raw) : "";
    if (!value) throw fail("claim_missing", { claim: s.matchClaim, sub: subject });
    const q = this.db.selectFrom("users").select(["id", "display_name", "status", "region_id", "school_id", "oidc_subject"]).limit(2);
    const users = s.matchField === "email" ? await q.where(sql9`lower(email)`, "=", value.toLowerCase()).execute() : s.matchField === "phone" ? await q.where("phone", "=", normalizePhone(value)).execute() : await q.where("username", "=", value).execute();
    const detail = { claim: s.matchClaim, value: value.slice(0, 200), field: s.matchField, sub: subject };
    if (users.length !== 1) throw fail("no_account", { ...detail, ...users.length > 1 && { ambiguous: true } });
    const user = users[0];
    if (user.status !== "active") throw fail("account_disabled", detail, user);
    const session = await this.db.transaction().execute(async (tx) => {
      let subjectRecorded = user.oidc_subject === subject;
      if (!subjectRecorded) {
        const holder = await tx.selectFrom("users").select("id").where("oidc_subject", "=", subject).executeTakeFirst();
        subjectRecorded = !holder;
      }
      await tx.updateTable("users").set({ last_login_at: nowIso(), ...subjectRecorded && user.oidc_subject !== subject && { oidc_subject: subject } }).where("id", "=", user.id).execute();
      const sess = await this.auth.createSession(tx, req, user.id, "oidc");
      await audit(tx, req, {
        action: "auth.login",
        entityType: "user",
        entityId: user.id,
        actor: { id: user.id, name: user.display_name },
        regionId: user.region_id,
        schoolId: user.school_id,
        detail: { via: "oidc", ...detail, ...user.oidc_subject && user.oidc_subject !== subject && { previousSub: user.oidc_subject } }
      });
      return sess;
    });
    return { session, returnTo };
  }
};
function loginErrorUrl(code, returnTo) {
  const p = new URLSearchParams({ sso_error: code });
  if (returnTo && returnTo !== "/") p.set("next", returnTo);
  return `/login?${p}`;
}
function wantsHtml(req) {
  return (req.headers.accept ?? "").includes("text/html");
}
async function ssoRoutes(app, ctx, auth) {
  const r = zapp(app);
  const tags = ["\u8BA4\u8BC1 auth"];
  const sso = new SsoService(ctx.database.db, ctx.config, auth);
  const flowCookie = (reply, value) => {
    const opts = { path: "/api/auth/sso", httpOnly: true, sameSite: "lax", secure: ctx.config.secureCookies };
    if (value === null) reply.clearCookie(FLOW_COOKIE, opts);
    else reply.setCookie(FLOW_COOKIE, value, { ...opts, maxAge: FLOW_MINUTES * 60 });
  };
  r.get("/api/auth/sso", {
    config: { permission: "public" },
    schema: {
      tags,
      summary: "\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\uFF08OpenID Connect\uFF09\u662F\u5426\u542F\u7528",
      response: { 200: z2.object({ enabled: z2.boolean(), name: z2.string(), label: z2.string() }) }
    }
  }, async () => {
    const s = ctx.config.oidc;
    const name = s?.label ?? "";
    return { enabled: !!s, name, label: name };
  });
  r.get("/api/auth/sso/start", {
    config: { permission: "public" },
    schema: {
      tags,
      summary: "\u5F00\u59CB\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\u767B\u5F55\uFF08\u91CD\u5B9A\u5411\u5230\u8EAB\u4EFD\u63D0\u4F9B\u65B9\uFF09",
      querystring: z2.object({ returnTo: z2.string().optional() })
    }
  }, async (req, reply) => {
    if (!ctx.config.oidc) throw new AppError(404, "sso_disabled");
    const returnTo = safeReturnTo(req.query.returnTo);
    let started;
    try {
      started = await sso.start(returnTo);
    } catch (err) {
      if (err instanceof AppError) throw err;
      req.log.warn({ err }, "single sign-on: identity provider unavailable");
      await audit(ctx.database.db, req, { action: "auth.sso_failed", entityType: "user", detail: { reason: "provider_unavailable", stage: "start" } });
      if (wantsHtml(req)) return reply.redirect(loginErrorUrl("provider_unavailable", returnTo), 302);
      throw new AppError(502, "sso_failed", { reason: req.lang === "en" ? "the identity provider cannot be reached" : "\u8EAB\u4EFD\u8BA4\u8BC1\u670D\u52A1\u6682\u65F6\u65E0\u6CD5\u8BBF\u95EE" });
    }
    flowCookie(reply, started.state);
    reply.header("cache-control", "no-store");
    return reply.redirect(started.url.toString(), 302);
  });
  r.get(CALLBACK_PATH, {
    config: { permission: "public" },
    schema: {
      tags,
      summary: "\u7EDF\u4E00\u8EAB\u4EFD\u8BA4\u8BC1\u56DE\u8C03\uFF08\u8EAB\u4EFD\u63D0\u4F9B\u65B9\u91CD\u5B9A\u5411\u56DE\u6765\uFF09",
      querystring: z2.looseObject({
        code: z2.string().max(4096).optional(),
        state: z2.string().max(512).optional(),
        error: z2.string().max(200).optional(),
        error_description: z2.string().max(2e3).optional()
      })
    }
  }, async (req, reply) => {
    if (!ctx.config.oidc) throw new AppError(404, "sso_disabled");
    const bound = req.cookies[FLOW_COOKIE];
    flowCookie(reply, null);
    reply.header("cache-control", "no-store");
    try {
      const { session, returnTo } = await sso.finish(req, req.query, bound);
      const previous = req.cookies[SESSION_COOKIE];
      if (previous) await ctx.database.db.deleteFrom("sessions").where("id", "=", sha256(previous)).where("id", "!=", sha256(session.token)).execute();
      auth.setCookies(reply, session);
      return reply.redirect(returnTo, 302);
    } catch (err) {
      if (!(err instanceof SsoFailure)) throw err;
      await audit(ctx.database.db, req, {
        action: "auth.sso_failed",
        entityType: "user",
        entityId: err.user?.id ?? null,
        regionId: err.user?.region_id ?? null,
        schoolId: err.user?.school_id ?? null,
        detail: { ...err.detail, reason: err.code }
      });
      return reply.redirect(loginErrorUrl(err.code, err.returnTo), 302);
    }
  });
}

// src/server/modules/auth/routes.ts
var GrantOut = z3.object({
  id: z3.string(),
  role: z3.enum(ROLES.codes),
  scopeType: z3.enum(["installation", "region", "alliance", "school"]),
  scopeId: z3.string().nullable(),
  scopeName: z3.string().nullable(),
  subject: z3.string().nullable()
});
var MeOut = z3.object({
  user: z3.object({
    id: z3.string(),
    username: z3.string(),
    displayName: z3.string(),
    email: z3.string().nullable(),
    phone: z3.string().nullable(),
    schoolId: z3.string().nullable(),
    schoolName: z3.string().nullable(),
    regionId: z3.string().nullable(),
    locale: z3.string(),
    mustChangePassword: z3.boolean()
  }),
  grants: z3.array(GrantOut),
  csrfToken: z3.string()
});
async function scopeNames(ctx, grants) {
  const { db } = ctx.database;
  const ids = (t) => [...new Set(grants.filter((g) => g.scopeType === t && g.scopeId).map((g) => g.scopeId))];
  const names = /* @__PURE__ */ new Map();
  const r = ids("region");
  const a = ids("alliance");
  const s = ids("school");
  if (r.length) for (const x of await db.selectFrom("regions").select(["id", "name"]).where("id", "in", r).execute()) names.set(x.id, x.name);
  if (a.length) for (const x of await db.selectFrom("alliances").select(["id", "name"]).where("id", "in", a).execute()) names.set(x.id, x.name);
  if (s.length) for (const x of await db.selectFrom("schools").select(["id", "name"]).where("id", "in", s).execute()) names.set(x.id, x.name);
  return names;
}
async function meOf(ctx, actor) {
  const { db } = ctx.database;
  const u = await db.selectFrom("users as u").leftJoin("schools as s", "s.id", "u.school_id").select(["u.id", "u.username", "u.display_name", "u.email", "u.phone", "u.school_id", "s.name as school_name", "u.region_id", "u.locale"]).where("u.id", "=", actor.userId).executeTakeFirstOrThrow();
  const names = await scopeNames(ctx, actor.grants);
  return {
    user: {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      email: u.email,
      phone: u.phone,
      schoolId: u.school_id,
      schoolName: u.school_name,
      regionId: u.region_id,
      locale: u.locale,
      // per session: single sign-on sessions are exempt from the initial password change (see sso.ts)
      mustChangePassword: actor.mustChangePassword
    },
    grants: actor.grants.map((g) => ({ ...g, scopeName: g.scopeId ? names.get(g.scopeId) ?? null : null })),
    csrfToken: actor.csrfToken
  };
}
async function authRoutes(app, ctx, auth) {
  const r = zapp(app);
  const tags = ["\u8BA4\u8BC1 auth"];
  r.post("/api/auth/login", {
    config: { permission: "public" },
    schema: {
      tags,
      summary: "\u7528\u6237\u540D\u5BC6\u7801\u767B\u5F55",
      body: z3.strictObject({ username: z3.string().min(1).max(64), password: z3.string().min(1).max(128) }),
      response: { 200: MeOut }
    }
  }, async (req, reply) => {
    const s = await auth.login(req, req.body.username, req.body.password);
    auth.setCookies(reply, s);
    const actor = await auth.actorFromToken(s.token);
    if (!actor || actor === "expired") throw new AppError(500, "internal");
    return meOf(ctx, actor);
  });
  r.post("/api/auth/logout", {
    config: { permission: "signed_in", allowBeforePasswordChange: true },
    schema: { tags, summary: "\u9000\u51FA\u767B\u5F55", response: { 204: z3.null() } }
  }, async (req, reply) => {
    await auth.logout(req, actorOf(req));
    auth.clearCookies(reply);
    return reply.code(204).send(null);
  });
  r.get("/api/auth/me", {
    config: { permission: "signed_in", allowBeforePasswordChange: true },
    schema: { tags, summary: "\u5F53\u524D\u7528\u6237\u3001\u89D2\u8272\u4E0E\u8303\u56F4", response: { 200: MeOut } }
  }, async (req) => meOf(ctx, actorOf(req)));
  r.patch("/api/auth/me", {
    config: { permission: "signed_in" },
    schema: {
      tags,
      summary: "\u4FEE\u6539\u4E2A\u4EBA\u8D44\u6599",
      body: z3.strictObject({
        displayName: z3.string().trim().min(1).max(50).optional(),
        email: z3.email().max(120).nullable().optional(),
        phone: z3.string().regex(/^1\d{10}$/).nullable().optional(),
        locale: z3.enum(["zh-CN", "en-US"]).optional()
      }),
      response: { 200: MeOut }
    }
  }, async (req) => {
    const actor = actorOf(req);
    const b = req.body;
    await ctx.database.db.transaction().execute(async (tx) => {
      await tx.updateTable("users").set({
        ...b.displayName !== void 0 && { display_name: b.displayName },
        ...b.email !== void 0 && { email: b.email },
        ...b.phone !== void 0 && { phone: b.phone },
        ...b.locale !== void 0 && { locale: b.locale },
        updated_at: nowIso()
      }).where("id", "=", actor.userId).execute();
      await audit(tx, req, { action: "user.update_self", entityType: "user", entityId: actor.userId, regionId: actor.regionId, schoolId: actor.schoolId, detail: { fields: Object.keys(b) } });
    });
    return meOf(ctx, actor);
  });
  r.post("/api/auth/password", {
    config: { permission: "signed_in", allowBeforePasswordChange: true },
    schema: {
      tags,
      summary: "\u4FEE\u6539\u5BC6\u7801",
      body: z3.strictObject({ currentPassword: z3.string().min(1).max(128), newPassword: z3.string().min(1).max(128) }),
      response: { 204: z3.null() }
    }
  }, async (req, reply) => {
    await auth.changePassword(req, actorOf(req), req.body.currentPassword, req.body.newPassword);
    return reply.code(204).send(null);
  });
  await ssoRoutes(app, ctx, auth);
}

// src/server/modules/regions/routes.ts
import { z as z5 } from "zod";
init_errors();
init_policy();
init_schema();

// src/common/org.ts
var PHASE_MONTHS = { preparation: 6, implementation: 18, deepening: 12 };
function addMonths(date, months) {
  const [y, m, d] = date.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}
function alliancePhases(cycleStartOn) {
  const out = [];
  let start = cycleStartOn;
  for (const phase of ["preparation", "implementation", "deepening"]) {
    const end = addMonths(start, PHASE_MONTHS[phase]);
    out.push({ phase, startOn: start, endOn: end });
    start = end;
  }
  return out;
}
function currentPhase(cycleStartOn, today2) {
  return alliancePhases(cycleStartOn).find((p) => today2 >= p.startOn && today2 < p.endOn)?.phase ?? null;
}
function reassessment(foundedOn, lastAssessedOn, lastResult, today2) {
  const dueOn = addMonths(lastAssessedOn ?? foundedOn, 24);
  return { lastAssessedOn, dueOn, overdue: today2 >= dueOn, weak: lastResult === "weak" };
}
var round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
function computeIndicators(r) {
  const n = r.students;
  if (!n) {
    return {
      teachers_above_degree_per100: null,
      key_teachers_per100: null,
      pe_art_teachers_per100: null,
      teaching_area_per_student: null,
      sports_area_per_student: null,
      equipment_value_per_student: null,
      multimedia_rooms_per100: null
    };
  }
  return {
    teachers_above_degree_per100: round(r.teachersAboveDegree / n * 100),
    key_teachers_per100: round(r.keyTeachers / n * 100),
    pe_art_teachers_per100: round(r.peArtTeachers / n * 100),
    teaching_area_per_student: round(r.teachingAreaM2 / n),
    sports_area_per_student: round(r.sportsAreaM2 / n),
    equipment_value_per_student: round(r.equipmentValueYuan / n, 0),
    multimedia_rooms_per100: round(r.multimediaRooms / n * 100)
  };
}

// src/common/stats.ts
function summarize(values, weights) {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, sd: null, cv: null, min: null, max: null };
  const w = weights ?? values.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) return { count: n, mean: null, sd: null, cv: null, min: Math.min(...values), max: Math.max(...values) };
  const mean = values.reduce((acc, x, i) => acc + w[i] / total * x, 0);
  const variance = values.reduce((acc, x, i) => acc + w[i] / total * (x - mean) ** 2, 0);
  const sd = Math.sqrt(variance);
  return {
    count: n,
    mean,
    sd,
    cv: mean === 0 ? null : sd / mean,
    min: Math.min(...values),
    max: Math.max(...values)
  };
}

// src/common/time.ts
var DEFAULT_TZ = "Asia/Shanghai";
function todayIn(tz = DEFAULT_TZ, at = /* @__PURE__ */ new Date()) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

// src/server/modules/regions/routes.ts
init_vocab();
var RegionOut = z5.object({
  id: z5.string(),
  parentId: z5.string().nullable(),
  level: z5.string(),
  code: z5.string(),
  name: z5.string(),
  schoolCount: z5.number(),
  allianceCount: z5.number()
});
var Overview = z5.object({
  region: RegionOut.omit({ schoolCount: true, allianceCount: true }),
  totals: z5.object({ schools: z5.number(), students: z5.number(), teachers: z5.number(), alliances: z5.number(), pendingApplications: z5.number() }),
  byType: z5.array(z5.object({ type: z5.string(), count: z5.number() })),
  byLocation: z5.array(z5.object({ location: z5.string(), count: z5.number() })),
  alliancesByKind: z5.array(z5.object({ kind: z5.string(), count: z5.number() })),
  equity: z5.array(z5.object({
    indicator: z5.string(),
    year: z5.number().nullable(),
    count: z5.number(),
    mean: z5.number().nullable(),
    sd: z5.number().nullable(),
    cv: z5.number().nullable(),
    min: z5.number().nullable(),
    max: z5.number().nullable()
  })),
  reassessmentDue: z5.array(z5.object({ allianceId: z5.string(), name: z5.string(), lastAssessedOn: z5.string().nullable(), dueOn: z5.string(), weak: z5.boolean() }))
});
async function regionRoutes(app, ctx) {
  const r = zapp(app);
  const { db } = ctx.database;
  const tags = ["\u533A\u57DF regions"];
  r.get("/api/regions", {
    config: { permission: "signed_in" },
    schema: { tags, summary: "\u53EF\u89C1\u7684\u884C\u653F\u533A\u57DF\uFF08\u542B\u5B66\u6821\u6570\u3001\u8054\u76DF\u6570\uFF09", response: { 200: z5.object({ items: z5.array(RegionOut) }) } }
  }, async (req) => {
    const actor = actorOf(req);
    let qb = db.selectFrom("regions as r").selectAll("r").select((eb) => [
      eb.selectFrom("schools as s").select(eb.fn.countAll().as("n")).whereRef("s.region_id", "=", "r.id").as("school_count"),
      eb.selectFrom("alliances as a").select(eb.fn.countAll().as("n")).whereRef("a.region_id", "=", "r.id").as("alliance_count")
    ]);
    if (!actor.isPlatformAdmin) {
      const visible = [...actor.readRegions, ...actor.homeRegionChain];
      qb = qb.where("r.id", "in", visible.length ? visible : ["-"]);
    }
    const rows = await qb.orderBy("r.code").execute();
    return {
      items: rows.map((x) => ({ id: x.id, parentId: x.parent_id, level: x.level, code: x.code, name: x.name, schoolCount: Number(x.school_count), allianceCount: Number(x.alliance_count) }))
    };
  });
  r.get("/api/regions/:id/overview", {
    config: { permission: "region.overview" },
    schema: {
      tags,
      summary: "\u533A\u57DF\u6982\u89C8\uFF1A\u5B66\u6821\u3001\u8054\u76DF\u3001\u8D44\u6E90\u5747\u8861\uFF08\u5DEE\u5F02\u7CFB\u6570\uFF09\u4E0E\u5F85\u590D\u8BC4\u8054\u76DF",
      params: z5.object({ id: Id }),
      querystring: z5.strictObject({ year: z5.coerce.number().int().min(2e3).max(2100).optional() }),
      response: { 200: Overview }
    }
  }, async (req) => {
    const actor = actorOf(req);
    const region = await db.selectFrom("regions").selectAll().where("id", "=", req.params.id).executeTakeFirst();
    if (!region || !(actor.isPlatformAdmin || actor.readRegions.has(region.id))) throw notFound("region");
    const ids = [...await regionDescendants(db, [region.id])];
    const schools = await db.selectFrom("schools").select(["id", "type", "location", "students", "teachers"]).where("region_id", "in", ids).execute();
    const alliances = await db.selectFrom("alliances as a").selectAll("a").select(
      (eb) => eb.selectFrom("assessments as s").select("s.result").whereRef("s.alliance_id", "=", "a.id").orderBy("s.assessed_on", "desc").orderBy("s.created_at", "desc").orderBy("s.id", "desc").limit(1).as("last_result")
    ).where("a.region_id", "in", ids).where("a.status", "=", "active").execute();
    const pending = await db.selectFrom("membership_applications as p").innerJoin("alliances as a", "a.id", "p.alliance_id").select((eb) => eb.fn.countAll().as("n")).where("a.region_id", "in", ids).where("p.status", "in", OPEN_APPLICATION_STATUSES).executeTakeFirstOrThrow();
    const count = (xs, key) => {
      const m = /* @__PURE__ */ new Map();
      for (const x of xs) m.set(x[key], (m.get(x[key]) ?? 0) + 1);
      return [...m.entries()].map(([k, n]) => ({ k, n })).sort((a, b) => b.n - a.n);
    };
    const latest = await db.selectFrom("school_indicators as i").innerJoin("schools as s", "s.id", "i.school_id").select((eb) => eb.fn.max("i.year").as("y")).where("s.region_id", "in", ids).executeTakeFirst();
    const year = req.query.year ?? latest?.y ?? null;
    const rows = year ? await db.selectFrom("school_indicators as i").innerJoin("schools as s", "s.id", "i.school_id").selectAll("i").where("s.region_id", "in", ids).where("i.year", "=", year).where("s.type", "in", ["primary", "junior", "nine_year"]).execute() : [];
    const computed = rows.map((x) => ({
      students: x.students,
      v: computeIndicators({
        students: x.students,
        teachersAboveDegree: x.teachers_above_degree,
        keyTeachers: x.key_teachers,
        peArtTeachers: x.pe_art_teachers,
        teachingAreaM2: x.teaching_area_m2,
        sportsAreaM2: x.sports_area_m2,
        equipmentValueYuan: x.equipment_value_yuan,
        multimediaRooms: x.multimedia_rooms
      })
    }));
    const equity = RESOURCE_INDICATORS.codes.map((code) => {
      const pts = computed.filter((c) => c.v[code] != null);
      const s = summarize(pts.map((p) => p.v[code]), pts.map((p) => p.students));
      return { indicator: code, year, ...s };
    });
    const today2 = todayIn();
    return {
      region: { id: region.id, parentId: region.parent_id, level: region.level, code: region.code, name: region.name },
      totals: {
        schools: schools.length,
        students: schools.reduce((a, s) => a + s.students, 0),
        teachers: schools.reduce((a, s) => a + s.teachers, 0),
        alliances: alliances.length,
        pendingApplications: Number(pending.n)
      },
      byType: count(schools, "type").map((x) => ({ type: x.k, count: x.n })),
      byLocation: count(schools, "location").map((x) => ({ location: x.k, count: x.n })),
      alliancesByKind: count(alliances, "kind").map((x) => ({ kind: x.k, count: x.n })),
      equity,
      reassessmentDue: alliances.map((a) => ({ a, re: reassessment(a.founded_on, a.last_assessed_on, a.last_result ?? null, today2) })).filter((x) => x.re.overdue || x.re.weak).map((x) => ({ allianceId: x.a.id, name: x.a.name, lastAssessedOn: x.re.lastAssessedOn, dueOn: x.re.dueOn, weak: x.re.weak }))
    };
  });
}

// src/server/modules/schools/routes.ts
import { z as z6 } from "zod";

// src/server/platform/excel.ts
import ExcelJS from "exceljs";
async function xlsxBuffer(sheetName, columns, rows) {
  const wb = new ExcelJS.Workbook();
  wb.creator = "xiaolian";
  wb.created = /* @__PURE__ */ new Date();
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r) ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function sendXlsx(reply, fileName, sheetName, columns, rows) {
  const buf = await xlsxBuffer(sheetName, columns, rows);
  return reply.header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").header("content-disposition", `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`).send(buf);
}
var EXPORT_LIMIT = 5e4;

// src/server/modules/schools/routes.ts
init_vocab();
init_schema();

// src/server/modules/schools/service.ts
init_db();
init_audit();
init_errors();
init_ids();
init_policy();
init_vocab();
function toSummary(r) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    ownership: r.ownership,
    location: r.location,
    tags: fromJson(r.tags, []),
    regionId: r.region_id,
    regionName: r.region_name,
    students: r.students,
    teachers: r.teachers
  };
}
function scopeSchools(qb, actor) {
  if (actor.isPlatformAdmin) return qb;
  return qb.where((eb) => {
    const ors = [];
    if (actor.readRegions.size) ors.push(eb("s.region_id", "in", [...actor.readRegions]));
    if (actor.schools.size) ors.push(eb("s.id", "in", [...actor.schools]));
    if (actor.memberAlliances.size) {
      ors.push(
        eb("s.id", "in", eb.selectFrom("alliance_members as m").select("m.school_id").where("m.alliance_id", "in", [...actor.memberAlliances]).where("m.status", "=", "active"))
      );
    }
    return ors.length ? eb.or(ors) : eb.lit(false);
  });
}
var fieldLabels = { code: "\u5B66\u6821\u6807\u8BC6\u7801", credit_code: "\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801" };
var SchoolService = class {
  constructor(database) {
    this.database = database;
  }
  database;
  get db() {
    return this.database.db;
  }
  async list(actor, q) {
    let qb = this.db.selectFrom("schools as s");
    const within = q.regionId ? await regionDescendants(this.db, [q.regionId]) : null;
    if (within && within.size === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    const covered = within !== null && [...within].every((id) => actor.readRegions.has(id));
    if (!covered) qb = scopeSchools(qb, actor);
    if (within) qb = qb.where("s.region_id", "in", [...within]);
    if (q.type) qb = qb.where("s.type", "=", q.type);
    if (q.location) qb = qb.where("s.location", "=", q.location);
    if (q.tag) qb = qb.where(containsText(this.database.dialect, "s.tags", `"${q.tag}"`));
    if (q.allianceId) {
      const aid = q.allianceId;
      qb = qb.where("s.id", "in", (eb) => eb.selectFrom("alliance_members as m").select("m.school_id").where("m.alliance_id", "=", aid).where("m.status", "=", "active"));
    }
    if (q.q) {
      const text2 = q.q;
      qb = qb.where((eb) => eb.or([containsText(this.database.dialect, "s.name", text2), eb("s.code", "=", text2)]));
    }
    const pageIds = qb.select("s.id").orderBy("s.region_id").orderBy("s.code").limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow(),
      this.db.selectFrom("schools as s").innerJoin("regions as r", "r.id", "s.region_id").select(["s.id", "s.code", "s.name", "s.type", "s.ownership", "s.location", "s.tags", "s.region_id", "s.students", "s.teachers", "r.name as region_name"]).where("s.id", "in", pageIds).orderBy("s.region_id").orderBy("s.code").execute()
    ]);
    return { items: rows.map(toSummary), total: Number(total), page: q.page, pageSize: q.pageSize };
  }
  /** All rows of a filter, for Excel export (bounded). */
  async listAll(actor, q, limit) {
    return (await this.list(actor, { ...q, page: 1, pageSize: limit })).items;
  }
  async alliancesOf(schoolId) {
    return this.db.selectFrom("alliance_members as m").innerJoin("alliances as a", "a.id", "m.alliance_id").select(["a.id", "a.name", "a.kind", "m.role"]).where("m.school_id", "=", schoolId).where("m.status", "=", "active").execute();
  }
  /** Alliances administered by the actor that the school has an open application to. */
  async openApplicationsTo(actor, schoolId) {
    if (!actor.adminAlliances.size) return [];
    const rows = await this.db.selectFrom("membership_applications").select("alliance_id").where("school_id", "=", schoolId).where("status", "in", OPEN_APPLICATION_STATUSES).where("alliance_id", "in", [...actor.adminAlliances]).execute();
    return rows.map((r) => r.alliance_id);
  }
  /** The school if the actor may read it; "not found" otherwise. */
  async getVisible(actor, id) {
    const row = await this.db.selectFrom("schools as s").innerJoin("regions as r", "r.id", "s.region_id").selectAll("s").select("r.name as region_name").where("s.id", "=", id).executeTakeFirst();
    if (!row) throw notFound("school");
    const alliances = await this.alliancesOf(id);
    if (!policy.readSchool(actor, row, alliances.map((a) => a.id), await this.openApplicationsTo(actor, id))) throw notFound("school");
    return { row, alliances };
  }
  async detail(actor, id) {
    const { row, alliances } = await this.getVisible(actor, id);
    const indicators = await this.indicators(id);
    return {
      ...toSummary(row),
      creditCode: row.credit_code,
      shortName: row.short_name,
      address: row.address,
      lat: row.lat,
      lng: row.lng,
      principal: row.principal,
      phone: row.phone,
      foundedYear: row.founded_year,
      classes: row.classes,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      alliances: alliances.map((a) => ({ id: a.id, name: a.name, kind: a.kind, role: a.role })),
      indicators
    };
  }
  async indicators(schoolId) {
    const rows = await this.db.selectFrom("school_indicators").selectAll().where("school_id", "=", schoolId).orderBy("year", "desc").execute();
    return rows.map((r) => {
      const raw = {
        students: r.students,
        teachers: r.teachers,
        teachersAboveDegree: r.teachers_above_degree,
        keyTeachers: r.key_teachers,
        peArtTeachers: r.pe_art_teachers,
        teachingAreaM2: r.teaching_area_m2,
        sportsAreaM2: r.sports_area_m2,
        equipmentValueYuan: r.equipment_value_yuan,
        multimediaRooms: r.multimedia_rooms,
        books: r.books
      };
      return { year: r.year, ...raw, computed: computeIndicators(raw), updatedAt: r.updated_at };
    });
  }
  async create(req, actor, input) {
    const region = await this.db.selectFrom("regions").select(["id", "level"]).where("id", "=", input.regionId).executeTakeFirst();
    if (!region || !policy.readRegion(actor, region.id)) {
      throw new AppError(400, "validation_failed", {}, [{ field: "regionId", code: "not_found" }]);
    }
    if (!policy.createSchool(actor, region.id)) throw forbidden();
    const id = newId();
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.insertInto("schools").values(toRow(id, input, now)).execute();
        await audit(tx, req, { action: "school.create", entityType: "school", entityId: id, regionId: region.id, schoolId: id, detail: { name: input.name, code: input.code } });
      });
    } catch (err) {
      throw mapUnique(err);
    }
    return this.detail(actor, id);
  }
  async update(req, actor, id, input) {
    const { row } = await this.getVisible(actor, id);
    if (!policy.updateSchool(actor, row)) throw forbidden();
    const patch = toPatch(input);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.updateTable("schools").set({ ...patch, updated_at: nowIso() }).where("id", "=", id).execute();
        await audit(tx, req, { action: "school.update", entityType: "school", entityId: id, regionId: row.region_id, schoolId: id, detail: changes(row, patch) });
      });
    } catch (err) {
      throw mapUnique(err);
    }
    return this.detail(actor, id);
  }
  async putIndicators(req, actor, id, year, input) {
    const { row } = await this.getVisible(actor, id);
    if (!policy.updateSchool(actor, row)) throw forbidden();
    const values = {
      students: input.students,
      teachers: input.teachers,
      teachers_above_degree: input.teachersAboveDegree,
      key_teachers: input.keyTeachers,
      pe_art_teachers: input.peArtTeachers,
      teaching_area_m2: input.teachingAreaM2,
      sports_area_m2: input.sportsAreaM2,
      equipment_value_yuan: input.equipmentValueYuan,
      multimedia_rooms: input.multimediaRooms,
      books: input.books,
      updated_by: actor.userId,
      updated_at: nowIso()
    };
    const fields = [];
    if (input.teachersAboveDegree > input.teachers) fields.push({ field: "teachersAboveDegree", code: "too_big", params: { max: input.teachers } });
    if (input.keyTeachers > input.teachers) fields.push({ field: "keyTeachers", code: "too_big", params: { max: input.teachers } });
    if (input.peArtTeachers > input.teachers) fields.push({ field: "peArtTeachers", code: "too_big", params: { max: input.teachers } });
    if (fields.length) throw new AppError(400, "validation_failed", {}, fields);
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("school_indicators").values({ school_id: id, year, ...values }).onConflict((oc) => oc.columns(["school_id", "year"]).doUpdateSet(values)).execute();
      await audit(tx, req, { action: "school.indicators", entityType: "school", entityId: id, regionId: row.region_id, schoolId: id, detail: { year, ...input } });
    });
    return (await this.indicators(id)).find((i) => i.year === year);
  }
};
function toRow(id, i, now) {
  return {
    id,
    region_id: i.regionId,
    code: i.code,
    credit_code: i.creditCode ?? null,
    name: i.name,
    short_name: i.shortName ?? null,
    type: i.type,
    ownership: i.ownership,
    location: i.location,
    tags: toJson(i.tags ?? []),
    address: i.address ?? null,
    lat: i.lat ?? null,
    lng: i.lng ?? null,
    principal: i.principal ?? null,
    phone: i.phone ?? null,
    founded_year: i.foundedYear ?? null,
    students: i.students ?? 0,
    teachers: i.teachers ?? 0,
    classes: i.classes ?? 0,
    created_at: now,
    updated_at: now
  };
}
function toPatch(i) {
  const map = {
    code: "code",
    creditCode: "credit_code",
    name: "name",
    shortName: "short_name",
    type: "type",
    ownership: "ownership",
    location: "location",
    address: "address",
    lat: "lat",
    lng: "lng",
    principal: "principal",
    phone: "phone",
    foundedYear: "founded_year",
    students: "students",
    teachers: "teachers",
    classes: "classes"
  };
  const out = {};
  for (const [k, v] of Object.entries(i)) {
    if (v === void 0) continue;
    if (k === "tags") out.tags = toJson(v);
    else if (map[k]) out[map[k]] = v;
  }
  return out;
}
function mapUnique(err) {
  if (!isUniqueViolation(err)) return err;
  const text2 = String(err.message);
  const col = /credit_code/.test(text2) ? "credit_code" : "code";
  const field = col === "credit_code" ? "creditCode" : "code";
  return new AppError(409, "duplicate", { field: fieldLabels[col] }, [{ field, code: "duplicate" }]);
}

// src/server/modules/schools/routes.ts
async function schoolRoutes(app, ctx) {
  const svc = new SchoolService(ctx.database);
  const r = zapp(app);
  const tags = ["\u5B66\u6821 schools"];
  r.get("/api/schools", {
    config: { permission: "school.read" },
    schema: { tags, summary: "\u5B66\u6821\u5217\u8868\uFF08\u6309\u6743\u9650\u8303\u56F4\uFF09", querystring: SchoolQuery, response: { 200: paginated(SchoolSummary) } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/schools/export.xlsx", {
    config: { permission: "school.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u5B66\u6821\u5217\u8868 Excel", querystring: SchoolQuery.omit({ page: true, pageSize: true }) }
  }, async (req, reply) => {
    const rows = await svc.listAll(actorOf(req), req.query, EXPORT_LIMIT);
    return sendXlsx(reply, "\u5B66\u6821\u540D\u5F55.xlsx", "\u5B66\u6821", [
      { header: "\u5B66\u6821\u6807\u8BC6\u7801", value: (s) => s.code, width: 14 },
      { header: "\u5B66\u6821\u540D\u79F0", value: (s) => s.name, width: 32 },
      { header: "\u6240\u5C5E\u533A\u57DF", value: (s) => s.regionName },
      { header: "\u5B66\u6821\u7C7B\u578B", value: (s) => SCHOOL_TYPES.label(s.type) },
      { header: "\u529E\u5B66\u6027\u8D28", value: (s) => OWNERSHIP.label(s.ownership) },
      { header: "\u6240\u5728\u5730", value: (s) => LOCATIONS.label(s.location) },
      { header: "\u6807\u7B7E", value: (s) => s.tags.map((t) => SCHOOL_TAGS.label(t)).join("\u3001"), width: 20 },
      { header: "\u5728\u6821\u751F\u6570", value: (s) => s.students },
      { header: "\u6559\u804C\u5DE5\u6570", value: (s) => s.teachers }
    ], rows);
  });
  r.get("/api/schools/:id", {
    config: { permission: "school.read" },
    schema: { tags, summary: "\u5B66\u6821\u8BE6\u60C5\uFF08\u542B\u8D44\u6E90\u6307\u6807\uFF09", params: z6.object({ id: Id }), response: { 200: SchoolDetail } }
  }, async (req) => svc.detail(actorOf(req), req.params.id));
  r.post("/api/schools", {
    config: { permission: "school.create" },
    schema: { tags, summary: "\u65B0\u5EFA\u5B66\u6821", body: SchoolCreate, response: { 201: SchoolDetail } }
  }, async (req, reply) => reply.code(201).send(await svc.create(req, actorOf(req), req.body)));
  r.patch("/api/schools/:id", {
    config: { permission: "school.update" },
    schema: { tags, summary: "\u4FEE\u6539\u5B66\u6821\u4FE1\u606F", params: z6.object({ id: Id }), body: SchoolUpdate, response: { 200: SchoolDetail } }
  }, async (req) => svc.update(req, actorOf(req), req.params.id, req.body));
  r.put("/api/schools/:id/indicators/:year", {
    config: { permission: "school.update" },
    schema: {
      tags,
      summary: "\u586B\u62A5\u5B66\u6821\u5E74\u5EA6\u8D44\u6E90\u6307\u6807",
      params: z6.object({ id: Id, year: z6.coerce.number().int().min(2e3).max(2100) }),
      body: IndicatorInput,
      response: { 200: IndicatorOut }
    }
  }, async (req) => svc.putIndicators(req, actorOf(req), req.params.id, req.params.year, req.body));
}

// src/server/modules/alliances/routes.ts
import { z as z8 } from "zod";
init_vocab();
init_schema();

// src/server/modules/alliances/schema.ts
init_vocab();
init_schema();
import { z as z7 } from "zod";
var AllianceQuery = z7.strictObject({
  regionId: Id.optional(),
  kind: z7.enum(ALLIANCE_KINDS.codes).optional(),
  pattern: z7.enum(ALLIANCE_PATTERNS.codes).optional(),
  q: z7.string().trim().max(60).optional(),
  ...Page
});
var AllianceSummary = z7.object({
  id: z7.string(),
  name: z7.string(),
  kind: z7.enum(ALLIANCE_KINDS.codes),
  pattern: z7.enum(ALLIANCE_PATTERNS.codes),
  status: z7.string(),
  regionId: z7.string(),
  regionName: z7.string(),
  coreSchool: z7.object({ id: z7.string(), name: z7.string() }),
  memberCount: z7.number(),
  partnerCount: z7.number(),
  phase: z7.enum(PHASES.codes).nullable(),
  reassessmentDue: z7.boolean()
});
var AllianceCreate = z7.strictObject({
  regionId: Id,
  name: z7.string().trim().min(2).max(60),
  kind: z7.enum(ALLIANCE_KINDS.codes),
  pattern: z7.enum(ALLIANCE_PATTERNS.codes),
  coreSchoolId: Id,
  foundedOn: DateStr,
  cycleStartOn: DateStr,
  description: z7.string().trim().max(2e3).nullable().optional()
});
var AllianceUpdate = z7.strictObject({
  name: z7.string().trim().min(2).max(60).optional(),
  kind: z7.enum(ALLIANCE_KINDS.codes).optional(),
  pattern: z7.enum(ALLIANCE_PATTERNS.codes).optional(),
  coreSchoolId: Id.optional(),
  foundedOn: DateStr.optional(),
  cycleStartOn: DateStr.optional(),
  description: z7.string().trim().max(2e3).nullable().optional(),
  status: z7.enum(["active", "dissolved"]).optional()
});
var Term = z7.strictObject({
  kind: z7.enum(TERM_KINDS.codes),
  op: z7.enum([">=", "<=", "=", "between"]),
  value: z7.number().min(0).max(1e6),
  value2: z7.number().min(0).max(1e6).optional(),
  unit: z7.string().max(20).optional(),
  note: z7.string().max(200).optional()
}).refine((t) => t.op !== "between" || t.value2 !== void 0 && t.value2 >= t.value, {
  message: "between needs value2 \u2265 value",
  path: ["value2"]
});
var Terms = z7.array(Term).max(50);
var DocVersionOut = z7.object({
  version: z7.number(),
  fileName: z7.string().nullable(),
  fileSize: z7.number().nullable(),
  mime: z7.string().nullable(),
  sha256: z7.string().nullable(),
  terms: z7.array(z7.any()),
  effectiveFrom: z7.string().nullable(),
  effectiveTo: z7.string().nullable(),
  note: z7.string().nullable(),
  createdAt: z7.string(),
  createdByName: z7.string().nullable()
});
var DocumentOut = z7.object({
  id: z7.string(),
  allianceId: z7.string(),
  kind: z7.enum(DOCUMENT_KINDS.codes),
  title: z7.string(),
  currentVersion: z7.number(),
  updatedAt: z7.string(),
  versions: z7.array(DocVersionOut)
});
var DocumentFields = z7.strictObject({
  kind: z7.enum(DOCUMENT_KINDS.codes),
  title: z7.string().trim().min(2).max(100),
  terms: z7.string().max(2e4).default("[]"),
  effectiveFrom: DateStr.optional(),
  effectiveTo: DateStr.optional(),
  note: z7.string().trim().max(500).optional()
});
var VersionFields = DocumentFields.omit({ kind: true, title: true });
var AllianceDetail = AllianceSummary.extend({
  description: z7.string().nullable(),
  foundedOn: z7.string(),
  cycleStartOn: z7.string(),
  members: z7.array(z7.object({
    id: z7.string(),
    schoolId: z7.string(),
    schoolName: z7.string(),
    location: z7.string(),
    tags: z7.array(z7.string()),
    role: z7.string(),
    status: z7.string(),
    joinedOn: z7.string(),
    exitedOn: z7.string().nullable(),
    exitReason: z7.string().nullable()
  })),
  partners: z7.array(z7.object({ partnerId: z7.string(), name: z7.string(), kind: z7.string(), offers: z7.string().nullable(), joinedOn: z7.string() })),
  bodies: z7.array(z7.object({
    id: z7.string(),
    kind: z7.enum(BODY_KINDS.codes),
    name: z7.string(),
    subject: z7.string().nullable(),
    hostSchool: z7.object({ id: z7.string(), name: z7.string() }).nullable(),
    members: z7.array(z7.object({ id: z7.string(), personName: z7.string(), position: z7.string(), schoolName: z7.string().nullable(), termStart: z7.string(), termEnd: z7.string().nullable() }))
  })),
  documents: z7.array(z7.object({ id: z7.string(), kind: z7.string(), title: z7.string(), currentVersion: z7.number(), updatedAt: z7.string() })),
  milestones: z7.array(z7.object({ id: z7.string(), phase: z7.string(), title: z7.string(), dueOn: z7.string(), doneOn: z7.string().nullable() })),
  assessments: z7.array(z7.object({ id: z7.string(), assessedOn: z7.string(), score: z7.number(), result: z7.string(), comment: z7.string().nullable() })),
  cycle: z7.object({ phases: z7.array(z7.object({ phase: z7.string(), startOn: z7.string(), endOn: z7.string() })), current: z7.string().nullable() }),
  reassessment: z7.object({ lastAssessedOn: z7.string().nullable(), dueOn: z7.string(), overdue: z7.boolean(), weak: z7.boolean() })
});
var PartnerCreate = z7.strictObject({
  regionId: Id,
  name: z7.string().trim().min(2).max(60),
  kind: z7.enum(PARTNER_KINDS.codes),
  contact: z7.string().trim().max(30).nullable().optional(),
  phone: z7.string().trim().regex(/^[0-9+\- ]{5,20}$/).nullable().optional(),
  description: z7.string().trim().max(500).nullable().optional()
});
var PartnerOut = z7.object({ id: z7.string(), regionId: z7.string(), name: z7.string(), kind: z7.string(), contact: z7.string().nullable(), phone: z7.string().nullable(), description: z7.string().nullable() });
var AlliancePartnerAdd = z7.strictObject({ partnerId: Id, offers: z7.string().trim().max(500).nullable().optional() });
var BodyCreate = z7.strictObject({
  kind: z7.enum(BODY_KINDS.codes),
  name: z7.string().trim().min(2).max(60),
  subject: z7.enum(SUBJECTS.codes).nullable().optional(),
  hostSchoolId: Id.nullable().optional()
});
var BodyMemberCreate = z7.strictObject({
  personName: z7.string().trim().min(2).max(30),
  position: z7.string().trim().min(1).max(30),
  termStart: DateStr,
  termEnd: DateStr.nullable().optional(),
  schoolId: Id.nullable().optional(),
  userId: Id.nullable().optional()
}).refine((b) => !b.termEnd || b.termEnd >= b.termStart, { message: "term ends before it starts", path: ["termEnd"] });
var MilestoneCreate = z7.strictObject({ phase: z7.enum(PHASES.codes), title: z7.string().trim().min(2).max(100), dueOn: DateStr });
var MilestoneUpdate = z7.strictObject({ doneOn: DateStr.nullable() });
var AssessmentCreate = z7.strictObject({
  assessedOn: DateStr,
  score: z7.number().min(0).max(100),
  result: z7.enum(ASSESSMENT_RESULTS.codes),
  comment: z7.string().trim().max(1e3).nullable().optional()
});
var TimelineOut = z7.object({ items: z7.array(z7.object({ at: z7.string(), action: z7.string(), text: z7.string(), actorName: z7.string().nullable() })) });

// src/server/modules/alliances/service.ts
init_db();
init_audit();
init_errors();
init_ids();
init_policy();
init_vocab();
var MAX_DOC_BYTES = 20 * 1024 * 1024;
function sniff(head) {
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (head[0] === 80 && head[1] === 75 && head[2] === 3 && head[3] === 4) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (head[0] === 208 && head[1] === 207 && head[2] === 17 && head[3] === 224) return "application/msword";
  if (!head.includes(0) && new TextDecoder("utf-8", { fatal: false }).decode(head).indexOf("\uFFFD") === -1) return "text/plain; charset=utf-8";
  return null;
}
var AllianceService = class {
  constructor(database, storage) {
    this.database = database;
    this.storage = storage;
  }
  database;
  storage;
  get db() {
    return this.database.db;
  }
  scope(qb, actor) {
    if (actor.isPlatformAdmin) return qb;
    return qb.where((eb) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb("a.region_id", "in", [...actor.readRegions]));
      if (actor.memberAlliances.size) ors.push(eb("a.id", "in", [...actor.memberAlliances]));
      if (actor.homeRegionChain.size) ors.push(eb("a.region_id", "in", [...actor.homeRegionChain]));
      return ors.length ? eb.or(ors) : eb.lit(false);
    });
  }
  async list(actor, q) {
    let qb = this.db.selectFrom("alliances as a").innerJoin("regions as r", "r.id", "a.region_id").innerJoin("schools as c", "c.id", "a.core_school_id");
    qb = this.scope(qb, actor);
    if (q.regionId) {
      const within = [...await regionDescendants(this.db, [q.regionId])];
      if (within.length === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      qb = qb.where("a.region_id", "in", within);
    }
    if (q.kind) qb = qb.where("a.kind", "=", q.kind);
    if (q.pattern) qb = qb.where("a.pattern", "=", q.pattern);
    if (q.q) qb = qb.where(containsText(this.database.dialect, "a.name", q.q));
    const { total } = await qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const rows = await qb.selectAll("a").select(["r.name as region_name", "c.name as core_name"]).select((eb) => [
      eb.selectFrom("alliance_members as m").select(eb.fn.countAll().as("n")).whereRef("m.alliance_id", "=", "a.id").where("m.status", "=", "active").as("member_count"),
      eb.selectFrom("alliance_partners as p").select(eb.fn.countAll().as("n")).whereRef("p.alliance_id", "=", "a.id").as("partner_count"),
      eb.selectFrom("assessments as s").select("s.result").whereRef("s.alliance_id", "=", "a.id").orderBy("s.assessed_on", "desc").orderBy("s.created_at", "desc").orderBy("s.id", "desc").limit(1).as("last_result")
    ]).orderBy("a.region_id").orderBy("a.name").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    const today2 = todayIn();
    return {
      items: rows.map((a) => ({
        ...this.summary(a, a.region_name, { id: a.core_school_id, name: a.core_name }, Number(a.member_count), Number(a.partner_count), a.last_result ?? null, today2)
      })),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize
    };
  }
  summary(a, regionName, core, members, partners, lastResult, today2) {
    const re = reassessment(a.founded_on, a.last_assessed_on, lastResult, today2);
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      pattern: a.pattern,
      status: a.status,
      regionId: a.region_id,
      regionName,
      coreSchool: core,
      memberCount: members,
      partnerCount: partners,
      phase: currentPhase(a.cycle_start_on, today2),
      reassessmentDue: re.overdue || re.weak
    };
  }
  /** The alliance if the actor may read it; "not found" otherwise. */
  async getVisible(actor, id) {
    const a = await this.db.selectFrom("alliances").selectAll().where("id", "=", id).executeTakeFirst();
    if (!a || !policy.readAlliance(actor, a)) throw notFound("alliance");
    return a;
  }
  async getManageable(actor, id) {
    const a = await this.getVisible(actor, id);
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    return a;
  }
  async detail(actor, id) {
    const a = await this.getVisible(actor, id);
    const db = this.db;
    const [region, core, members, partners, bodies, bodyMembers, documents, milestones, assessments] = await Promise.all([
      db.selectFrom("regions").select("name").where("id", "=", a.region_id).executeTakeFirstOrThrow(),
      db.selectFrom("schools").select(["id", "name"]).where("id", "=", a.core_school_id).executeTakeFirstOrThrow(),
      db.selectFrom("alliance_members as m").innerJoin("schools as s", "s.id", "m.school_id").select(["m.id", "m.school_id", "s.name", "s.location", "s.tags", "m.role", "m.status", "m.joined_on", "m.exited_on", "m.exit_reason"]).where("m.alliance_id", "=", id).orderBy("m.status").orderBy("m.role").orderBy("m.joined_on").execute(),
      db.selectFrom("alliance_partners as ap").innerJoin("partners as p", "p.id", "ap.partner_id").select(["p.id", "p.name", "p.kind", "ap.offers", "ap.joined_on"]).where("ap.alliance_id", "=", id).orderBy("p.name").execute(),
      db.selectFrom("governance_bodies as b").leftJoin("schools as s", "s.id", "b.host_school_id").select(["b.id", "b.kind", "b.name", "b.subject", "b.host_school_id", "s.name as host_name"]).where("b.alliance_id", "=", id).orderBy("b.created_at").execute(),
      db.selectFrom("body_members as bm").innerJoin("governance_bodies as b", "b.id", "bm.body_id").leftJoin("schools as s", "s.id", "bm.school_id").select(["bm.id", "bm.body_id", "bm.person_name", "bm.position", "s.name as school_name", "bm.term_start", "bm.term_end"]).where("b.alliance_id", "=", id).orderBy("bm.created_at").execute(),
      db.selectFrom("documents").selectAll().where("alliance_id", "=", id).orderBy("kind").orderBy("created_at").execute(),
      db.selectFrom("milestones").selectAll().where("alliance_id", "=", id).orderBy("due_on").execute(),
      db.selectFrom("assessments").selectAll().where("alliance_id", "=", id).orderBy("assessed_on", "desc").orderBy("created_at", "desc").orderBy("id", "desc").execute()
    ]);
    const today2 = todayIn();
    const active = members.filter((m) => m.status === "active").length;
    return {
      ...this.summary(a, region.name, core, active, partners.length, assessments[0]?.result ?? null, today2),
      description: a.description,
      foundedOn: a.founded_on,
      cycleStartOn: a.cycle_start_on,
      members: members.map((m) => ({
        id: m.id,
        schoolId: m.school_id,
        schoolName: m.name,
        location: m.location,
        tags: fromJson(m.tags, []),
        role: m.role,
        status: m.status,
        joinedOn: m.joined_on,
        exitedOn: m.exited_on,
        exitReason: m.exit_reason
      })),
      partners: partners.map((p) => ({ partnerId: p.id, name: p.name, kind: p.kind, offers: p.offers, joinedOn: p.joined_on })),
      bodies: bodies.map((b) => ({
        id: b.id,
        kind: b.kind,
        name: b.name,
        subject: b.subject,
        hostSchool: b.host_school_id ? { id: b.host_school_id, name: b.host_name ?? "" } : null,
        members: bodyMembers.filter((m) => m.body_id === b.id).map((m) => ({
          id: m.id,
          personName: m.person_name,
          position: m.position,
          schoolName: m.school_name,
          termStart: m.term_start,
          termEnd: m.term_end
        }))
      })),
      documents: documents.map((d) => ({ id: d.id, kind: d.kind, title: d.title, currentVersion: d.current_version, updatedAt: d.updated_at })),
      milestones: milestones.map((m) => ({ id: m.id, phase: m.phase, title: m.title, dueOn: m.due_on, doneOn: m.done_on })),
      assessments: assessments.map((s) => ({ id: s.id, assessedOn: s.assessed_on, score: s.score, result: s.result, comment: s.comment })),
      cycle: { phases: alliancePhases(a.cycle_start_on), current: currentPhase(a.cycle_start_on, today2) },
      reassessment: reassessment(a.founded_on, a.last_assessed_on, assessments[0]?.result ?? null, today2)
    };
  }
  async schoolInRegion(tx, schoolId, regionId, field) {
    const s = await tx.selectFrom("schools").select(["id", "region_id"]).where("id", "=", schoolId).executeTakeFirst();
    const regions = await regionDescendants(tx, [regionId]);
    if (!s || !regions.has(s.region_id)) throw badRequest([{ field, code: "invalid", params: { reason: "\u5B66\u6821\u4E0D\u5B58\u5728\u6216\u4E0D\u5728\u8054\u76DF\u6240\u5C5E\u533A\u57DF\u5185" } }]);
    return s;
  }
  async create(req, actor, input) {
    const region = await this.db.selectFrom("regions").select("id").where("id", "=", input.regionId).executeTakeFirst();
    if (!region || !policy.readRegion(actor, region.id)) throw badRequest([{ field: "regionId", code: "not_found" }]);
    if (!policy.createAlliance(actor, region.id)) throw forbidden();
    const id = newId();
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (tx) => {
        await this.schoolInRegion(tx, input.coreSchoolId, input.regionId, "coreSchoolId");
        await tx.insertInto("alliances").values({
          id,
          region_id: input.regionId,
          name: input.name,
          kind: input.kind,
          pattern: input.pattern,
          core_school_id: input.coreSchoolId,
          description: input.description ?? null,
          status: "active",
          founded_on: input.foundedOn,
          cycle_start_on: input.cycleStartOn,
          last_assessed_on: null,
          created_at: now,
          updated_at: now
        }).execute();
        await tx.insertInto("alliance_members").values({
          id: newId(),
          alliance_id: id,
          school_id: input.coreSchoolId,
          alliance_kind: input.kind,
          role: "core",
          status: "active",
          joined_on: input.foundedOn,
          exited_on: null,
          exit_reason: null,
          exit_by: null,
          created_at: now
        }).execute();
        await audit(tx, req, { action: "alliance.create", entityType: "alliance", entityId: id, regionId: input.regionId, allianceId: id, detail: { name: input.name, kind: input.kind, pattern: input.pattern } });
      });
    } catch (err) {
      throw this.mapConstraint(err);
    }
    return this.detail(actor, id);
  }
  mapConstraint(err) {
    if (!isUniqueViolation(err)) return err;
    const text2 = String(err.message);
    if (/one_fusion|alliance_members\.school_id/.test(text2)) {
      return conflict("\u8BE5\u5B66\u6821\u5DF2\u5C5E\u4E8E\u4E00\u4E2A\u878D\u5408\u578B\u6559\u80B2\u96C6\u56E2", [{ field: "coreSchoolId", code: "invalid", params: { reason: "\u4E00\u6240\u5B66\u6821\u6700\u591A\u5C5E\u4E8E\u4E00\u4E2A\u878D\u5408\u578B\u96C6\u56E2" } }]);
    }
    if (/name/.test(text2)) return new AppError(409, "duplicate", { field: "\u8054\u76DF\u540D\u79F0" }, [{ field: "name", code: "duplicate" }]);
    return err;
  }
  async update(req, actor, id, input) {
    const a = await this.getManageable(actor, id);
    const patch = {};
    if (input.name !== void 0) patch.name = input.name;
    if (input.kind !== void 0) patch.kind = input.kind;
    if (input.pattern !== void 0) patch.pattern = input.pattern;
    if (input.foundedOn !== void 0) patch.founded_on = input.foundedOn;
    if (input.cycleStartOn !== void 0) patch.cycle_start_on = input.cycleStartOn;
    if (input.description !== void 0) patch.description = input.description;
    if (input.status !== void 0) patch.status = input.status;
    try {
      await this.db.transaction().execute(async (tx) => {
        if (input.coreSchoolId && input.coreSchoolId !== a.core_school_id) {
          const m = await tx.selectFrom("alliance_members").select("id").where("alliance_id", "=", id).where("school_id", "=", input.coreSchoolId).where("status", "=", "active").executeTakeFirst();
          if (!m) throw badRequest([{ field: "coreSchoolId", code: "invalid", params: { reason: "\u6838\u5FC3\u6821\u5FC5\u987B\u662F\u8054\u76DF\u7684\u73B0\u6709\u6210\u5458" } }]);
          await tx.updateTable("alliance_members").set({ role: "member" }).where("alliance_id", "=", id).where("role", "=", "core").where("status", "=", "active").execute();
          await tx.updateTable("alliance_members").set({ role: "core" }).where("id", "=", m.id).execute();
          patch.core_school_id = input.coreSchoolId;
        }
        if (patch.kind && patch.kind !== a.kind) {
          await tx.updateTable("alliance_members").set({ alliance_kind: patch.kind }).where("alliance_id", "=", id).execute();
        }
        await tx.updateTable("alliances").set({ ...patch, updated_at: nowIso() }).where("id", "=", id).execute();
        await audit(tx, req, { action: "alliance.update", entityType: "alliance", entityId: id, regionId: a.region_id, allianceId: id, detail: changes(a, patch) });
      });
    } catch (err) {
      throw this.mapConstraint(err);
    }
    return this.detail(actor, id);
  }
  async timeline(actor, id, lang) {
    const a = await this.getVisible(actor, id);
    if (!policy.readAllianceInternals(actor, a)) throw notFound("alliance");
    const rows = await this.db.selectFrom("audit_log").select(["at", "action", "actor_name", "detail"]).where("alliance_id", "=", id).orderBy("at", "desc").orderBy("id", "desc").limit(200).execute();
    return { items: rows.map((r) => ({ at: r.at, action: r.action, actorName: r.actor_name, text: describe(r.action, fromJson(r.detail, {}), lang) })) };
  }
  // ---- partners -------------------------------------------------------------------------------
  async listPartners(actor, regionId) {
    let qb = this.db.selectFrom("partners").selectAll();
    if (regionId) {
      const within = [...await regionDescendants(this.db, [regionId])];
      if (within.length === 0) return { items: [] };
      qb = qb.where("region_id", "in", within);
    }
    if (!actor.isPlatformAdmin) {
      const managed = actor.adminAlliances.size ? await this.db.selectFrom("alliances").select("region_id").where("id", "in", [...actor.adminAlliances]).execute() : [];
      const above = managed.length ? await regionAncestors(this.db, [...new Set(managed.map((m) => m.region_id))]) : /* @__PURE__ */ new Set();
      const visible = [...actor.readRegions, ...actor.homeRegionChain, ...above];
      qb = qb.where((eb) => eb.or([
        eb("region_id", "in", visible.length ? visible : ["-"]),
        eb("id", "in", eb.selectFrom("alliance_partners").select("partner_id").where("alliance_id", "in", actor.memberAlliances.size ? [...actor.memberAlliances] : ["-"]))
      ]));
    }
    const rows = await qb.orderBy("name").limit(500).execute();
    return { items: rows.map((p) => ({ id: p.id, regionId: p.region_id, name: p.name, kind: p.kind, contact: p.contact, phone: p.phone, description: p.description })) };
  }
  async createPartner(req, actor, input) {
    const region = await this.db.selectFrom("regions").select("id").where("id", "=", input.regionId).executeTakeFirst();
    if (!region || !(policy.readRegion(actor, region.id) || actor.homeRegionChain.has(region.id) || actor.adminAlliances.size > 0)) throw badRequest([{ field: "regionId", code: "not_found" }]);
    const ownAllianceHere = actor.adminAlliances.size ? await this.db.selectFrom("alliances").select("id").where("id", "in", [...actor.adminAlliances]).where("region_id", "in", [...await regionDescendants(this.db, [region.id])]).executeTakeFirst() : void 0;
    if (!actor.isPlatformAdmin && !actor.bureauRegions.has(region.id) && !ownAllianceHere) throw forbidden();
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.insertInto("partners").values({ id, region_id: input.regionId, name: input.name, kind: input.kind, contact: input.contact ?? null, phone: input.phone ?? null, description: input.description ?? null, created_at: nowIso() }).execute();
        await audit(tx, req, { action: "partner.create", entityType: "partner", entityId: id, regionId: input.regionId, detail: { name: input.name, kind: input.kind } });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(409, "duplicate", { field: "\u5408\u4F5C\u65B9\u540D\u79F0" }, [{ field: "name", code: "duplicate" }]);
      throw err;
    }
    return { id, regionId: input.regionId, name: input.name, kind: input.kind, contact: input.contact ?? null, phone: input.phone ?? null, description: input.description ?? null };
  }
  async addPartner(req, actor, id, input) {
    const a = await this.getManageable(actor, id);
    const p = await this.db.selectFrom("partners").select(["id", "region_id", "name"]).where("id", "=", input.partnerId).executeTakeFirst();
    const chain = await regionDescendants(this.db, [p?.region_id ?? "-"]);
    const up6 = await regionAncestors(this.db, [a.region_id]);
    if (!p || !(chain.has(a.region_id) || up6.has(p.region_id))) throw badRequest([{ field: "partnerId", code: "not_found" }]);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.insertInto("alliance_partners").values({ alliance_id: id, partner_id: p.id, offers: input.offers ?? null, joined_on: todayIn() }).execute();
        await audit(tx, req, { action: "alliance.partner_add", entityType: "alliance", entityId: id, regionId: a.region_id, allianceId: id, detail: { partner: p.name, offers: input.offers } });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("\u8BE5\u5408\u4F5C\u65B9\u5DF2\u52A0\u5165\u8054\u76DF", [{ field: "partnerId", code: "duplicate" }]);
      throw err;
    }
    return this.detail(actor, id);
  }
  // ---- governance -----------------------------------------------------------------------------
  async addBody(req, actor, id, input) {
    const a = await this.getManageable(actor, id);
    if (input.kind === "subject_group" && !input.subject) throw badRequest([{ field: "subject", code: "required" }]);
    const bodyId = newId();
    await this.db.transaction().execute(async (tx) => {
      if (input.hostSchoolId) await this.activeMember(tx, id, input.hostSchoolId, "hostSchoolId");
      await tx.insertInto("governance_bodies").values({ id: bodyId, alliance_id: id, kind: input.kind, name: input.name, subject: input.subject ?? null, host_school_id: input.hostSchoolId ?? null, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "governance.body_create", entityType: "body", entityId: bodyId, regionId: a.region_id, allianceId: id, detail: { kind: input.kind, name: input.name } });
    });
    return this.detail(actor, id);
  }
  async activeMember(tx, allianceId, schoolId, field) {
    const m = await tx.selectFrom("alliance_members").select("id").where("alliance_id", "=", allianceId).where("school_id", "=", schoolId).where("status", "=", "active").executeTakeFirst();
    if (!m) throw badRequest([{ field, code: "invalid", params: { reason: "\u987B\u4E3A\u8054\u76DF\u6210\u5458\u6821" } }]);
  }
  async addBodyMember(req, actor, bodyId, input) {
    const body = await this.db.selectFrom("governance_bodies").select(["id", "alliance_id", "name"]).where("id", "=", bodyId).executeTakeFirst();
    if (!body) throw notFound("body");
    const a = await this.getVisible(actor, body.alliance_id).catch(() => {
      throw notFound("body");
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      if (input.schoolId) await this.activeMember(tx, a.id, input.schoolId, "schoolId");
      if (input.userId) {
        const u = await tx.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst();
        if (!u) throw badRequest([{ field: "userId", code: "not_found" }]);
      }
      const mid = newId();
      await tx.insertInto("body_members").values({ id: mid, body_id: bodyId, person_name: input.personName, user_id: input.userId ?? null, school_id: input.schoolId ?? null, position: input.position, term_start: input.termStart, term_end: input.termEnd ?? null, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "governance.member_add", entityType: "body", entityId: bodyId, regionId: a.region_id, allianceId: a.id, detail: { body: body.name, person: input.personName, position: input.position, termStart: input.termStart, termEnd: input.termEnd } });
    });
    return this.detail(actor, a.id);
  }
  // ---- milestones and assessments -------------------------------------------------------------
  async addMilestone(req, actor, id, input) {
    const a = await this.getManageable(actor, id);
    await this.db.transaction().execute(async (tx) => {
      const mid = newId();
      await tx.insertInto("milestones").values({ id: mid, alliance_id: id, phase: input.phase, title: input.title, due_on: input.dueOn, done_on: null, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "milestone.create", entityType: "milestone", entityId: mid, regionId: a.region_id, allianceId: id, detail: input });
    });
    return this.detail(actor, id);
  }
  async updateMilestone(req, actor, milestoneId, doneOn) {
    const m = await this.db.selectFrom("milestones").selectAll().where("id", "=", milestoneId).executeTakeFirst();
    if (!m) throw notFound("milestone");
    const a = await this.getVisible(actor, m.alliance_id).catch(() => {
      throw notFound("milestone");
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("milestones").set({ done_on: doneOn }).where("id", "=", milestoneId).execute();
      await audit(tx, req, { action: doneOn ? "milestone.done" : "milestone.reopen", entityType: "milestone", entityId: milestoneId, regionId: a.region_id, allianceId: a.id, detail: { title: m.title, doneOn } });
    });
    return this.detail(actor, a.id);
  }
  /** 动态调整: the bureau (or platform) records the 2-yearly assessment. */
  async addAssessment(req, actor, id, input) {
    const a = await this.getVisible(actor, id);
    if (!policy.bureauStep(actor, a)) throw forbidden();
    if (input.assessedOn > todayIn()) throw badRequest([{ field: "assessedOn", code: "invalid", params: { reason: "\u4E0D\u80FD\u665A\u4E8E\u4ECA\u5929" } }]);
    await this.db.transaction().execute(async (tx) => {
      const sid = newId();
      await tx.insertInto("assessments").values({ id: sid, alliance_id: id, assessed_on: input.assessedOn, score: input.score, result: input.result, comment: input.comment ?? null, assessed_by: actor.userId, created_at: nowIso() }).execute();
      if (!a.last_assessed_on || input.assessedOn > a.last_assessed_on) {
        await tx.updateTable("alliances").set({ last_assessed_on: input.assessedOn, updated_at: nowIso() }).where("id", "=", id).execute();
      }
      await audit(tx, req, { action: "alliance.assess", entityType: "alliance", entityId: id, regionId: a.region_id, allianceId: id, detail: input });
    });
    return this.detail(actor, id);
  }
  // ---- documents --------------------------------------------------------------------------------
  async document(actor, docId) {
    const d = await this.db.selectFrom("documents").selectAll().where("id", "=", docId).executeTakeFirst();
    if (!d) throw notFound("document");
    await this.getVisible(actor, d.alliance_id).catch(() => {
      throw notFound("document");
    });
    const versions = await this.db.selectFrom("document_versions as v").leftJoin("users as u", "u.id", "v.created_by").selectAll("v").select("u.display_name").where("v.document_id", "=", docId).orderBy("v.version", "desc").execute();
    return {
      id: d.id,
      allianceId: d.alliance_id,
      kind: d.kind,
      title: d.title,
      currentVersion: d.current_version,
      updatedAt: d.updated_at,
      versions: versions.map((v) => ({
        version: v.version,
        fileName: v.file_name,
        fileSize: v.file_size,
        mime: v.mime,
        sha256: v.sha256,
        terms: fromJson(v.terms, []),
        effectiveFrom: v.effective_from,
        effectiveTo: v.effective_to,
        note: v.note,
        createdAt: v.created_at,
        createdByName: v.display_name
      }))
    };
  }
  async documentFile(actor, docId, version) {
    await this.document(actor, docId);
    const v = await this.db.selectFrom("document_versions").selectAll().where("document_id", "=", docId).where("version", "=", version).executeTakeFirst();
    if (!v || !v.file_key) throw notFound("document");
    return { stream: this.storage.get(v.file_key), name: v.file_name ?? "document", mime: v.mime ?? "application/octet-stream", size: v.file_size };
  }
  /**
   * Reads a multipart document upload: text fields first, then one `file` part, streamed to storage.
   * Returns the validated fields and the stored file; on any error the stored file is removed.
   */
  async receiveUpload(req, schema, keyPrefix) {
    if (!req.isMultipart()) throw new AppError(415, "unsupported_media_type");
    const raw = {};
    let stored = null;
    try {
      for await (const part of req.parts()) {
        if (part.type === "field") {
          raw[part.fieldname] = String(part.value);
          continue;
        }
        const file = part;
        if (file.fieldname !== "file" || stored) {
          file.file.resume();
          throw badRequest([{ field: file.fieldname, code: "unknown_field" }]);
        }
        const key = `${keyPrefix}/${newId()}.bin`;
        let put;
        try {
          put = await this.storage.put(key, file.file, { maxBytes: MAX_DOC_BYTES });
        } catch (err) {
          if (err instanceof FileTooLargeError) throw new AppError(413, "payload_too_large", {}, [{ field: "file", code: "too_big", params: { max: "20 MB" } }]);
          throw err;
        }
        if (file.file.truncated) {
          await this.storage.delete(key);
          throw new AppError(413, "payload_too_large", {}, [{ field: "file", code: "too_big", params: { max: "20 MB" } }]);
        }
        stored = { ...put, name: safeFileName(file.filename), mime: "" };
        const head = await readHead(this.storage, key);
        const mime = sniff(head);
        if (!mime || put.size === 0) {
          await this.storage.delete(key);
          stored = null;
          throw badRequest([{ field: "file", code: "invalid", params: { reason: "\u4EC5\u652F\u6301 PDF\u3001Word \u6587\u6863\u6216\u6587\u672C\u6587\u4EF6" } }]);
        }
        stored.mime = mime.startsWith("text/") && /\.md$/i.test(stored.name) ? "text/markdown; charset=utf-8" : mime;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw badRequest(parsed.error.issues.flatMap((i) => zodIssueToField({ keyword: i.code, instancePath: "/" + i.path.join("/"), params: i, message: i.message })));
      }
      const fields = parsed.data;
      let terms;
      try {
        terms = JSON.parse(fields.terms);
      } catch {
        throw badRequest([{ field: "terms", code: "invalid_format" }]);
      }
      const t = Terms.safeParse(terms);
      if (!t.success) {
        throw badRequest(t.error.issues.flatMap((i) => zodIssueToField({ keyword: i.code, instancePath: "/" + i.path.join("/"), params: i, message: i.message }, "terms")));
      }
      if (fields.effectiveFrom && fields.effectiveTo && fields.effectiveTo < fields.effectiveFrom) {
        throw badRequest([{ field: "effectiveTo", code: "invalid", params: { reason: "\u7ED3\u675F\u65E5\u671F\u65E9\u4E8E\u5F00\u59CB\u65E5\u671F" } }]);
      }
      if (!stored) throw badRequest([{ field: "file", code: "required" }]);
      return { fields, terms: t.data, file: stored };
    } catch (err) {
      if (stored) await this.storage.delete(stored.key);
      throw err;
    }
  }
  async createDocument(req, actor, allianceId) {
    const a = await this.getManageable(actor, allianceId);
    const docId = newId();
    const { fields, terms, file } = await this.receiveUpload(req, DocumentFields, `documents/${allianceId}`);
    const f = fields;
    try {
      await this.db.transaction().execute(async (tx) => {
        const now = nowIso();
        await tx.insertInto("documents").values({ id: docId, alliance_id: allianceId, kind: f.kind, title: f.title, current_version: 1, created_by: actor.userId, created_at: now, updated_at: now }).execute();
        await this.insertVersion(tx, docId, 1, f, terms, file, actor.userId);
        await audit(tx, req, { action: "document.create", entityType: "document", entityId: docId, regionId: a.region_id, allianceId, detail: { title: f.title, kind: DOCUMENT_KINDS.label(f.kind), fileName: file.name, sha256: file.sha256, terms } });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      throw err;
    }
    return this.document(actor, docId);
  }
  async addVersion(req, actor, docId) {
    const d = await this.db.selectFrom("documents").selectAll().where("id", "=", docId).executeTakeFirst();
    if (!d) throw notFound("document");
    const a = await this.getVisible(actor, d.alliance_id).catch(() => {
      throw notFound("document");
    });
    if (!policy.manageAlliance(actor, a)) throw forbidden();
    const { fields, terms, file } = await this.receiveUpload(req, VersionFields, `documents/${a.id}`);
    try {
      await this.db.transaction().execute(async (tx) => {
        const cur = await tx.selectFrom("documents").select("current_version").where("id", "=", docId).executeTakeFirstOrThrow();
        const version = cur.current_version + 1;
        await this.insertVersion(tx, docId, version, fields, terms, file, actor.userId);
        await tx.updateTable("documents").set({ current_version: version, updated_at: nowIso() }).where("id", "=", docId).execute();
        await audit(tx, req, { action: "document.version", entityType: "document", entityId: docId, regionId: a.region_id, allianceId: a.id, detail: { title: d.title, version, fileName: file.name, sha256: file.sha256, terms } });
      });
    } catch (err) {
      await this.storage.delete(file.key);
      if (isUniqueViolation(err)) throw conflict("\u7248\u672C\u53F7\u51B2\u7A81\uFF0C\u8BF7\u91CD\u8BD5");
      throw err;
    }
    return this.document(actor, docId);
  }
  async insertVersion(tx, docId, version, f, terms, file, userId) {
    await tx.insertInto("document_versions").values({
      id: newId(),
      document_id: docId,
      version,
      file_key: file.key,
      file_name: file.name,
      file_size: file.size,
      mime: file.mime,
      sha256: file.sha256,
      terms: toJson(terms),
      effective_from: f.effectiveFrom ?? null,
      effective_to: f.effectiveTo ?? null,
      note: f.note ?? null,
      created_by: userId,
      created_at: nowIso()
    }).execute();
  }
};
async function readHead(storage, key) {
  const chunks = [];
  let n = 0;
  for await (const c of storage.get(key)) {
    chunks.push(c);
    n += c.length;
    if (n >= 512) break;
  }
  return Buffer.concat(chunks).subarray(0, 512);
}
var ACTION_TEXT = {
  "alliance.create": { zh: "\u6210\u7ACB\u8054\u76DF", en: "Alliance founded" },
  "alliance.update": { zh: "\u4FEE\u6539\u8054\u76DF\u4FE1\u606F", en: "Alliance updated" },
  "alliance.assess": { zh: "\u5B8C\u6210\u8054\u76DF\u8BC4\u4F30", en: "Alliance assessed" },
  "alliance.partner_add": { zh: "\u5408\u4F5C\u65B9\u52A0\u5165", en: "Partner joined" },
  "governance.body_create": { zh: "\u8BBE\u7ACB\u6CBB\u7406\u673A\u6784", en: "Governance body created" },
  "governance.member_add": { zh: "\u4EFB\u547D\u6CBB\u7406\u673A\u6784\u6210\u5458", en: "Body member appointed" },
  "milestone.create": { zh: "\u65B0\u589E\u91CC\u7A0B\u7891", en: "Milestone added" },
  "milestone.done": { zh: "\u5B8C\u6210\u91CC\u7A0B\u7891", en: "Milestone completed" },
  "milestone.reopen": { zh: "\u91CD\u65B0\u6253\u5F00\u91CC\u7A0B\u7891", en: "Milestone reopened" },
  "document.create": { zh: "\u4E0A\u4F20\u6587\u4EF6", en: "Document uploaded" },
  "document.version": { zh: "\u4E0A\u4F20\u6587\u4EF6\u65B0\u7248\u672C", en: "New document version" },
  "application.submit": { zh: "\u63D0\u4EA4\u5165\u76DF\u7533\u8BF7", en: "Membership application submitted" },
  "application.evaluate": { zh: "\u8054\u76DF\u8BC4\u4F30", en: "Alliance evaluation" },
  "application.recommend": { zh: "\u7406\u4E8B\u4F1A\u63A8\u8350", en: "Council recommendation" },
  "application.approve": { zh: "\u6559\u80B2\u5C40\u5BA1\u6279\u901A\u8FC7\uFF0C\u6210\u4E3A\u6210\u5458\u6821", en: "Approved by the bureau: new member" },
  "application.reject": { zh: "\u5165\u76DF\u7533\u8BF7\u672A\u901A\u8FC7", en: "Membership application rejected" },
  "application.withdraw": { zh: "\u64A4\u56DE\u5165\u76DF\u7533\u8BF7", en: "Application withdrawn" },
  "member.exit": { zh: "\u6210\u5458\u6821\u9000\u51FA", en: "Member school left" }
};
function describe(action, d, lang) {
  const base = ACTION_TEXT[action]?.[lang] ?? action;
  const what = [d.name, d.school, d.title, d.partner, d.person, d.reason, d.comment].filter((x) => typeof x === "string" && x).join(" \xB7 ");
  return what ? `${base}\uFF1A${what}` : base;
}

// src/server/modules/alliances/routes.ts
async function allianceRoutes(app, ctx) {
  const svc = new AllianceService(ctx.database, ctx.storage);
  const r = zapp(app);
  const tags = ["\u8054\u76DF alliances"];
  const byId = z8.object({ id: Id });
  r.get("/api/alliances", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u8054\u76DF/\u6559\u80B2\u96C6\u56E2\u5217\u8868", querystring: AllianceQuery, response: { 200: paginated(AllianceSummary) } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/alliances/export.xlsx", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u8054\u76DF\u5217\u8868 Excel", querystring: AllianceQuery.omit({ page: true, pageSize: true }) }
  }, async (req, reply) => {
    const { items } = await svc.list(actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
    return sendXlsx(reply, "\u8054\u76DF\u540D\u5F55.xlsx", "\u8054\u76DF", [
      { header: "\u8054\u76DF\u540D\u79F0", value: (a) => a.name, width: 32 },
      { header: "\u6240\u5C5E\u533A\u57DF", value: (a) => a.regionName },
      { header: "\u529E\u5B66\u5F62\u5F0F", value: (a) => ALLIANCE_KINDS.label(a.kind) },
      { header: "\u7ED3\u5BF9\u6A21\u5F0F", value: (a) => ALLIANCE_PATTERNS.label(a.pattern) },
      { header: "\u6838\u5FC3\u6821", value: (a) => a.coreSchool.name, width: 28 },
      { header: "\u6210\u5458\u6821\u6570", value: (a) => a.memberCount },
      { header: "\u5408\u4F5C\u65B9\u6570", value: (a) => a.partnerCount },
      { header: "\u5F53\u524D\u9636\u6BB5", value: (a) => a.phase ? PHASES.label(a.phase) : "" },
      { header: "\u5F85\u590D\u8BC4", value: (a) => a.reassessmentDue ? "\u662F" : "\u5426" }
    ], items);
  });
  r.get("/api/alliances/:id", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u8054\u76DF\u8BE6\u60C5\uFF08\u6210\u5458\u3001\u6CBB\u7406\u3001\u6587\u4EF6\u3001\u91CC\u7A0B\u7891\uFF09", params: byId, response: { 200: AllianceDetail } }
  }, async (req) => svc.detail(actorOf(req), req.params.id));
  r.post("/api/alliances", {
    config: { permission: "alliance.create" },
    schema: { tags, summary: "\u6210\u7ACB\u8054\u76DF\uFF08\u542B\u6838\u5FC3\u6821\uFF09", body: AllianceCreate, response: { 201: AllianceDetail } }
  }, async (req, reply) => reply.code(201).send(await svc.create(req, actorOf(req), req.body)));
  r.patch("/api/alliances/:id", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u4FEE\u6539\u8054\u76DF", params: byId, body: AllianceUpdate, response: { 200: AllianceDetail } }
  }, async (req) => svc.update(req, actorOf(req), req.params.id, req.body));
  r.get("/api/alliances/:id/timeline", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u8054\u76DF\u52A8\u6001", params: byId, response: { 200: TimelineOut } }
  }, async (req) => svc.timeline(actorOf(req), req.params.id, req.lang));
  r.post("/api/alliances/:id/partners", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u5408\u4F5C\u65B9\u52A0\u5165\u8054\u76DF", params: byId, body: AlliancePartnerAdd, response: { 200: AllianceDetail } }
  }, async (req) => svc.addPartner(req, actorOf(req), req.params.id, req.body));
  r.post("/api/alliances/:id/bodies", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u8BBE\u7ACB\u6CBB\u7406\u673A\u6784", params: byId, body: BodyCreate, response: { 200: AllianceDetail } }
  }, async (req) => svc.addBody(req, actorOf(req), req.params.id, req.body));
  r.post("/api/bodies/:id/members", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u6CBB\u7406\u673A\u6784\u6210\u5458\uFF08\u542B\u4EFB\u671F\uFF09", params: byId, body: BodyMemberCreate, response: { 200: AllianceDetail } }
  }, async (req) => svc.addBodyMember(req, actorOf(req), req.params.id, req.body));
  r.post("/api/alliances/:id/milestones", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u65B0\u589E\u91CC\u7A0B\u7891", params: byId, body: MilestoneCreate, response: { 200: AllianceDetail } }
  }, async (req) => svc.addMilestone(req, actorOf(req), req.params.id, req.body));
  r.patch("/api/milestones/:id", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u5B8C\u6210/\u91CD\u5F00\u91CC\u7A0B\u7891", params: byId, body: MilestoneUpdate, response: { 200: AllianceDetail } }
  }, async (req) => svc.updateMilestone(req, actorOf(req), req.params.id, req.body.doneOn));
  r.post("/api/alliances/:id/assessments", {
    config: { permission: "alliance.create" },
    schema: { tags, summary: "\u6559\u80B2\u5C40\u5BF9\u8054\u76DF\u7684\u4E24\u5E74\u4E00\u6B21\u8BC4\u4F30", params: byId, body: AssessmentCreate, response: { 200: AllianceDetail } }
  }, async (req) => svc.addAssessment(req, actorOf(req), req.params.id, req.body));
  r.post("/api/alliances/:id/documents", {
    config: { permission: "alliance.manage" },
    schema: {
      tags,
      summary: "\u4E0A\u4F20\u7AE0\u7A0B/\u534F\u8BAE\uFF08multipart\uFF1Akind, title, terms(JSON), effectiveFrom, effectiveTo, note, \u7136\u540E file\uFF09",
      params: byId,
      consumes: ["multipart/form-data"],
      response: { 201: DocumentOut }
    }
  }, async (req, reply) => reply.code(201).send(await svc.createDocument(req, actorOf(req), req.params.id)));
  r.get("/api/documents/:id", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u6587\u4EF6\u53CA\u5176\u5168\u90E8\u7248\u672C", params: byId, response: { 200: DocumentOut } }
  }, async (req) => svc.document(actorOf(req), req.params.id));
  r.post("/api/documents/:id/versions", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u4E0A\u4F20\u65B0\u7248\u672C\uFF08multipart\uFF09", params: byId, consumes: ["multipart/form-data"], response: { 201: DocumentOut } }
  }, async (req, reply) => reply.code(201).send(await svc.addVersion(req, actorOf(req), req.params.id)));
  r.get("/api/documents/:id/versions/:version/file", {
    config: { permission: "alliance.read" },
    schema: { tags, summary: "\u4E0B\u8F7D\u67D0\u4E00\u7248\u672C\u7684\u6587\u4EF6", params: z8.object({ id: Id, version: z8.coerce.number().int().min(1) }) }
  }, async (req, reply) => {
    const f = await svc.documentFile(actorOf(req), req.params.id, req.params.version);
    reply.header("content-type", f.mime).header("content-disposition", `attachment; filename="document"; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    if (f.size != null) reply.header("content-length", String(f.size));
    return reply.send(f.stream);
  });
  r.get("/api/partners", {
    config: { permission: "partner.read" },
    schema: { tags: ["\u5408\u4F5C\u65B9 partners"], summary: "\u5408\u4F5C\u65B9", querystring: z8.strictObject({ regionId: Id.optional() }), response: { 200: z8.object({ items: z8.array(PartnerOut) }) } }
  }, async (req) => svc.listPartners(actorOf(req), req.query.regionId));
  r.get("/api/partners/export.xlsx", {
    config: { permission: "partner.read" },
    schema: { tags: ["\u5408\u4F5C\u65B9 partners"], summary: "\u5BFC\u51FA\u5408\u4F5C\u65B9 Excel", querystring: z8.strictObject({ regionId: Id.optional() }) }
  }, async (req, reply) => {
    const { items } = await svc.listPartners(actorOf(req), req.query.regionId);
    return sendXlsx(reply, "\u5408\u4F5C\u65B9.xlsx", "\u5408\u4F5C\u65B9", [
      { header: "\u540D\u79F0", value: (p) => p.name, width: 28 },
      { header: "\u7C7B\u578B", value: (p) => PARTNER_KINDS.label(p.kind) },
      { header: "\u8054\u7CFB\u4EBA", value: (p) => p.contact },
      { header: "\u8054\u7CFB\u7535\u8BDD", value: (p) => p.phone, width: 16 },
      { header: "\u7B80\u4ECB", value: (p) => p.description, width: 48 }
    ], items);
  });
  r.post("/api/partners", {
    config: { permission: "partner.write" },
    schema: { tags: ["\u5408\u4F5C\u65B9 partners"], summary: "\u767B\u8BB0\u5408\u4F5C\u65B9", body: PartnerCreate, response: { 201: PartnerOut } }
  }, async (req, reply) => reply.code(201).send(await svc.createPartner(req, actorOf(req), req.body)));
}

// src/server/modules/memberships/routes.ts
import { z as z10 } from "zod";
init_vocab();
init_schema();

// src/server/modules/memberships/schema.ts
init_vocab();
init_schema();
import { z as z9 } from "zod";
var ApplicationQuery = z9.strictObject({
  status: z9.enum(APPLICATION_STATUS.codes).optional(),
  allianceId: Id.optional(),
  schoolId: Id.optional(),
  ...Page
});
var ApplicationCreate = z9.strictObject({ allianceId: Id, schoolId: Id, reason: z9.string().trim().min(5).max(1e3) });
var DecisionBody = z9.strictObject({ decision: z9.enum(["pass", "fail"]), comment: z9.string().trim().max(1e3).nullable().optional() });
var ExitBody = z9.strictObject({ reason: z9.string().trim().min(5).max(1e3) });
var ApplicationOut = z9.object({
  id: z9.string(),
  allianceId: z9.string(),
  allianceName: z9.string(),
  schoolId: z9.string(),
  schoolName: z9.string(),
  status: z9.enum(APPLICATION_STATUS.codes),
  reason: z9.string(),
  createdAt: z9.string(),
  updatedAt: z9.string(),
  decisions: z9.array(z9.object({ step: z9.string(), decision: z9.string(), comment: z9.string().nullable(), actorName: z9.string().nullable(), at: z9.string() }))
});
var MemberOut = z9.object({
  id: z9.string(),
  schoolId: z9.string(),
  schoolName: z9.string(),
  role: z9.string(),
  status: z9.string(),
  joinedOn: z9.string(),
  exitedOn: z9.string().nullable(),
  exitReason: z9.string().nullable()
});

// src/server/modules/memberships/service.ts
init_db();
init_audit();
init_errors();
init_ids();
init_policy();
init_vocab();
var TRANSITIONS = {
  evaluate: { from: "submitted", pass: "evaluated", fail: "rejected" },
  recommend: { from: "evaluated", pass: "recommended", fail: "rejected" },
  approve: { from: "recommended", pass: "approved", fail: "rejected" },
  withdraw: { from: "open", pass: "withdrawn", fail: "withdrawn" }
};
var OPEN = OPEN_APPLICATION_STATUSES;
var STEP_NAMES = { evaluate: "\u8054\u76DF\u8BC4\u4F30", recommend: "\u7406\u4E8B\u4F1A\u63A8\u8350", approve: "\u6559\u80B2\u5C40\u5BA1\u6279", withdraw: "\u64A4\u56DE" };
var MembershipService = class {
  constructor(database) {
    this.database = database;
  }
  database;
  get db() {
    return this.database.db;
  }
  scope(qb, actor) {
    if (actor.isPlatformAdmin) return qb;
    return qb.where((eb) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb("a.region_id", "in", [...actor.readRegions]));
      if (actor.adminAlliances.size) ors.push(eb("a.id", "in", [...actor.adminAlliances]));
      if (actor.schools.size) ors.push(eb("p.school_id", "in", [...actor.schools]));
      return ors.length ? eb.or(ors) : eb.lit(false);
    });
  }
  async list(actor, q) {
    let qb = this.db.selectFrom("membership_applications as p").innerJoin("alliances as a", "a.id", "p.alliance_id").innerJoin("schools as s", "s.id", "p.school_id");
    qb = this.scope(qb, actor);
    if (q.status) qb = qb.where("p.status", "=", q.status);
    if (q.allianceId) qb = qb.where("p.alliance_id", "=", q.allianceId);
    if (q.schoolId) qb = qb.where("p.school_id", "=", q.schoolId);
    const { total } = await qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const rows = await qb.selectAll("p").select(["a.name as alliance_name", "s.name as school_name"]).orderBy("p.updated_at", "desc").orderBy("p.id").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    const decisions = rows.length ? await this.db.selectFrom("application_decisions").selectAll().where("application_id", "in", rows.map((r) => r.id)).orderBy("at").execute() : [];
    return {
      items: rows.map((r) => ({
        id: r.id,
        allianceId: r.alliance_id,
        allianceName: r.alliance_name,
        schoolId: r.school_id,
        schoolName: r.school_name,
        status: r.status,
        reason: r.reason,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        decisions: decisions.filter((d) => d.application_id === r.id).map((d) => ({ step: d.step, decision: d.decision, comment: d.comment, actorName: d.actor_name, at: d.at }))
      })),
      total: Number(total),
      page: q.page,
      pageSize: q.pageSize
    };
  }
  async load(tx, actor, id) {
    const p = await tx.selectFrom("membership_applications").selectAll().where("id", "=", id).executeTakeFirst();
    if (!p) throw notFound("application");
    const a = await tx.selectFrom("alliances").selectAll().where("id", "=", p.alliance_id).executeTakeFirstOrThrow();
    if (!policy.readApplication(actor, a, p.school_id)) throw notFound("application");
    return { p, a };
  }
  async get(actor, id) {
    const { p } = await this.load(this.db, actor, id);
    const res = await this.list(actor, { allianceId: p.alliance_id, schoolId: p.school_id, page: 1, pageSize: 100 });
    return res.items.find((i) => i.id === id);
  }
  async apply(req, actor, input) {
    const id = newId();
    try {
      await this.db.transaction().execute(async (tx) => {
        const school2 = await tx.selectFrom("schools").select(["id", "name", "region_id"]).where("id", "=", input.schoolId).executeTakeFirst();
        if (!school2 || !(actor.isPlatformAdmin || actor.schools.has(school2.id))) throw badRequest([{ field: "schoolId", code: "not_found" }]);
        if (!policy.applyForSchool(actor, school2.id)) throw forbidden();
        const a = await tx.selectFrom("alliances").selectAll().where("id", "=", input.allianceId).executeTakeFirst();
        if (!a || !policy.readAlliance(actor, a)) throw badRequest([{ field: "allianceId", code: "not_found" }]);
        if (a.status !== "active") throw conflict("\u8BE5\u8054\u76DF\u5DF2\u89E3\u6563", [{ field: "allianceId", code: "invalid", params: { reason: "\u8054\u76DF\u5DF2\u89E3\u6563" } }]);
        const member = await tx.selectFrom("alliance_members").select("id").where("alliance_id", "=", a.id).where("school_id", "=", school2.id).where("status", "=", "active").executeTakeFirst();
        if (member) throw conflict("\u8BE5\u6821\u5DF2\u662F\u8054\u76DF\u6210\u5458", [{ field: "schoolId", code: "invalid", params: { reason: "\u5DF2\u662F\u6210\u5458\u6821" } }]);
        if (a.kind === "fusion") await this.assertNoOtherFusion(tx, school2.id, a.id);
        const now = nowIso();
        await tx.insertInto("membership_applications").values({ id, alliance_id: a.id, school_id: school2.id, status: "submitted", reason: input.reason, applied_by: actor.userId, created_at: now, updated_at: now }).execute();
        await tx.insertInto("application_decisions").values({ id: newId(), application_id: id, step: "submit", decision: "pass", comment: input.reason, actor_id: actor.userId, actor_name: actor.displayName, ip: req.ip, at: now }).execute();
        await audit(tx, req, { action: "application.submit", entityType: "application", entityId: id, regionId: a.region_id, allianceId: a.id, schoolId: school2.id, detail: { school: school2.name, reason: input.reason } });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("\u8BE5\u6821\u5DF2\u6709\u4E00\u4EFD\u8FDB\u884C\u4E2D\u7684\u7533\u8BF7", [{ field: "allianceId", code: "duplicate" }]);
      throw err;
    }
    return this.get(actor, id);
  }
  async assertNoOtherFusion(tx, schoolId, allianceId) {
    const other = await tx.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", schoolId).where("status", "=", "active").where("alliance_kind", "=", "fusion").where("alliance_id", "!=", allianceId).executeTakeFirst();
    if (other) throw conflict("\u8BE5\u6821\u5DF2\u5C5E\u4E8E\u4E00\u4E2A\u878D\u5408\u578B\u6559\u80B2\u96C6\u56E2\uFF0C\u4E0D\u80FD\u518D\u52A0\u5165\u53E6\u4E00\u4E2A", [{ field: "schoolId", code: "invalid", params: { reason: "\u4E00\u6240\u5B66\u6821\u6700\u591A\u5C5E\u4E8E\u4E00\u4E2A\u878D\u5408\u578B\u96C6\u56E2" } }]);
  }
  /** One step of the review. The status is re-read inside the write transaction, so two reviewers never both act. */
  async decide(req, actor, id, step, decision, comment) {
    try {
      await this.db.transaction().execute(async (tx) => {
        const { p, a } = await this.load(tx, actor, id);
        const allowed = step === "approve" ? policy.bureauStep(actor, a) : step === "withdraw" ? policy.applyForSchool(actor, p.school_id) : policy.allianceStep(actor, a);
        if (!allowed) throw forbidden();
        const t = TRANSITIONS[step];
        const inState = t.from === "open" ? OPEN.includes(p.status) : p.status === t.from;
        if (!inState) {
          throw new AppError(409, "invalid_transition", { status: APPLICATION_STATUS.label(p.status, req.lang), step: STEP_NAMES[step] });
        }
        if (decision === "fail" && step !== "withdraw" && !comment) throw badRequest([{ field: "comment", code: "required" }]);
        const next = decision === "pass" ? t.pass : t.fail;
        const now = nowIso();
        const recordedStep = step !== "withdraw" && decision === "fail" ? "reject" : step;
        await tx.updateTable("membership_applications").set({ status: next, updated_at: now }).where("id", "=", id).where("status", "=", p.status).execute();
        await tx.insertInto("application_decisions").values({ id: newId(), application_id: id, step: recordedStep, decision, comment, actor_id: actor.userId, actor_name: actor.displayName, ip: req.ip, at: now }).execute();
        const school2 = await tx.selectFrom("schools").select("name").where("id", "=", p.school_id).executeTakeFirstOrThrow();
        if (next === "approved") await this.admit(tx, a, p.school_id);
        await audit(tx, req, {
          action: `application.${recordedStep}`,
          entityType: "application",
          entityId: id,
          regionId: a.region_id,
          allianceId: a.id,
          schoolId: p.school_id,
          detail: { school: school2.name, step, decision, comment, from: p.status, to: next }
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("\u8BE5\u6821\u5DF2\u5C5E\u4E8E\u4E00\u4E2A\u878D\u5408\u578B\u6559\u80B2\u96C6\u56E2\uFF0C\u4E0D\u80FD\u518D\u52A0\u5165\u53E6\u4E00\u4E2A");
      throw err;
    }
    return this.get(actor, id);
  }
  async admit(tx, a, schoolId) {
    if (a.kind === "fusion") await this.assertNoOtherFusion(tx, schoolId, a.id);
    await tx.insertInto("alliance_members").values({
      id: newId(),
      alliance_id: a.id,
      school_id: schoolId,
      alliance_kind: a.kind,
      role: "member",
      status: "active",
      joined_on: todayIn(),
      exited_on: null,
      exit_reason: null,
      exit_by: null,
      created_at: nowIso()
    }).execute();
  }
  /** A member leaves on the alliance's or the bureau's motion, with a reason. The core school cannot. */
  async exit(req, actor, allianceId, schoolId, reason) {
    return this.db.transaction().execute(async (tx) => {
      const a = await tx.selectFrom("alliances").selectAll().where("id", "=", allianceId).executeTakeFirst();
      if (!a || !policy.readAlliance(actor, a)) throw notFound("alliance");
      if (!policy.exitMember(actor, a)) throw forbidden();
      const m = await tx.selectFrom("alliance_members as m").innerJoin("schools as s", "s.id", "m.school_id").select(["m.id", "m.role", "s.name", "m.joined_on"]).where("m.alliance_id", "=", allianceId).where("m.school_id", "=", schoolId).where("m.status", "=", "active").executeTakeFirst();
      if (!m) throw notFound("member");
      if (m.role === "core") throw conflict("\u6838\u5FC3\u6821\u4E0D\u80FD\u9000\u51FA\uFF1B\u8BF7\u5148\u66F4\u6362\u6838\u5FC3\u6821", [{ field: "schoolId", code: "invalid", params: { reason: "\u6838\u5FC3\u6821" } }]);
      const today2 = todayIn();
      await tx.updateTable("alliance_members").set({ status: "exited", exited_on: today2, exit_reason: reason, exit_by: actor.userId }).where("id", "=", m.id).execute();
      await audit(tx, req, { action: "member.exit", entityType: "alliance", entityId: allianceId, regionId: a.region_id, allianceId, schoolId, detail: { school: m.name, reason } });
      return { id: m.id, schoolId, schoolName: m.name, role: m.role, status: "exited", joinedOn: m.joined_on, exitedOn: today2, exitReason: reason };
    });
  }
};

// src/server/modules/memberships/routes.ts
async function membershipRoutes(app, ctx) {
  const svc = new MembershipService(ctx.database);
  const r = zapp(app);
  const tags = ["\u5165\u76DF\u4E0E\u9000\u51FA memberships"];
  const byId = z10.object({ id: Id });
  r.get("/api/applications", {
    config: { permission: "application.read" },
    schema: { tags, summary: "\u5165\u76DF\u7533\u8BF7\u5217\u8868", querystring: ApplicationQuery, response: { 200: paginated(ApplicationOut) } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/applications/export.xlsx", {
    config: { permission: "application.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u5165\u76DF\u7533\u8BF7 Excel", querystring: ApplicationQuery.omit({ page: true, pageSize: true }) }
  }, async (req, reply) => {
    const { items } = await svc.list(actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
    const STEP = { submit: "\u63D0\u4EA4\u7533\u8BF7", evaluate: "\u8054\u76DF\u8BC4\u4F30", recommend: "\u7406\u4E8B\u4F1A\u63A8\u8350", approve: "\u6559\u80B2\u5C40\u5BA1\u6279", reject: "\u672A\u901A\u8FC7", withdraw: "\u64A4\u56DE" };
    return sendXlsx(reply, "\u5165\u76DF\u7533\u8BF7.xlsx", "\u5165\u76DF\u7533\u8BF7", [
      { header: "\u7533\u8BF7\u5B66\u6821", value: (a) => a.schoolName, width: 28 },
      { header: "\u7533\u8BF7\u52A0\u5165", value: (a) => a.allianceName, width: 28 },
      { header: "\u72B6\u6001", value: (a) => APPLICATION_STATUS.label(a.status) },
      { header: "\u7533\u8BF7\u7406\u7531", value: (a) => a.reason, width: 40 },
      { header: "\u63D0\u4EA4\u65F6\u95F4(UTC)", value: (a) => a.createdAt, width: 26 },
      { header: "\u6700\u8FD1\u66F4\u65B0(UTC)", value: (a) => a.updatedAt, width: 26 },
      {
        header: "\u5BA1\u6279\u8BB0\u5F55",
        value: (a) => a.decisions.map((d) => `${STEP[d.step] ?? d.step}\uFF08${d.actorName ?? ""}\uFF0C${d.at.slice(0, 10)}\uFF09${d.comment ? `\uFF1A${d.comment}` : ""}`).join("\n"),
        width: 60
      }
    ], items);
  });
  r.get("/api/applications/:id", {
    config: { permission: "application.read" },
    schema: { tags, summary: "\u5165\u76DF\u7533\u8BF7\u8BE6\u60C5\uFF08\u542B\u5BA1\u6279\u8BB0\u5F55\uFF09", params: byId, response: { 200: ApplicationOut } }
  }, async (req) => svc.get(actorOf(req), req.params.id));
  r.post("/api/applications", {
    config: { permission: "application.create" },
    schema: { tags, summary: "\u5B66\u6821\u7533\u8BF7\u52A0\u5165\u8054\u76DF", body: ApplicationCreate, response: { 201: ApplicationOut } }
  }, async (req, reply) => reply.code(201).send(await svc.apply(req, actorOf(req), req.body)));
  const steps = [
    { path: "evaluate", step: "evaluate", summary: "\u8054\u76DF\u8BC4\u4F30\uFF08\u79D8\u4E66\u5904\uFF09" },
    { path: "recommend", step: "recommend", summary: "\u7406\u4E8B\u4F1A\u63A8\u8350" },
    { path: "approve", step: "approve", summary: "\u6559\u80B2\u5C40\u5BA1\u6279\uFF08pass \u6279\u51C6 / fail \u9A73\u56DE\uFF09" }
  ];
  for (const s of steps) {
    r.post(`/api/applications/:id/${s.path}`, {
      config: { permission: "application.decide" },
      schema: { tags, summary: s.summary, params: byId, body: DecisionBody, response: { 200: ApplicationOut } }
    }, async (req) => svc.decide(req, actorOf(req), req.params.id, s.step, req.body.decision, req.body.comment ?? null));
  }
  r.post("/api/applications/:id/withdraw", {
    config: { permission: "application.create" },
    schema: { tags, summary: "\u7533\u8BF7\u6821\u64A4\u56DE\u7533\u8BF7", params: byId, response: { 200: ApplicationOut } }
  }, async (req) => svc.decide(req, actorOf(req), req.params.id, "withdraw", "pass", null));
  r.post("/api/alliances/:id/members/:schoolId/exit", {
    config: { permission: "alliance.manage" },
    schema: { tags, summary: "\u6210\u5458\u6821\u9000\u51FA\uFF08\u987B\u8BF4\u660E\u539F\u56E0\uFF09", params: z10.object({ id: Id, schoolId: Id }), body: ExitBody, response: { 200: MemberOut } }
  }, async (req) => svc.exit(req, actorOf(req), req.params.id, req.params.schoolId, req.body.reason));
}

// src/server/modules/audit/routes.ts
init_db();
import { z as z11 } from "zod";
init_schema();
var AuditQuery = z11.strictObject({
  action: z11.string().max(60).optional(),
  entityType: z11.string().max(30).optional(),
  entityId: Id.optional(),
  actorId: Id.optional(),
  from: DateStr.optional(),
  to: DateStr.optional(),
  ...Page
});
var AuditOut = z11.object({
  id: z11.number(),
  at: z11.string(),
  actorName: z11.string().nullable(),
  ip: z11.string().nullable(),
  action: z11.string(),
  entityType: z11.string(),
  entityId: z11.string().nullable(),
  detail: z11.record(z11.string(), z11.unknown())
});
var dayStartUtc = (d) => (/* @__PURE__ */ new Date(`${d}T00:00:00+08:00`)).toISOString();
function query(db, actor, q) {
  let qb = db.selectFrom("audit_log");
  if (!actor.isPlatformAdmin) qb = qb.where("region_id", "in", actor.bureauRegions.size ? [...actor.bureauRegions] : ["-"]);
  if (q.action) qb = qb.where("action", "=", q.action);
  if (q.entityType) qb = qb.where("entity_type", "=", q.entityType);
  if (q.entityId) qb = qb.where("entity_id", "=", q.entityId);
  if (q.actorId) qb = qb.where("actor_id", "=", q.actorId);
  if (q.from) qb = qb.where("at", ">=", dayStartUtc(q.from));
  if (q.to) qb = qb.where("at", "<", new Date(Date.parse(dayStartUtc(q.to)) + 864e5).toISOString());
  return qb;
}
async function auditRoutes(app, ctx) {
  const r = zapp(app);
  const { db } = ctx.database;
  const tags = ["\u5BA1\u8BA1 audit"];
  const toOut = (x) => ({
    id: Number(x.id),
    at: x.at,
    actorName: x.actor_name,
    ip: x.ip,
    action: x.action,
    entityType: x.entity_type,
    entityId: x.entity_id,
    detail: fromJson(x.detail, {})
  });
  r.get("/api/audit", {
    config: { permission: "audit.read" },
    schema: { tags, summary: "\u5BA1\u8BA1\u65E5\u5FD7\uFF08\u8C01\u3001\u4F55\u65F6\u3001\u4ECE\u4F55\u5904\u3001\u505A\u4E86\u4EC0\u4E48\uFF09", querystring: AuditQuery, response: { 200: paginated(AuditOut) } }
  }, async (req) => {
    const qb = query(db, actorOf(req), req.query);
    const { total } = await qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const rows = await qb.selectAll().orderBy("at", "desc").orderBy("id", "desc").limit(req.query.pageSize).offset((req.query.page - 1) * req.query.pageSize).execute();
    return { items: rows.map(toOut), total: Number(total), page: req.query.page, pageSize: req.query.pageSize };
  });
  r.get("/api/audit/export.xlsx", {
    config: { permission: "audit.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u5BA1\u8BA1\u65E5\u5FD7 Excel", querystring: AuditQuery.omit({ page: true, pageSize: true }) }
  }, async (req, reply) => {
    const rows = await query(db, actorOf(req), req.query).selectAll().orderBy("at", "desc").limit(EXPORT_LIMIT).execute();
    return sendXlsx(reply, "\u5BA1\u8BA1\u65E5\u5FD7.xlsx", "\u5BA1\u8BA1\u65E5\u5FD7", [
      { header: "\u65F6\u95F4(UTC)", value: (x) => x.at, width: 26 },
      { header: "\u64CD\u4F5C\u4EBA", value: (x) => x.actor_name },
      { header: "IP", value: (x) => x.ip },
      { header: "\u64CD\u4F5C", value: (x) => x.action, width: 24 },
      { header: "\u5BF9\u8C61\u7C7B\u578B", value: (x) => x.entity_type },
      { header: "\u5BF9\u8C61ID", value: (x) => x.entity_id, width: 24 },
      { header: "\u8BE6\u60C5", value: (x) => x.detail, width: 60 }
    ], rows);
  });
}

// src/server/modules/users/routes.ts
import { z as z13 } from "zod";
init_vocab();
init_schema();
init_service2();
var UserOut = z13.object({
  id: z13.string(),
  username: z13.string(),
  displayName: z13.string(),
  schoolId: z13.string().nullable(),
  schoolName: z13.string().nullable(),
  regionId: z13.string().nullable(),
  status: z13.string(),
  lastLoginAt: z13.string().nullable(),
  email: z13.string().nullable(),
  phone: z13.string().nullable(),
  grants: z13.array(z13.object({ id: z13.string(), role: z13.enum(ROLES.codes), scopeType: z13.string(), scopeId: z13.string().nullable(), subject: z13.string().nullable() }))
});
async function userRoutes(app, ctx) {
  const svc = new UserService(ctx.database);
  const r = zapp(app);
  const tags = ["\u7528\u6237\u4E0E\u6388\u6743 users"];
  const byId = z13.object({ id: Id });
  r.get("/api/users", {
    config: { permission: "user.read" },
    schema: { tags, summary: "\u7528\u6237\u5217\u8868\uFF08\u6309\u7BA1\u7406\u8303\u56F4\uFF09", querystring: UserQuery, response: { 200: paginated(UserOut) } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/users/export.xlsx", {
    config: { permission: "user.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u7528\u6237 Excel", querystring: UserQuery.omit({ page: true, pageSize: true }) }
  }, async (req, reply) => {
    const { items } = await svc.list(actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_LIMIT });
    return sendXlsx(reply, "\u7528\u6237.xlsx", "\u7528\u6237", [
      { header: "\u7528\u6237\u540D", value: (u) => u.username },
      { header: "\u59D3\u540D", value: (u) => u.displayName },
      { header: "\u5B66\u6821", value: (u) => u.schoolName, width: 28 },
      { header: "\u89D2\u8272", value: (u) => u.grants.map((g) => ROLES.label(g.role)).join("\u3001"), width: 28 },
      { header: "\u72B6\u6001", value: (u) => u.status === "active" ? "\u6B63\u5E38" : "\u505C\u7528" },
      { header: "\u6700\u8FD1\u767B\u5F55(UTC)", value: (u) => u.lastLoginAt, width: 26 }
    ], items);
  });
  r.post("/api/users", {
    config: { permission: "user.write" },
    schema: { tags, summary: "\u65B0\u5EFA\u7528\u6237\uFF08\u8FD4\u56DE\u4E00\u6B21\u6027\u521D\u59CB\u5BC6\u7801\uFF0C\u9996\u6B21\u767B\u5F55\u987B\u4FEE\u6539\uFF09", body: UserCreate, response: { 201: z13.object({ user: UserOut, initialPassword: z13.string() }) } }
  }, async (req, reply) => reply.code(201).send(await svc.create(req, actorOf(req), req.body)));
  r.patch("/api/users/:id", {
    config: { permission: "user.write" },
    schema: { tags, summary: "\u4FEE\u6539\u7528\u6237\uFF08\u59D3\u540D\u3001\u505C\u7528\uFF09", params: byId, body: UserUpdate, response: { 200: UserOut } }
  }, async (req) => svc.update(req, actorOf(req), req.params.id, req.body));
  r.post("/api/users/:id/reset-password", {
    config: { permission: "user.write" },
    schema: { tags, summary: "\u91CD\u7F6E\u4E3A\u521D\u59CB\u5BC6\u7801", params: byId, response: { 200: z13.object({ initialPassword: z13.string() }) } }
  }, async (req) => svc.resetPassword(req, actorOf(req), req.params.id));
  r.post("/api/users/:id/grants", {
    config: { permission: "user.write" },
    schema: { tags, summary: "\u6388\u4E88\u89D2\u8272\uFF08\u6309\u533A\u57DF/\u8054\u76DF/\u5B66\u6821\u8303\u56F4\uFF09", params: byId, body: GrantCreate, response: { 200: UserOut } }
  }, async (req) => svc.grant(req, actorOf(req), req.params.id, req.body));
  r.delete("/api/grants/:id", {
    config: { permission: "user.write" },
    schema: { tags, summary: "\u64A4\u9500\u89D2\u8272", params: byId, response: { 204: z13.null() } }
  }, async (req, reply) => {
    await svc.revoke(req, actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}

// src/server/modules/imports/routes.ts
import { z as z15 } from "zod";
init_schema();

// src/server/modules/imports/schema.ts
init_vocab();
init_schema();
import { z as z14 } from "zod";
var IMPORT_KINDS = ["schools", "users"];
var IMPORT_STATUS = ["previewed", "committed", "discarded"];
var IMPORT_ROLES = {
  terms: ROLES.terms.filter((t) => ROLE_SCOPE[t.code] === "school"),
  parse(input) {
    const code = ROLES.parse(input);
    return code && ROLE_SCOPE[code] === "school" ? code : void 0;
  }
};
var labels = (v) => v.terms.map((t) => t.zh).join("\u3001");
var COLUMNS = {
  schools: [
    { key: "code", label: "\u5B66\u6821\u6807\u8BC6\u7801", en: "School code", required: true, text: true, hint: "10 \u4F4D\u6570\u5B57\uFF08\u6559\u80B2\u90E8\u5B66\u6821\u6807\u8BC6\u7801\uFF09\uFF0C\u4E0D\u53EF\u4E0E\u5DF2\u6709\u5B66\u6821\u91CD\u590D", example: "3901029901" },
    { key: "name", label: "\u5B66\u6821\u540D\u79F0", en: "Name", required: true, hint: "2\u201360 \u4E2A\u5B57", example: "\u4E34\u5DDD\u5E02\u57CE\u4E1C\u533A\u793A\u4F8B\u5C0F\u5B66" },
    { key: "shortName", label: "\u5B66\u6821\u7B80\u79F0", en: "Short name", required: false, hint: "\u4E0D\u8D85\u8FC7 20 \u4E2A\u5B57", example: "\u57CE\u4E1C\u793A\u4F8B\u5C0F\u5B66" },
    { key: "creditCode", label: "\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801", en: "Credit code", required: false, text: true, hint: "18 \u4F4D\u6570\u5B57\u6216\u5927\u5199\u5B57\u6BCD\uFF08\u4E0D\u542B I\u3001O\u3001S\u3001V\u3001Z\uFF09\uFF0C\u4E0D\u53EF\u91CD\u590D", example: "12390102MB1234567X" },
    { key: "type", label: "\u5B66\u6821\u7C7B\u578B", en: "Type", required: true, vocab: SCHOOL_TYPES, hint: `\u53EF\u9009\uFF1A${labels(SCHOOL_TYPES)}`, example: "\u5C0F\u5B66" },
    { key: "ownership", label: "\u529E\u5B66\u6027\u8D28", en: "Ownership", required: true, vocab: OWNERSHIP, hint: `\u53EF\u9009\uFF1A${labels(OWNERSHIP)}`, example: "\u516C\u529E" },
    { key: "location", label: "\u6240\u5728\u5730\u7C7B\u578B", en: "Location", required: true, vocab: LOCATIONS, hint: `\u53EF\u9009\uFF1A${labels(LOCATIONS)}`, example: "\u57CE\u533A" },
    { key: "region", label: "\u6240\u5C5E\u533A\u57DF", en: "Region", required: false, hint: "\u533A\u57DF\u4EE3\u7801\u6216\u540D\u79F0\uFF0C\u987B\u5728\u5BFC\u5165\u65F6\u6240\u9009\u533A\u57DF\u4E4B\u5185\uFF1B\u7559\u7A7A\u5219\u4E3A\u6240\u9009\u533A\u57DF", example: "" },
    { key: "tags", label: "\u5B66\u6821\u6807\u7B7E", en: "Tags", required: false, vocab: SCHOOL_TAGS, multi: true, hint: `\u53EF\u591A\u9009\uFF0C\u7528\u201C\u3001\u201D\u5206\u9694\uFF1A${labels(SCHOOL_TAGS)}`, example: "\u65B0\u5EFA\u6821\u3001\u57CE\u90CA\u6821" },
    { key: "address", label: "\u5730\u5740", en: "Address", required: false, hint: "\u4E0D\u8D85\u8FC7 200 \u4E2A\u5B57", example: "\u4E34\u5DDD\u5E02\u57CE\u4E1C\u533A\u793A\u4F8B\u8DEF 1 \u53F7" },
    { key: "lat", label: "\u7EAC\u5EA6", en: "Latitude", required: false, hint: "-90 \u81F3 90 \u7684\u5C0F\u6570", example: 30.21 },
    { key: "lng", label: "\u7ECF\u5EA6", en: "Longitude", required: false, hint: "-180 \u81F3 180 \u7684\u5C0F\u6570", example: 117.52 },
    { key: "principal", label: "\u6821\u957F", en: "Principal", required: false, hint: "\u4E0D\u8D85\u8FC7 30 \u4E2A\u5B57", example: "\u674E\u660E" },
    { key: "phone", label: "\u8054\u7CFB\u7535\u8BDD", en: "Phone", required: false, text: true, hint: "5\u201320 \u4F4D\u6570\u5B57\uFF0C\u53EF\u542B +\u3001- \u548C\u7A7A\u683C", example: "0799-6123456" },
    { key: "foundedYear", label: "\u5EFA\u6821\u5E74\u4EFD", en: "Founded", required: false, hint: "1800\u20132100 \u7684\u6574\u6570", example: 2020 },
    { key: "students", label: "\u5728\u6821\u751F\u6570", en: "Students", required: false, hint: "0\u2013100000 \u7684\u6574\u6570\uFF0C\u7559\u7A7A\u4E3A 0", example: 860 },
    { key: "teachers", label: "\u6559\u804C\u5DE5\u6570", en: "Teachers", required: false, hint: "0\u201310000 \u7684\u6574\u6570\uFF0C\u7559\u7A7A\u4E3A 0", example: 52 },
    { key: "classes", label: "\u73ED\u7EA7\u6570", en: "Classes", required: false, hint: "0\u20132000 \u7684\u6574\u6570\uFF0C\u7559\u7A7A\u4E3A 0", example: 18 }
  ],
  users: [
    { key: "username", label: "\u7528\u6237\u540D", en: "Username", required: true, text: true, hint: "3\u201340 \u4F4D\u5B57\u6BCD\u3001\u6570\u5B57\u3001\u4E0B\u5212\u7EBF\u3001\u70B9\u6216\u8FDE\u5B57\u7B26\uFF0C\u4E0D\u53EF\u4E0E\u5DF2\u6709\u7528\u6237\u91CD\u590D", example: "zhang.wei01" },
    { key: "displayName", label: "\u59D3\u540D", en: "Name", required: true, hint: "2\u201330 \u4E2A\u5B57", example: "\u5F20\u4F1F" },
    { key: "role", label: "\u89D2\u8272", en: "Role", required: true, vocab: IMPORT_ROLES, hint: `\u53EF\u9009\uFF1A${labels(IMPORT_ROLES)}`, example: "\u6559\u5E08" },
    { key: "phone", label: "\u624B\u673A\u53F7", en: "Mobile", required: false, text: true, hint: "11 \u4F4D\u624B\u673A\u53F7\uFF0C\u4E0D\u53EF\u91CD\u590D", example: "13800138000" },
    { key: "email", label: "\u90AE\u7BB1", en: "Email", required: false, hint: "\u4E0D\u53EF\u91CD\u590D", example: "zhang.wei01@example.edu.cn" }
  ]
};
var KIND_NAMES = { schools: "\u5B66\u6821", users: "\u7528\u6237" };
var KindQuery = z14.strictObject({ kind: z14.enum(IMPORT_KINDS) });
var UploadQuery = z14.strictObject({ kind: z14.enum(IMPORT_KINDS), regionId: Id.optional(), schoolId: Id.optional() });
var ImportListQuery = z14.strictObject({ kind: z14.enum(IMPORT_KINDS).optional(), status: z14.enum(IMPORT_STATUS).optional(), ...Page });
var CommitBody = z14.strictObject({ onlyValid: z14.boolean().optional() }).nullish();
var CellValue = z14.union([z14.string(), z14.number(), z14.null()]);
var ImportRowOut = z14.object({
  row: z14.number().int(),
  valid: z14.boolean(),
  values: z14.record(z14.string(), CellValue),
  errors: z14.array(z14.object({ field: z14.string(), code: z14.string(), message: z14.string() }))
});
var ImportSummary = z14.object({
  id: z14.string(),
  kind: z14.enum(IMPORT_KINDS),
  status: z14.enum(IMPORT_STATUS),
  fileName: z14.string(),
  regionId: z14.string().nullable(),
  schoolId: z14.string().nullable(),
  total: z14.number().int(),
  validCount: z14.number().int(),
  invalidCount: z14.number().int(),
  importedCount: z14.number().int().nullable(),
  createdAt: z14.string(),
  createdBy: z14.string()
});
var ImportOut = ImportSummary.extend({
  columns: z14.array(z14.object({ key: z14.string(), label: z14.string() })),
  rows: z14.array(ImportRowOut),
  /** users only, in the commit response only: the one-time initial passwords */
  initialPasswords: z14.array(z14.object({ username: z14.string(), password: z14.string() })).optional()
});

// src/server/modules/imports/service.ts
init_db();
init_audit();
init_errors();
init_ids();
init_passwords();
init_policy();
init_vocab();
init_service();
init_service2();

// src/server/modules/imports/parse.ts
init_errors();
import ExcelJS2 from "exceljs";
var MAX_FILE_BYTES = 5 * 1024 * 1024;
var MAX_ROWS = 5e3;
var MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
var invalidFile = (reason) => badRequest([{ field: "file", code: "invalid", params: { reason } }], "invalid_file", { reason });
var isZip = (b) => b.length >= 4 && b[0] === 80 && b[1] === 75 && b[2] === 3 && b[3] === 4;
var isOle = (b) => b.length >= 4 && b[0] === 208 && b[1] === 207 && b[2] === 17 && b[3] === 224;
async function readTable(data, fileName) {
  if (data.length === 0) throw invalidFile("\u6587\u4EF6\u4E3A\u7A7A");
  if (isZip(data)) return readXlsx(data);
  if (isOle(data)) throw invalidFile("\u4E0D\u652F\u6301\u65E7\u7248 .xls \u683C\u5F0F\uFF0C\u8BF7\u5728 Excel \u4E2D\u53E6\u5B58\u4E3A .xlsx \u540E\u4E0A\u4F20");
  if (/\.xls[xm]?$/i.test(fileName)) throw invalidFile("\u6587\u4EF6\u6269\u5C55\u540D\u4E3A Excel\uFF0C\u4F46\u5185\u5BB9\u4E0D\u662F Excel \u5DE5\u4F5C\u7C3F");
  const text2 = decodeText(data);
  if (text2 == null) throw invalidFile("\u4E0D\u662F Excel \u5DE5\u4F5C\u7C3F\uFF08.xlsx\uFF09\u6216 CSV \u6587\u672C\u6587\u4EF6");
  return readCsv(text2);
}
function checkZip(b) {
  const min = Math.max(0, b.length - 65557);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (b.readUInt32LE(i) === 101010256) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalidFile("\u538B\u7F29\u5305\u4E0D\u5B8C\u6574\u6216\u5DF2\u635F\u574F");
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  let total = 0;
  let workbook = false;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 33639248) throw invalidFile("\u538B\u7F29\u5305\u4E0D\u5B8C\u6574\u6216\u5DF2\u635F\u574F");
    const size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    if (size === 4294967295) throw invalidFile("\u6587\u4EF6\u8FC7\u5927");
    total += size;
    if (total > MAX_UNZIPPED_BYTES) throw invalidFile("\u6587\u4EF6\u89E3\u538B\u540E\u8FC7\u5927");
    if (name === "xl/workbook.xml") workbook = true;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (!workbook) throw invalidFile("\u4E0D\u662F Excel \u5DE5\u4F5C\u7C3F\uFF08.xlsx\uFF09");
}
function cellOf(v) {
  if (v == null) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v;
    if (Array.isArray(o.richText)) return cellOf(o.richText.map((t) => t.text).join(""));
    if ("formula" in o || "sharedFormula" in o) return cellOf(o.result ?? null);
    if ("text" in o) return cellOf(o.text);
    if ("error" in o) return String(o.error);
  }
  return null;
}
async function readXlsx(data) {
  checkZip(data);
  const wb = new ExcelJS2.Workbook();
  try {
    await wb.xlsx.load(data);
  } catch {
    throw invalidFile("Excel \u6587\u4EF6\u5DF2\u635F\u574F\u6216\u65E0\u6CD5\u89E3\u6790");
  }
  const ws = wb.worksheets.find((w) => w.name.trim() !== "\u8BF4\u660E" && w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) throw invalidFile("\u5DE5\u4F5C\u7C3F\u4E2D\u6CA1\u6709\u5DE5\u4F5C\u8868");
  if (ws.actualRowCount > MAX_ROWS + 1) throw invalidFile(`\u6570\u636E\u8D85\u8FC7 ${MAX_ROWS} \u884C\uFF0C\u8BF7\u5206\u6279\u5BFC\u5165`);
  const width = ws.columnCount;
  const cellsOf = (r) => {
    const out = [];
    for (let c = 1; c <= width; c++) out.push(cellOf(r.getCell(c).value));
    return out;
  };
  const header = cellsOf(ws.getRow(1));
  const rows = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells = cellsOf(r);
    if (cells.some((c) => c != null)) rows.push({ row: n, cells });
  });
  return { format: "xlsx", header, rows };
}
function decodeText(b) {
  let text2;
  try {
    if (b[0] === 239 && b[1] === 187 && b[2] === 191) text2 = new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(3));
    else if (b[0] === 255 && b[1] === 254) text2 = new TextDecoder("utf-16le", { fatal: true }).decode(b.subarray(2));
    else if (b[0] === 254 && b[1] === 255) text2 = new TextDecoder("utf-16be", { fatal: true }).decode(b.subarray(2));
    else {
      if (b.includes(0)) return null;
      try {
        text2 = new TextDecoder("utf-8", { fatal: true }).decode(b);
      } catch {
        text2 = new TextDecoder("gbk", { fatal: true }).decode(b);
      }
    }
  } catch {
    return null;
  }
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/.test(text2)) return null;
  return text2;
}
function delimiterOf(text2) {
  const firstLine = text2.slice(0, Math.max(0, text2.search(/\r|\n/)) || text2.length);
  let best = ",";
  let most = 0;
  for (const d of [",", "	", ";"]) {
    const n = firstLine.split(d).length - 1;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}
function parseCsv(text2, delimiter = delimiterOf(text2)) {
  const records = [];
  let record = [];
  let field = "";
  let inQuotes = false;
  let fieldStart = true;
  const n = text2.length;
  for (let i = 0; i < n; i++) {
    const c = text2[i];
    if (inQuotes) {
      if (c === '"') {
        if (text2[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === delimiter) {
      record.push(field);
      field = "";
      fieldStart = true;
    } else if (c === "\r" || c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      fieldStart = true;
      if (c === "\r" && text2[i + 1] === "\n") i++;
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (inQuotes) return null;
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
function readCsv(text2) {
  const records = parseCsv(text2);
  if (!records) throw invalidFile("CSV \u4E2D\u6709\u672A\u95ED\u5408\u7684\u5F15\u53F7");
  if (records.length > MAX_ROWS + 1) throw invalidFile(`\u6570\u636E\u8D85\u8FC7 ${MAX_ROWS} \u884C\uFF0C\u8BF7\u5206\u6279\u5BFC\u5165`);
  const toCells = (r) => r.map((s) => s.trim() === "" ? null : s.trim());
  const header = toCells(records[0] ?? []);
  const rows = [];
  records.slice(1).forEach((r, i) => {
    const cells = toCells(r);
    if (cells.some((c) => c != null)) rows.push({ row: i + 2, cells });
  });
  return { format: "csv", header, rows };
}

// src/server/modules/imports/validate.ts
init_errors();
init_schema();
init_service2();
import { sql as sql10 } from "kysely";
var norm = (s) => s.replace(/[\s*＊:：]/g, "").replace(/[（(][^）)]*[）)]/g, "").toLowerCase();
function mapTable(kind, table) {
  const defs = COLUMNS[kind];
  const byName = /* @__PURE__ */ new Map();
  for (const d of defs) for (const n of [d.label, d.key, d.en]) byName.set(norm(n), d);
  const at = /* @__PURE__ */ new Map();
  table.header.forEach((h, i) => {
    if (h == null) return;
    const d = byName.get(norm(String(h)));
    if (!d) return;
    if (at.has(d.key)) throw invalidFile(`\u8868\u5934\u201C${d.label}\u201D\u51FA\u73B0\u4E86\u4E24\u6B21`);
    at.set(d.key, i);
  });
  const missing = defs.filter((d) => d.required && !at.has(d.key));
  if (at.size === 0) throw invalidFile(`\u7B2C 1 \u884C\u4E0D\u662F${kind === "schools" ? "\u5B66\u6821" : "\u7528\u6237"}\u5BFC\u5165\u6A21\u677F\u7684\u8868\u5934\uFF0C\u8BF7\u4F7F\u7528\u4E0B\u8F7D\u7684\u6A21\u677F`);
  if (missing.length) throw invalidFile(`\u7F3A\u5C11\u5FC5\u9700\u7684\u5217\uFF1A${missing.map((d) => d.label).join("\u3001")}`);
  if (table.rows.length === 0) throw invalidFile("\u6587\u4EF6\u4E2D\u6CA1\u6709\u6570\u636E\u884C");
  return table.rows.map((r) => {
    const values = {};
    for (const d of defs) values[d.key] = at.has(d.key) ? r.cells[at.get(d.key)] ?? null : null;
    return { row: r.row, values };
  });
}
function text(v) {
  if (v == null) return void 0;
  const s = typeof v === "number" ? Number.isInteger(v) ? v.toFixed(0) : String(v) : v.trim();
  return s === "" ? void 0 : s;
}
function number(v, key, errors, int) {
  if (v == null) return void 0;
  const n = typeof v === "number" ? v : Number(v.replace(/[,，\s]/g, ""));
  if (typeof v === "string" && v.trim() === "") return void 0;
  if (!Number.isFinite(n) || int && !Number.isInteger(n)) {
    errors.push({ field: key, code: "invalid_type", params: { expected: int ? "int" : "number" } });
    return void 0;
  }
  return n;
}
function vocabValue(d, v, errors) {
  const s = text(v);
  if (s === void 0) {
    if (d.required) errors.push({ field: d.key, code: "required" });
    return void 0;
  }
  const code = d.vocab.parse(s);
  if (!code) errors.push({ field: d.key, code: "invalid_value", params: { vocab: d.key } });
  return code;
}
function vocabList(d, v, errors) {
  const s = text(v);
  if (s === void 0) return void 0;
  const out = [];
  for (const part of s.split(/[、,，;；/\s]+/).filter(Boolean)) {
    const code = d.vocab.parse(part);
    if (!code) {
      errors.push({ field: d.key, code: "invalid_value", params: { vocab: d.key } });
      return void 0;
    }
    if (!out.includes(code)) out.push(code);
  }
  return out;
}
function addZodIssues(errors, issues, rename = {}) {
  const seen = new Set(errors.map((e) => e.field));
  for (const i of issues) {
    const head = String(i.path[0] ?? "");
    const key = rename[head] ?? head;
    if (seen.has(key)) continue;
    const mapped = zodIssueToField({ keyword: i.code, instancePath: "/" + key, params: i, message: i.message });
    for (const f of mapped) errors.push(f);
    seen.add(key);
  }
}
var inChunks = (xs, n = 500) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
function duplicatesInFile(rows, key, get) {
  const first = /* @__PURE__ */ new Map();
  for (const r of rows) {
    const v = get(r)?.toLowerCase();
    if (!v) continue;
    const prev = first.get(v);
    if (prev != null) {
      if (!r.errors.some((e) => e.field === key)) r.errors.push({ field: key, code: "duplicate_in_file", params: { row: prev } });
    } else first.set(v, r.row);
  }
}
async function existing(db, table, column, values) {
  const out = /* @__PURE__ */ new Set();
  const wanted = [...new Set(values.map((v) => v.toLowerCase()))];
  for (const chunk of inChunks(wanted)) {
    const res = await sql10`select ${sql10.ref(column)} as v from ${sql10.table(table)} where lower(${sql10.ref(column)}) in (${sql10.join(chunk)})`.execute(db);
    for (const r of res.rows) out.add(String(r.v).toLowerCase());
  }
  return out;
}
function duplicatesInDb(rows, key, get, found) {
  for (const r of rows) {
    const v = get(r)?.toLowerCase();
    if (v && found.has(v) && !r.errors.some((e) => e.field === key)) r.errors.push({ field: key, code: "duplicate" });
  }
}
function schoolInput(values, target, regions, errors) {
  const defs = Object.fromEntries(COLUMNS.schools.map((d) => [d.key, d]));
  let regionId = target.regionId;
  const regionText = text(values.region);
  if (regionText !== void 0) {
    const matches = regions.filter((r) => r.code === regionText || r.name === regionText || r.id === regionText);
    if (matches.length === 1) regionId = matches[0].id;
    else {
      regionId = void 0;
      errors.push(matches.length > 1 ? { field: "region", code: "invalid", params: { reason: "\u540D\u79F0\u5BF9\u5E94\u591A\u4E2A\u533A\u57DF\uFF0C\u8BF7\u586B\u5199\u533A\u57DF\u4EE3\u7801" } } : { field: "region", code: "not_found" });
    }
  }
  const creditCode2 = text(values.creditCode)?.toUpperCase();
  return {
    regionId,
    code: text(values.code),
    creditCode: creditCode2 ?? null,
    name: text(values.name),
    shortName: text(values.shortName) ?? null,
    type: vocabValue(defs.type, values.type ?? null, errors),
    ownership: vocabValue(defs.ownership, values.ownership ?? null, errors),
    location: vocabValue(defs.location, values.location ?? null, errors),
    tags: vocabList(defs.tags, values.tags ?? null, errors) ?? [],
    address: text(values.address) ?? null,
    lat: number(values.lat ?? null, "lat", errors, false) ?? null,
    lng: number(values.lng ?? null, "lng", errors, false) ?? null,
    principal: text(values.principal) ?? null,
    phone: text(values.phone) ?? null,
    foundedYear: number(values.foundedYear ?? null, "foundedYear", errors, true) ?? null,
    students: number(values.students ?? null, "students", errors, true),
    teachers: number(values.teachers ?? null, "teachers", errors, true),
    classes: number(values.classes ?? null, "classes", errors, true)
  };
}
async function checkSchools(db, target, regions, raw) {
  const rows = raw.map((r) => ({ row: r.row, values: r.values, errors: [] }));
  const parsed = /* @__PURE__ */ new Map();
  for (const r of rows) {
    const input = schoolInput(r.values, target, regions, r.errors);
    const res = SchoolCreate.safeParse(input);
    if (res.success) parsed.set(r.row, res.data);
    else addZodIssues(r.errors, res.error.issues, { regionId: "region" });
  }
  const code = (r) => text(r.values.code);
  const credit = (r) => text(r.values.creditCode);
  duplicatesInFile(rows, "code", code);
  duplicatesInFile(rows, "creditCode", credit);
  duplicatesInDb(rows, "code", code, await existing(db, "schools", "code", rows.map(code).filter((v) => !!v)));
  duplicatesInDb(rows, "creditCode", credit, await existing(db, "schools", "credit_code", rows.map(credit).filter((v) => !!v)));
  const valid = rows.filter((r) => r.errors.length === 0).map((r) => ({ row: r.row, input: parsed.get(r.row) }));
  return { rows, valid };
}
async function checkUsers(db, target, raw) {
  const defs = Object.fromEntries(COLUMNS.users.map((d) => [d.key, d]));
  const rows = raw.map((r) => ({ row: r.row, values: r.values, errors: [] }));
  const parsed = /* @__PURE__ */ new Map();
  for (const r of rows) {
    const role = vocabValue(defs.role, r.values.role ?? null, r.errors);
    const input = {
      username: text(r.values.username),
      displayName: text(r.values.displayName),
      schoolId: target.schoolId,
      email: text(r.values.email)?.toLowerCase() ?? null,
      phone: text(r.values.phone) ?? null
    };
    const res = UserCreate.safeParse(input);
    if (!res.success) addZodIssues(r.errors, res.error.issues);
    else if (role) parsed.set(r.row, { row: r.row, input: res.data, role });
  }
  const lower = (k) => (r) => text(r.values[k] ?? null)?.toLowerCase();
  for (const [key, column] of [["username", "username"], ["phone", "phone"], ["email", "email"]]) {
    duplicatesInFile(rows, key, lower(key));
    const vals = rows.map(lower(key)).filter((v) => !!v);
    duplicatesInDb(rows, key, lower(key), await existing(db, "users", column, vals));
  }
  const valid = rows.filter((r) => r.errors.length === 0).map((r) => parsed.get(r.row));
  return { rows, valid };
}

// src/server/modules/imports/service.ts
var tooLarge = () => new AppError(413, "payload_too_large", {}, [{ field: "file", code: "too_big", params: { max: "5 MB" } }]);
async function readLimited(stream, max) {
  const chunks = [];
  let size = 0;
  let over = false;
  for await (const chunk of stream) {
    if (over) continue;
    size += chunk.length;
    if (size > max) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  if (over || stream.truncated) throw tooLarge();
  return Buffer.concat(chunks);
}
async function receiveFile(req) {
  if (!req.isMultipart()) throw new AppError(415, "unsupported_media_type");
  let got = null;
  for await (const part of req.parts({ limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 5 } })) {
    if (part.type === "field") throw badRequest([{ field: part.fieldname, code: "unknown_field" }]);
    const file = part;
    if (file.fieldname !== "file" || got) {
      file.file.resume();
      throw badRequest([{ field: file.fieldname, code: "unknown_field" }]);
    }
    got = { name: safeFileName(file.filename || "upload"), data: await readLimited(file.file, MAX_FILE_BYTES) };
  }
  if (!got) throw badRequest([{ field: "file", code: "required" }]);
  return got;
}
async function mapLimit(xs, limit, fn) {
  const out = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}
var inChunks2 = (xs, n) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
var ImportService = class {
  constructor(database) {
    this.database = database;
  }
  database;
  get db() {
    return this.database.db;
  }
  // ---- scope -------------------------------------------------------------------------------------
  /**
   * Where the rows will go, if the actor may put them there: schools into a region of the bureau's scope,
   * users into a school the actor administers (school admin, or the bureau of the school's region).
   * Unknown or unreadable → 404; readable but not the actor's to change → 403.
   */
  async target(actor, q) {
    if (q.kind === "schools") {
      if (!q.regionId) throw badRequest([{ field: "query.regionId", code: "required" }]);
      const region = await this.db.selectFrom("regions").select("id").where("id", "=", q.regionId).executeTakeFirst();
      if (!region || !policy.readRegion(actor, region.id)) throw notFound("region");
      if (!policy.createSchool(actor, region.id)) throw forbidden();
      return { kind: "schools", regionId: region.id, schoolId: null };
    }
    if (!q.schoolId) throw badRequest([{ field: "query.schoolId", code: "required" }]);
    const school2 = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", q.schoolId).executeTakeFirst();
    if (!school2) throw notFound("school");
    const alliances = await this.db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", school2.id).where("status", "=", "active").execute();
    if (!policy.readSchool(actor, school2, alliances.map((a) => a.alliance_id))) throw notFound("school");
    if (!policy.manageUser(actor, { region_id: null, school_id: school2.id, school_region_id: school2.region_id })) throw forbidden();
    return { kind: "users", regionId: school2.region_id, schoolId: school2.id };
  }
  async regionsUnder(regionId) {
    const ids = [...await regionDescendants(this.db, [regionId])];
    return this.db.selectFrom("regions").select(["id", "code", "name"]).where("id", "in", ids).execute();
  }
  async check(db, target, raw) {
    if (target.kind === "schools") return checkSchools(db, target, await this.regionsUnder(target.regionId), raw);
    return checkUsers(db, target, raw);
  }
  visible(actor, i) {
    return actor.isPlatformAdmin || i.created_by === actor.userId || i.region_id != null && actor.bureauRegions.has(i.region_id) || i.school_id != null && actor.adminSchools.has(i.school_id);
  }
  async load(actor, id) {
    const row = await this.db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row || !this.visible(actor, row)) throw notFound("import");
    return row;
  }
  // ---- output ------------------------------------------------------------------------------------
  summary(i) {
    return {
      id: i.id,
      kind: i.kind,
      status: i.status,
      fileName: i.file_name,
      regionId: i.region_id,
      schoolId: i.school_id,
      total: i.valid_count + i.invalid_count,
      validCount: i.valid_count,
      invalidCount: i.invalid_count,
      importedCount: i.imported_count,
      createdAt: i.created_at,
      createdBy: i.created_by
    };
  }
  out(i, lang) {
    const kind = i.kind;
    const defs = COLUMNS[kind];
    const rows = fromJson(i.rows, []);
    return {
      ...this.summary(i),
      columns: defs.map((d) => ({ key: d.key, label: lang === "en" ? d.en : d.label })),
      rows: rows.map((r) => ({ row: r.row, valid: r.errors.length === 0, values: r.values, errors: r.errors.map((e) => localize(kind, e, lang)) }))
    };
  }
  // ---- operations --------------------------------------------------------------------------------
  async preview(req, actor, q) {
    const target = await this.target(actor, q);
    const upload = await receiveFile(req);
    const table = await readTable(upload.data, upload.name);
    const raw = mapTable(q.kind, table);
    const { rows } = await this.check(this.db, target, raw);
    const invalid = rows.filter((r) => r.errors.length > 0).length;
    const rec = {
      id: newId(),
      kind: q.kind,
      status: "previewed",
      file_name: upload.name,
      region_id: target.regionId,
      school_id: target.schoolId,
      rows: toJson(rows),
      valid_count: rows.length - invalid,
      invalid_count: invalid,
      imported_count: null,
      created_by: actor.userId,
      created_at: nowIso(),
      committed_at: null
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("imports").values(rec).execute();
      await audit(tx, req, {
        action: "import.preview",
        entityType: "import",
        entityId: rec.id,
        regionId: rec.region_id,
        schoolId: rec.school_id,
        detail: { kind: rec.kind, fileName: rec.file_name, format: table.format, total: rows.length, invalid }
      });
    });
    return this.out(rec, req.lang);
  }
  async list(actor, q) {
    let qb = this.db.selectFrom("imports as i");
    if (!actor.isPlatformAdmin) {
      qb = qb.where((eb) => {
        const ors = [eb("i.created_by", "=", actor.userId)];
        if (actor.bureauRegions.size) ors.push(eb("i.region_id", "in", [...actor.bureauRegions]));
        if (actor.adminSchools.size) ors.push(eb("i.school_id", "in", [...actor.adminSchools]));
        return eb.or(ors);
      });
    }
    if (q.kind) qb = qb.where("i.kind", "=", q.kind);
    if (q.status) qb = qb.where("i.status", "=", q.status);
    const { total } = await qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const rows = await qb.select(["i.id", "i.kind", "i.status", "i.file_name", "i.region_id", "i.school_id", "i.valid_count", "i.invalid_count", "i.imported_count", "i.created_by", "i.created_at", "i.committed_at"]).orderBy("i.created_at", "desc").orderBy("i.id", "desc").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    return { items: rows.map((r) => this.summary({ ...r, rows: "[]" })), total: Number(total), page: q.page, pageSize: q.pageSize };
  }
  async get(actor, id, lang) {
    return this.out(await this.load(actor, id), lang);
  }
  async discard(req, actor, id) {
    const imp = await this.load(actor, id);
    await this.target(actor, { kind: imp.kind, regionId: imp.region_id, schoolId: imp.school_id });
    await this.db.transaction().execute(async (tx) => {
      const res = await tx.updateTable("imports").set({ status: "discarded" }).where("id", "=", id).where("status", "=", "previewed").executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, "import_done");
      await audit(tx, req, { action: "import.discard", entityType: "import", entityId: id, regionId: imp.region_id, schoolId: imp.school_id, detail: { kind: imp.kind } });
    });
    return this.get(actor, id, req.lang);
  }
  /**
   * Imports the valid rows in one transaction. Refused while any row is invalid unless `onlyValid`.
   * The rows are checked again first: the database may have changed since the preview.
   */
  async commit(req, actor, id, onlyValid) {
    const imp = await this.load(actor, id);
    if (imp.status !== "previewed") throw new AppError(409, "import_done");
    const kind = imp.kind;
    const target = await this.target(actor, { kind, regionId: kind === "schools" ? imp.region_id : null, schoolId: imp.school_id });
    const stored = fromJson(imp.rows, []);
    if (imp.invalid_count > 0 && !onlyValid) throw hasInvalid(kind, stored, imp.invalid_count, req.lang);
    const checked = await this.check(this.db, target, stored.map((r) => ({ row: r.row, values: r.values })));
    const invalid = checked.rows.filter((r) => r.errors.length > 0).length;
    if (invalid !== imp.invalid_count) {
      await this.db.updateTable("imports").set({ rows: toJson(checked.rows), valid_count: checked.rows.length - invalid, invalid_count: invalid }).where("id", "=", id).where("status", "=", "previewed").execute();
    }
    if (invalid > 0 && !onlyValid || checked.valid.length === 0) throw hasInvalid(kind, checked.rows, invalid, req.lang);
    const passwords = kind === "users" ? await mapLimit(checked.valid, 4, async (u) => {
      const password = initialPassword();
      return { username: u.input.username, password, hash: await hashPassword(password) };
    }) : [];
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (tx) => {
        const claimed = await tx.updateTable("imports").set({ status: "committed", committed_at: now, imported_count: checked.valid.length, rows: toJson(checked.rows), valid_count: checked.rows.length - invalid, invalid_count: invalid }).where("id", "=", id).where("status", "=", "previewed").executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw new AppError(409, "import_done");
        if (kind === "schools") await this.insertSchools(tx, req, id, checked.valid, now);
        else await this.insertUsers(tx, req, actor, id, target, checked.valid, passwords, now);
        await audit(tx, req, {
          action: "import.commit",
          entityType: "import",
          entityId: id,
          regionId: imp.region_id,
          schoolId: imp.school_id,
          detail: { kind, fileName: imp.file_name, imported: checked.valid.length, skippedRows: checked.rows.filter((r) => r.errors.length).map((r) => r.row) }
        });
      });
    } catch (err) {
      if (kind === "schools") throw mapUnique(err);
      if (isUniqueViolation(err)) {
        const m = String(err.message);
        const field = /email/.test(m) ? "email" : /phone/.test(m) ? "phone" : "username";
        throw new AppError(409, "duplicate", { field: field === "username" ? "\u7528\u6237\u540D" : field === "email" ? "\u90AE\u7BB1" : "\u624B\u673A\u53F7" }, [{ field, code: "duplicate" }]);
      }
      throw err;
    }
    const out = await this.get(actor, id, req.lang);
    return kind === "users" ? { ...out, initialPasswords: passwords.map((p) => ({ username: p.username, password: p.password })) } : out;
  }
  /** The same rows and audit entries as SchoolService.create, in the import's transaction. */
  async insertSchools(tx, req, importId, valid, now) {
    const rows = valid.map((s) => toRow(newId(), s.input, now));
    for (const chunk of inChunks2(rows, 200)) await tx.insertInto("schools").values(chunk).execute();
    for (const s of rows) {
      await audit(tx, req, { action: "school.create", entityType: "school", entityId: s.id, regionId: s.region_id, schoolId: s.id, detail: { name: s.name, code: s.code, importId } });
    }
  }
  /** The same rows as UserService.create (initial password to change at first sign-in) plus the school role. */
  async insertUsers(tx, req, actor, importId, target, valid, passwords, now) {
    const hashOf = new Map(passwords.map((p) => [p.username, p.hash]));
    const users = valid.map(
      (u) => newUserRow({ id: newId(), ...u.input, passwordHash: hashOf.get(u.input.username), schoolId: target.schoolId, regionId: target.regionId }, now)
    );
    const grants = valid.map((u, i) => ({
      id: newId(),
      user_id: users[i].id,
      role: u.role,
      scope_type: ROLE_SCOPE[u.role],
      scope_id: target.schoolId,
      subject: null,
      granted_by: actor.userId,
      granted_at: now
    }));
    for (const chunk of inChunks2(users, 200)) await tx.insertInto("users").values(chunk).execute();
    for (const chunk of inChunks2(grants, 200)) await tx.insertInto("role_grants").values(chunk).execute();
    for (const [i, u] of users.entries()) {
      await audit(tx, req, {
        action: "user.create",
        entityType: "user",
        entityId: u.id,
        regionId: u.region_id,
        schoolId: u.school_id,
        detail: { username: u.username, displayName: u.display_name, role: grants[i].role, importId }
      });
    }
  }
};
function hasInvalid(kind, rows, count, lang) {
  const fields = [];
  for (const r of rows) {
    for (const e of r.errors) {
      if (fields.length >= 100) break;
      fields.push({ field: `rows.${r.row}.${e.field}`, code: e.code, params: localParams(kind, e, lang) });
    }
  }
  return new AppError(422, "import_has_invalid_rows", { count }, fields);
}
function localize(kind, e, lang) {
  return { field: e.field, code: e.code, message: fieldMessage(e.code, lang, localParams(kind, e, lang)) };
}
function localParams(kind, e, lang) {
  const params = { ...e.params ?? {} };
  const def = COLUMNS[kind].find((d) => d.key === e.field);
  if (e.code === "invalid_value" && def?.vocab) params.options = def.vocab.terms.map((t) => lang === "en" ? t.en : t.zh);
  return params;
}

// src/server/modules/imports/template.ts
import ExcelJS3 from "exceljs";
var TEMPLATE_ROWS = 1e3;
function colLetter(n) {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + (x - 1) % 26) + s;
  return s;
}
async function templateXlsx(kind) {
  const defs = COLUMNS[kind];
  const wb = new ExcelJS3.Workbook();
  wb.creator = "xiaolian";
  wb.created = /* @__PURE__ */ new Date();
  const ws = wb.addWorksheet(`${KIND_NAMES[kind]}\u5BFC\u5165`, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = defs.map((d) => ({ header: d.label, key: d.key, width: Math.max(12, d.label.length * 2 + 4) }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  defs.forEach((d, i) => {
    const cell = head.getCell(i + 1);
    if (d.required) cell.font = { bold: true, color: { argb: "FFC00000" } };
    cell.note = `${d.required ? "\u5FC5\u586B\u3002" : "\u9009\u586B\u3002"}${d.hint}`;
    const col = ws.getColumn(i + 1);
    if (d.text) col.numFmt = "@";
    if (d.vocab && !d.multi) {
      const list = d.vocab.terms.map((t) => t.zh).join(",");
      const letter = colLetter(i + 1);
      ws.dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
        type: "list",
        allowBlank: !d.required,
        formulae: [`"${list}"`],
        showErrorMessage: true,
        errorTitle: d.label,
        error: d.hint
      });
    }
  });
  const help = wb.addWorksheet("\u8BF4\u660E");
  help.columns = [
    { header: "\u5217\u540D", key: "label", width: 18 },
    { header: "\u662F\u5426\u5FC5\u586B", key: "required", width: 10 },
    { header: "\u586B\u5199\u8BF4\u660E / \u53EF\u9009\u503C", key: "hint", width: 70 },
    { header: "\u793A\u4F8B", key: "example", width: 30 }
  ];
  help.getRow(1).font = { bold: true };
  for (const d of defs) help.addRow({ label: d.label, required: d.required ? "\u5FC5\u586B" : "\u9009\u586B", hint: d.hint, example: d.example });
  help.addRow({});
  help.addRow({ label: "\u6CE8\u610F", hint: "\u7B2C 1 \u884C\u4E3A\u8868\u5934\uFF0C\u8BF7\u52FF\u4FEE\u6539\uFF1B\u6570\u636E\u4ECE\u7B2C 2 \u884C\u5F00\u59CB\u3002\u4E5F\u53EF\u53E6\u5B58\u4E3A CSV\uFF08UTF-8 \u6216 GBK \u7F16\u7801\uFF09\u4E0A\u4F20\u3002\u5355\u4E2A\u6587\u4EF6\u4E0D\u8D85\u8FC7 5 MB\u30015000 \u884C\u3002" });
  help.addRow({ label: "", hint: "\u4E0A\u4F20\u540E\u5148\u9884\u89C8\uFF0C\u6709\u9519\u8BEF\u7684\u884C\u4F1A\u6807\u51FA\u884C\u53F7\u3001\u5217\u548C\u539F\u56E0\uFF1B\u5168\u90E8\u6B63\u786E\u624D\u4F1A\u5BFC\u5165\uFF0C\u6216\u660E\u786E\u9009\u62E9\u201C\u4EC5\u5BFC\u5165\u6709\u6548\u884C\u201D\u3002" });
  if (kind === "users") help.addRow({ label: "", hint: "\u5BFC\u5165\u7684\u8D26\u53F7\u4F1A\u751F\u6210\u4E00\u6B21\u6027\u521D\u59CB\u5BC6\u7801\uFF08\u4EC5\u5728\u786E\u8BA4\u5BFC\u5165\u540E\u663E\u793A\u4E00\u6B21\uFF09\uFF0C\u9996\u6B21\u767B\u5F55\u987B\u4FEE\u6539\u5BC6\u7801\u3002" });
  help.addRow({});
  const exStart = help.rowCount + 1;
  help.getCell(`A${exStart}`).value = "\u793A\u4F8B\u884C\uFF08\u8BF7\u52FF\u628A\u672C\u884C\u590D\u5236\u5230\u7B2C 1 \u4E2A\u5DE5\u4F5C\u8868\u4EE5\u5916\u7684\u4F4D\u7F6E\uFF09";
  help.getCell(`A${exStart}`).font = { bold: true };
  const exHead = help.getRow(exStart + 1);
  const exRow = help.getRow(exStart + 2);
  defs.forEach((d, i) => {
    exHead.getCell(i + 1).value = d.label;
    exRow.getCell(i + 1).value = d.example === "" ? null : d.example;
  });
  exHead.font = { bold: true };
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { buf, fileName: `${KIND_NAMES[kind]}\u5BFC\u5165\u6A21\u677F.xlsx` };
}

// src/server/modules/imports/routes.ts
async function importRoutes(app, ctx) {
  const svc = new ImportService(ctx.database);
  const r = zapp(app);
  const tags = ["\u6279\u91CF\u5BFC\u5165 imports"];
  const byId = z15.object({ id: Id });
  r.get("/api/imports/template", {
    config: { permission: "import.run" },
    schema: { tags, summary: "\u4E0B\u8F7D\u5BFC\u5165\u6A21\u677F\uFF08.xlsx\uFF1A\u8868\u5934 + \u201C\u8BF4\u660E\u201D\u5DE5\u4F5C\u8868\uFF09", querystring: KindQuery }
  }, async (req, reply) => {
    const { buf, fileName } = await templateXlsx(req.query.kind);
    return reply.header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").header("content-disposition", `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`).send(buf);
  });
  r.post("/api/imports", {
    config: { permission: "import.run" },
    schema: {
      tags,
      summary: "\u4E0A\u4F20 .xlsx / .csv \u5E76\u9884\u89C8\uFF08multipart\uFF0C\u5B57\u6BB5 file\uFF0C\u2264 5 MB\uFF09\uFF1B\u5B66\u6821\u5BFC\u5165\u987B\u7ED9 regionId\uFF0C\u7528\u6237\u5BFC\u5165\u987B\u7ED9 schoolId",
      querystring: UploadQuery,
      consumes: ["multipart/form-data"],
      response: { 201: ImportOut }
    }
  }, async (req, reply) => reply.code(201).send(await svc.preview(req, actorOf(req), req.query)));
  r.get("/api/imports", {
    config: { permission: "import.run" },
    schema: { tags, summary: "\u5BFC\u5165\u6279\u6B21\u5217\u8868", querystring: ImportListQuery, response: { 200: paginated(ImportSummary) } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/imports/:id", {
    config: { permission: "import.run" },
    schema: { tags, summary: "\u5BFC\u5165\u6279\u6B21\u8BE6\u60C5\uFF08\u542B\u9010\u884C\u6821\u9A8C\u7ED3\u679C\uFF09", params: byId, response: { 200: ImportOut } }
  }, async (req) => svc.get(actorOf(req), req.params.id, req.lang));
  r.post("/api/imports/:id/commit", {
    config: { permission: "import.run" },
    schema: {
      tags,
      summary: "\u786E\u8BA4\u5BFC\u5165\uFF08\u6709\u65E0\u6548\u884C\u65F6\u987B onlyValid: true \u624D\u53EA\u5BFC\u5165\u6709\u6548\u884C\uFF1B\u5168\u90E8\u5728\u4E00\u4E2A\u4E8B\u52A1\u4E2D\uFF09",
      params: byId,
      body: CommitBody,
      response: { 200: ImportOut }
    }
  }, async (req) => svc.commit(req, actorOf(req), req.params.id, req.body?.onlyValid === true));
  r.post("/api/imports/:id/discard", {
    config: { permission: "import.run" },
    schema: { tags, summary: "\u653E\u5F03\u8BE5\u6279\u6B21", params: byId, response: { 200: ImportOut } }
  }, async (req) => svc.discard(req, actorOf(req), req.params.id));
}

// src/server/modules/facilities/routes.ts
import { z as z17 } from "zod";
init_idempotency();

// src/server/modules/facilities/schema.ts
init_facilities();
init_vocab();
init_schema();
import { z as z16 } from "zod";
var Instant = z16.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/).refine((s) => !Number.isNaN(Date.parse(s)), "invalid instant");
var Hm = z16.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
var OpenHourIn = z16.strictObject({ weekday: z16.number().int().min(1).max(7), open: Hm, close: Hm }).refine((h) => h.open < h.close, { message: "open < close", path: ["close"] });
var OpenHoursPut = z16.strictObject({ hours: z16.array(OpenHourIn).max(50) });
var Text = (max) => z16.string().trim().max(max);
var PolicyFields = {
  policy: z16.enum(BOOKING_POLICIES.codes),
  minMinutes: z16.number().int().min(5).max(24 * 60),
  maxMinutes: z16.number().int().min(5).max(24 * 60),
  minNoticeHours: z16.number().int().min(0).max(24 * 60),
  maxDaysAhead: z16.number().int().min(1).max(400),
  bufferMinutes: z16.number().int().min(0).max(240),
  weeklyQuotaHours: z16.number().int().min(1).max(168).nullable(),
  cancelDeadlineHours: z16.number().int().min(0).max(24 * 30)
};
var FacilityFields = {
  type: z16.enum(FACILITY_TYPES.codes),
  subject: z16.enum(SUBJECTS.codes).nullable(),
  name: Text(60).min(2),
  capacity: z16.number().int().min(0).max(1e5),
  location: Text(100).nullable(),
  photos: z16.array(z16.string().max(300)).max(20),
  equipmentText: Text(4e3).nullable(),
  safetyRules: Text(4e3).nullable(),
  responsibilityTerms: Text(4e3).nullable(),
  communityOpen: z16.boolean(),
  status: z16.enum(FACILITY_STATUSES.codes),
  ...PolicyFields
};
var opt = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.optional()]));
var FacilityCreate = z16.strictObject({
  /** owner: a school, or a partner (community venue) */
  schoolId: Id.optional(),
  partnerId: Id.optional(),
  ...opt(FacilityFields),
  type: FacilityFields.type,
  name: FacilityFields.name,
  capacity: FacilityFields.capacity,
  openHours: z16.array(OpenHourIn).max(50).optional()
});
var FacilityUpdate = z16.strictObject(opt(FacilityFields));
var FacilityQuery = z16.strictObject({
  type: z16.enum(FACILITY_TYPES.codes).optional(),
  subject: z16.enum(SUBJECTS.codes).optional(),
  schoolId: Id.optional(),
  partnerId: Id.optional(),
  allianceId: Id.optional(),
  q: z16.string().trim().max(60).optional(),
  communityOpen: z16.enum(["1", "0"]).optional(),
  freeFrom: Instant.optional(),
  freeTo: Instant.optional(),
  nearSchoolId: Id.optional(),
  ...Page
});
var FacilitySummary = z16.object({
  id: z16.string(),
  name: z16.string(),
  type: z16.string(),
  subject: z16.string().nullable(),
  capacity: z16.number(),
  location: z16.string().nullable(),
  schoolId: z16.string().nullable(),
  schoolName: z16.string().nullable(),
  partnerId: z16.string().nullable(),
  partnerName: z16.string().nullable(),
  regionId: z16.string(),
  policy: z16.string(),
  communityOpen: z16.boolean(),
  status: z16.string(),
  distanceKm: z16.number().nullable()
});
var OpenHourOut = z16.object({ weekday: z16.number(), open: z16.string(), close: z16.string() });
var ClosureOut = z16.object({
  id: z16.string(),
  facilityId: z16.string().nullable(),
  schoolId: z16.string().nullable(),
  startDate: z16.string(),
  endDate: z16.string(),
  kind: z16.string(),
  reason: z16.string().nullable()
});
var EquipmentOut = z16.object({
  id: z16.string(),
  facilityId: z16.string().nullable(),
  type: z16.string(),
  name: z16.string(),
  quantity: z16.number(),
  status: z16.string(),
  usage: z16.string(),
  note: z16.string().nullable()
});
var FacilityDetail = FacilitySummary.extend({
  photos: z16.array(z16.string()),
  equipmentText: z16.string().nullable(),
  safetyRules: z16.string().nullable(),
  responsibilityTerms: z16.string().nullable(),
  minMinutes: z16.number(),
  maxMinutes: z16.number(),
  minNoticeHours: z16.number(),
  maxDaysAhead: z16.number(),
  bufferMinutes: z16.number(),
  weeklyQuotaHours: z16.number().nullable(),
  cancelDeadlineHours: z16.number(),
  openHours: z16.array(OpenHourOut),
  closures: z16.array(ClosureOut),
  equipment: z16.array(EquipmentOut),
  /** alliances of the owner (the booker chooses one of those shared with the own school) */
  alliances: z16.array(z16.object({ id: z16.string(), name: z16.string() })),
  canManage: z16.boolean(),
  createdAt: z16.string(),
  updatedAt: z16.string()
});
var EquipmentCreate = z16.strictObject({
  type: Text(40).min(1),
  name: Text(60).min(1),
  quantity: z16.number().int().min(0).max(1e5),
  status: z16.enum(EQUIPMENT_STATUSES.codes).default("available"),
  usage: z16.enum(EQUIPMENT_USAGE.codes).default("onsite"),
  note: Text(500).nullable().optional()
});
var EquipmentUpdate = z16.strictObject(opt({
  type: Text(40).min(1),
  name: Text(60).min(1),
  quantity: z16.number().int().min(0).max(1e5),
  status: z16.enum(EQUIPMENT_STATUSES.codes),
  usage: z16.enum(EQUIPMENT_USAGE.codes),
  note: Text(500).nullable()
}));
var ClosureCreate = z16.strictObject({
  startDate: DateStr,
  endDate: DateStr,
  kind: z16.enum(CLOSURE_KINDS.codes),
  reason: Text(200).nullable().optional()
});
var TermCreate = z16.strictObject({ name: Text(40).min(2), startDate: DateStr, endDate: DateStr });
var TermOut = z16.object({ id: z16.string(), schoolId: z16.string(), name: z16.string(), startDate: z16.string(), endDate: z16.string() });
var KitCreate = z16.strictObject({ kind: z16.enum(["mobile_lab", "mobile_sports_kit"]), name: Text(60).min(2), description: Text(1e3).nullable().optional() });
var RotationCreate = z16.strictObject({ schoolId: Id, fromDate: DateStr, toDate: DateStr, note: Text(200).nullable().optional() });
var RotationOut = z16.object({ id: z16.string(), kitId: z16.string(), schoolId: z16.string(), schoolName: z16.string(), fromDate: z16.string(), toDate: z16.string(), note: z16.string().nullable() });
var KitOut = z16.object({
  id: z16.string(),
  allianceId: z16.string(),
  kind: z16.string(),
  name: z16.string(),
  description: z16.string().nullable(),
  rotations: z16.array(RotationOut),
  /** where the kit is today */
  currentSchoolId: z16.string().nullable()
});
var EquipmentRequest = z16.strictObject({ equipmentId: Id, quantity: z16.number().int().min(1).max(1e4) });
var BookingCore = {
  facilityId: Id,
  allianceId: Id.nullable().optional(),
  start: Instant,
  end: Instant,
  recurrence: z16.strictObject({ until: DateStr }).optional()
};
var BookingPreview = z16.strictObject({ ...BookingCore, groupSize: z16.number().int().min(1).max(1e5).optional() });
var BookingCreate = z16.strictObject({
  ...BookingCore,
  purpose: Text(200).min(1),
  groupSize: z16.number().int().min(1).max(1e5),
  responsibleTeacher: Text(30).min(1),
  acceptTerms: z16.boolean(),
  mode: z16.enum(["all_free", "all_or_nothing"]).default("all_or_nothing"),
  equipment: z16.array(EquipmentRequest).max(20).default([])
});
var QuoteOut = z16.object({
  amount: z16.number(),
  hours: z16.number(),
  peakHours: z16.number(),
  free: z16.boolean(),
  reason: z16.string(),
  ratePerHour: z16.number(),
  peakRatePerHour: z16.number()
});
var OccurrenceOut = z16.object({
  start: z16.string(),
  end: z16.string(),
  status: z16.enum(OCCURRENCE_STATUSES.codes),
  clash: z16.object({ bookingId: z16.string(), start: z16.string(), end: z16.string() }).nullable(),
  closure: z16.object({ kind: z16.string(), reason: z16.string().nullable(), startDate: z16.string(), endDate: z16.string() }).nullable()
});
var PreviewOut = z16.object({
  occurrences: z16.array(OccurrenceOut),
  free: z16.number(),
  allianceId: z16.string().nullable(),
  quote: QuoteOut.nullable(),
  policy: z16.string(),
  terms: z16.object({ safetyRules: z16.string().nullable(), responsibilityTerms: z16.string().nullable() })
});
var LoanOut = z16.object({
  id: z16.string(),
  equipmentId: z16.string(),
  equipmentName: z16.string(),
  bookingId: z16.string().nullable(),
  quantity: z16.number(),
  from: z16.string(),
  to: z16.string(),
  status: z16.enum(LOAN_STATUSES.codes)
});
var BookingOut = z16.object({
  id: z16.string(),
  facilityId: z16.string(),
  facilityName: z16.string(),
  facilityType: z16.string(),
  hostSchoolId: z16.string().nullable(),
  hostPartnerId: z16.string().nullable(),
  allianceId: z16.string().nullable(),
  bookerId: z16.string(),
  bookerName: z16.string(),
  bookerSchoolId: z16.string().nullable(),
  seriesId: z16.string().nullable(),
  start: z16.string(),
  end: z16.string(),
  purpose: z16.string(),
  groupSize: z16.number(),
  responsibleTeacher: z16.string(),
  status: z16.enum(BOOKING_STATUSES.codes),
  decidedAt: z16.string().nullable(),
  decisionReason: z16.string().nullable(),
  checkedInAt: z16.string().nullable(),
  cancelledAt: z16.string().nullable(),
  chargeAmount: z16.number(),
  createdAt: z16.string()
});
var BookingDetail = BookingOut.extend({ loans: z16.array(LoanOut) });
var BookingCreated = z16.object({
  series: z16.object({ id: z16.string(), until: z16.string(), mode: z16.string() }).nullable(),
  bookings: z16.array(BookingOut),
  /** occurrences left out (all_free) */
  skipped: z16.array(OccurrenceOut)
});
var BookingListQuery = z16.strictObject({
  scope: z16.enum(["mine", "school", "facility"]).default("mine"),
  facilityId: Id.optional(),
  schoolId: Id.optional(),
  status: z16.enum(BOOKING_STATUSES.codes).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  ...Page,
  pageSize: z16.coerce.number().int().min(1).max(500).default(50)
});
var DecideBody = z16.strictObject({ reason: Text(200).min(1).optional() });
var RejectBody = z16.strictObject({ reason: Text(200).min(1) });
var AvailabilityQuery = z16.strictObject({ from: Instant, to: Instant });
var AvailabilityOut = z16.object({
  facilityId: z16.string(),
  busy: z16.array(z16.object({ bookingId: z16.string(), start: z16.string(), end: z16.string(), status: z16.string(), mine: z16.boolean() })),
  openHours: z16.array(OpenHourOut),
  closures: z16.array(ClosureOut),
  bufferMinutes: z16.number()
});
var WaitlistCreate = z16.strictObject({
  facilityId: Id,
  allianceId: Id.nullable().optional(),
  start: Instant,
  end: Instant,
  purpose: Text(200).min(1),
  groupSize: z16.number().int().min(1).max(1e5),
  responsibleTeacher: Text(30).min(1)
});
var WaitlistOut = z16.object({
  id: z16.string(),
  facilityId: z16.string(),
  facilityName: z16.string(),
  start: z16.string(),
  end: z16.string(),
  status: z16.enum(WAITLIST_STATUSES.codes),
  offerExpiresAt: z16.string().nullable(),
  bookingId: z16.string().nullable(),
  position: z16.number().nullable(),
  createdAt: z16.string()
});
var WaitlistAccept = z16.strictObject({ acceptTerms: z16.boolean() });
var LoanCreate = z16.strictObject({ quantity: z16.number().int().min(1).max(1e4), from: Instant, to: Instant });
var CalendarTokenCreate = z16.strictObject({ kind: z16.enum(["facility", "school", "teacher"]), id: Id });
var CalendarTokenOut = z16.object({ url: z16.string(), kind: z16.string(), id: z16.string() });

// src/server/modules/facilities/service.ts
init_db();
init_audit();
init_errors();
init_ids();
init_policy();
init_facilities();
var partnerAlliancesOf = (actor) => actor.grants.filter((g) => g.role === "partner" && g.scopeId).map((g) => g.scopeId);
var isGuardian = (actor) => actor.grants.some((g) => g.role === "guardian");
function toSummary2(r, distanceKm = null) {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    subject: r.subject,
    capacity: r.capacity,
    location: r.location,
    schoolId: r.school_id,
    schoolName: r.school_name,
    partnerId: r.partner_id,
    partnerName: r.partner_name,
    regionId: r.region_id,
    policy: r.policy,
    communityOpen: r.community_open === 1,
    status: r.status,
    distanceKm: distanceKm == null ? null : Math.round(distanceKm * 10) / 10
  };
}
var closureOut = (c) => ({
  id: c.id,
  facilityId: c.facility_id,
  schoolId: c.school_id,
  startDate: c.start_date,
  endDate: c.end_date,
  kind: c.kind,
  reason: c.reason
});
var equipmentOut = (e) => ({
  id: e.id,
  facilityId: e.facility_id,
  type: e.type,
  name: e.name,
  quantity: e.quantity,
  status: e.status,
  usage: e.usage,
  note: e.note
});
var FacilityService = class {
  constructor(database) {
    this.database = database;
  }
  database;
  get db() {
    return this.database.db;
  }
  // ---- access ---------------------------------------------------------------------------------
  /** Alliances of the owner: the owner school's active memberships, or the alliances a partner works with. */
  async ownerAlliances(db, f) {
    if (f.school_id) {
      const rows2 = await db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", f.school_id).where("status", "=", "active").execute();
      return rows2.map((r) => r.alliance_id);
    }
    const rows = await db.selectFrom("alliance_partners").select("alliance_id").where("partner_id", "=", f.partner_id).execute();
    return rows.map((r) => r.alliance_id);
  }
  canSee(actor, f, ownerAlliances) {
    return actor.isPlatformAdmin || actor.readRegions.has(f.region_id) || f.school_id != null && actor.schools.has(f.school_id) || ownerAlliances.some((a) => actor.memberAlliances.has(a)) || f.community_open === 1 && isGuardian(actor) && actor.homeRegionChain.has(f.region_id);
  }
  canManage(actor, f, ownerAlliances) {
    if (actor.isPlatformAdmin || actor.bureauRegions.has(f.region_id)) return true;
    if (f.school_id) return actor.adminSchools.has(f.school_id);
    const mine = partnerAlliancesOf(actor);
    return ownerAlliances.some((a) => mine.includes(a));
  }
  /** The facility if the actor may see it, with its owner's alliances; "not found" otherwise. */
  async getVisible(actor, id, db = this.db) {
    const row = await db.selectFrom("facilities").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("facility");
    const alliances = await this.ownerAlliances(db, row);
    if (!this.canSee(actor, row, alliances)) throw notFound("facility");
    return { row, alliances };
  }
  async getManageable(actor, id, db = this.db) {
    const v = await this.getVisible(actor, id, db);
    if (!this.canManage(actor, v.row, v.alliances)) throw forbidden();
    return v;
  }
  /** Restricts `facilities as f` to what the actor may see. */
  scope(actor) {
    return (eb) => {
      const ors = [];
      if (actor.readRegions.size) ors.push(eb("f.region_id", "in", [...actor.readRegions]));
      if (actor.schools.size) ors.push(eb("f.school_id", "in", [...actor.schools]));
      if (actor.memberAlliances.size) {
        const al = [...actor.memberAlliances];
        ors.push(eb("f.school_id", "in", eb.selectFrom("alliance_members as m").select("m.school_id").where("m.alliance_id", "in", al).where("m.status", "=", "active")));
        ors.push(eb("f.partner_id", "in", eb.selectFrom("alliance_partners as ap").select("ap.partner_id").where("ap.alliance_id", "in", al)));
      }
      if (isGuardian(actor) && actor.homeRegionChain.size) {
        ors.push(eb.and([eb("f.community_open", "=", 1), eb("f.region_id", "in", [...actor.homeRegionChain])]));
      }
      return ors.length ? eb.or(ors) : eb.lit(false);
    };
  }
  // ---- list & detail ---------------------------------------------------------------------------
  async list(actor, q) {
    let qb = this.db.selectFrom("facilities as f").leftJoin("schools as s", "s.id", "f.school_id").leftJoin("partners as p", "p.id", "f.partner_id");
    if (!actor.isPlatformAdmin) qb = qb.where(this.scope(actor));
    if (q.type) qb = qb.where("f.type", "=", q.type);
    if (q.subject) qb = qb.where("f.subject", "=", q.subject);
    if (q.schoolId) qb = qb.where("f.school_id", "=", q.schoolId);
    if (q.partnerId) qb = qb.where("f.partner_id", "=", q.partnerId);
    if (q.communityOpen) qb = qb.where("f.community_open", "=", Number(q.communityOpen));
    if (q.allianceId) {
      const aid = q.allianceId;
      qb = qb.where((eb) => eb.or([
        eb("f.school_id", "in", eb.selectFrom("alliance_members as m").select("m.school_id").where("m.alliance_id", "=", aid).where("m.status", "=", "active")),
        eb("f.partner_id", "in", eb.selectFrom("alliance_partners as ap").select("ap.partner_id").where("ap.alliance_id", "=", aid))
      ]));
    }
    if (q.q) {
      const text2 = q.q;
      qb = qb.where((eb) => eb.or([containsText(this.database.dialect, "f.name", text2), containsText(this.database.dialect, "f.location", text2)]));
    }
    if (q.freeFrom || q.freeTo) {
      if (!q.freeFrom || !q.freeTo) throw badRequest([{ field: q.freeFrom ? "query.freeTo" : "query.freeFrom", code: "required" }]);
      const from = Date.parse(q.freeFrom);
      const to = Date.parse(q.freeTo);
      if (!(to > from)) throw badRequest([{ field: "query.freeTo", code: "end_before_start" }]);
      const s = localParts(from);
      const e = localParts(to);
      const endHm = e.date === s.date ? formatHm(e.minutes) : "24:00";
      qb = qb.where("f.status", "=", "active").where((eb) => eb.not(eb.exists(eb.selectFrom("bookings as b").select("b.id").whereRef("b.facility_id", "=", "f.id").where("b.status", "in", HOLDING_STATUSES).where("b.start_ms", "<", to).where("b.block_end_ms", ">", from)))).where((eb) => eb.not(eb.exists(eb.selectFrom("closures as c").select("c.id").where((w) => w.or([w("c.facility_id", "=", w.ref("f.id")), w("c.school_id", "=", w.ref("f.school_id"))])).where("c.start_date", "<=", localParts(to - 1).date).where("c.end_date", ">=", s.date)))).where((eb) => eb.exists(eb.selectFrom("facility_open_hours as h").select("h.id").whereRef("h.facility_id", "=", "f.id").where("h.weekday", "=", s.weekday).where("h.open", "<=", formatHm(s.minutes)).where("h.close", ">=", endHm)));
    }
    const cols = qb.selectAll("f").select(["s.name as school_name", "p.name as partner_name", "s.lat", "s.lng"]);
    if (q.nearSchoolId) {
      const near = await this.db.selectFrom("schools").select(["lat", "lng"]).where("id", "=", q.nearSchoolId).executeTakeFirst();
      if (!near) throw badRequest([{ field: "query.nearSchoolId", code: "not_found" }]);
      const rows2 = await cols.execute();
      const withD = rows2.map((r) => ({
        r,
        d: near.lat != null && near.lng != null && r.lat != null && r.lng != null ? haversineKm(near.lat, near.lng, r.lat, r.lng) : null
      }));
      withD.sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || a.r.name.localeCompare(b.r.name));
      const page = withD.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      return { items: page.map((x) => toSummary2(x.r, x.d)), total: rows2.length, page: q.page, pageSize: q.pageSize };
    }
    const [{ total }, rows] = await Promise.all([
      qb.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow(),
      cols.orderBy("f.region_id").orderBy("f.school_id").orderBy("f.name").orderBy("f.id").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()
    ]);
    return { items: rows.map((r) => toSummary2(r)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }
  async openHours(db, facilityId) {
    const rows = await db.selectFrom("facility_open_hours").select(["weekday", "open", "close"]).where("facility_id", "=", facilityId).orderBy("weekday").orderBy("open").execute();
    return rows;
  }
  /** Closures of the facility and of its school that end on or after `fromDate`. */
  async closures(db, f, fromDate, toDate) {
    let qb = db.selectFrom("closures").selectAll().where((eb) => {
      const ors = [eb("facility_id", "=", f.id)];
      if (f.school_id) ors.push(eb("school_id", "=", f.school_id));
      return eb.or(ors);
    }).where("end_date", ">=", fromDate);
    if (toDate) qb = qb.where("start_date", "<=", toDate);
    return qb.orderBy("start_date").execute();
  }
  async detail(actor, id) {
    const { row, alliances } = await this.getVisible(actor, id);
    const [names, hours2, closures, equipment, allianceRows] = await Promise.all([
      this.db.selectFrom("facilities as f").leftJoin("schools as s", "s.id", "f.school_id").leftJoin("partners as p", "p.id", "f.partner_id").select(["s.name as school_name", "p.name as partner_name", "s.lat", "s.lng"]).where("f.id", "=", id).executeTakeFirstOrThrow(),
      this.openHours(this.db, id),
      this.closures(this.db, row, todayIn()),
      this.db.selectFrom("equipment").selectAll().where("facility_id", "=", id).orderBy("name").execute(),
      alliances.length ? this.db.selectFrom("alliances").select(["id", "name"]).where("id", "in", alliances).orderBy("id").execute() : Promise.resolve([])
    ]);
    return {
      ...toSummary2({ ...row, ...names }),
      photos: fromJson(row.photos, []),
      equipmentText: row.equipment_text,
      safetyRules: row.safety_rules,
      responsibilityTerms: row.responsibility_terms,
      minMinutes: row.min_minutes,
      maxMinutes: row.max_minutes,
      minNoticeHours: row.min_notice_hours,
      maxDaysAhead: row.max_days_ahead,
      bufferMinutes: row.buffer_minutes,
      weeklyQuotaHours: row.weekly_quota_hours,
      cancelDeadlineHours: row.cancel_deadline_hours,
      openHours: hours2,
      closures: closures.map(closureOut),
      equipment: equipment.map(equipmentOut),
      alliances: allianceRows,
      canManage: this.canManage(actor, row, alliances),
      createdAt: row.created_at,
      updatedAt: row.updated_at
    };
  }
  // ---- create & update -------------------------------------------------------------------------
  async create(req, actor, input) {
    if (input.schoolId == null === (input.partnerId == null)) {
      throw badRequest([{ field: input.schoolId ? "partnerId" : "schoolId", code: "invalid", params: { reason: "\u8BF7\u6307\u5B9A\u6240\u5C5E\u5B66\u6821\u6216\u5408\u4F5C\u65B9\u4E4B\u4E00 / give exactly one owner" } }]);
    }
    let regionId;
    let ownerAlliances;
    if (input.schoolId) {
      const school2 = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", input.schoolId).executeTakeFirst();
      if (!school2) throw badRequest([{ field: "schoolId", code: "not_found" }]);
      regionId = school2.region_id;
      ownerAlliances = await this.ownerAlliances(this.db, { school_id: school2.id, partner_id: null });
    } else {
      const partner = await this.db.selectFrom("partners").select(["id", "region_id"]).where("id", "=", input.partnerId).executeTakeFirst();
      if (!partner) throw badRequest([{ field: "partnerId", code: "not_found" }]);
      regionId = partner.region_id;
      ownerAlliances = await this.ownerAlliances(this.db, { school_id: null, partner_id: partner.id });
    }
    const owner = { region_id: regionId, school_id: input.schoolId ?? null, partner_id: input.partnerId ?? null };
    if (!this.canManage(actor, owner, ownerAlliances)) {
      throw badRequest([{ field: input.schoolId ? "schoolId" : "partnerId", code: "out_of_scope" }]);
    }
    const p = { ...DEFAULT_POLICY, ...stripUndef(input) };
    if (p.maxMinutes < p.minMinutes) throw badRequest([{ field: "maxMinutes", code: "too_small", params: { min: p.minMinutes } }]);
    const id = newId();
    const now = nowIso();
    const hours2 = input.openHours ?? DEFAULT_OPEN_HOURS;
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("facilities").values({
        id,
        ...owner,
        type: input.type,
        subject: input.subject ?? null,
        name: input.name,
        capacity: input.capacity,
        location: input.location ?? null,
        photos: toJson(input.photos ?? []),
        equipment_text: input.equipmentText ?? null,
        safety_rules: input.safetyRules ?? null,
        responsibility_terms: input.responsibilityTerms ?? null,
        community_open: input.communityOpen ? 1 : 0,
        policy: input.policy ?? "auto",
        min_minutes: p.minMinutes,
        max_minutes: p.maxMinutes,
        min_notice_hours: p.minNoticeHours,
        max_days_ahead: p.maxDaysAhead,
        buffer_minutes: p.bufferMinutes,
        weekly_quota_hours: p.weeklyQuotaHours,
        cancel_deadline_hours: p.cancelDeadlineHours,
        status: input.status ?? "active",
        created_by: actor.userId,
        created_at: now,
        updated_at: now
      }).execute();
      await this.writeHours(tx, id, hours2);
      await audit(tx, req, { action: "facility.create", entityType: "facility", entityId: id, regionId, schoolId: owner.school_id, detail: { name: input.name, type: input.type } });
    });
    return this.detail(actor, id);
  }
  async update(req, actor, id, input) {
    const { row } = await this.getManageable(actor, id);
    const patch = {};
    const map = [
      ["type", "type"],
      ["subject", "subject"],
      ["name", "name"],
      ["capacity", "capacity"],
      ["location", "location"],
      ["equipmentText", "equipment_text"],
      ["safetyRules", "safety_rules"],
      ["responsibilityTerms", "responsibility_terms"],
      ["status", "status"],
      ["policy", "policy"],
      ["minMinutes", "min_minutes"],
      ["maxMinutes", "max_minutes"],
      ["minNoticeHours", "min_notice_hours"],
      ["maxDaysAhead", "max_days_ahead"],
      ["bufferMinutes", "buffer_minutes"],
      ["weeklyQuotaHours", "weekly_quota_hours"],
      ["cancelDeadlineHours", "cancel_deadline_hours"]
    ];
    for (const [k, col] of map) if (input[k] !== void 0) patch[col] = input[k];
    if (input.photos !== void 0) patch.photos = toJson(input.photos);
    if (input.communityOpen !== void 0) patch.community_open = input.communityOpen ? 1 : 0;
    const minM = patch.min_minutes ?? row.min_minutes;
    if ((patch.max_minutes ?? row.max_minutes) < minM) throw badRequest([{ field: "maxMinutes", code: "too_small", params: { min: minM } }]);
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("facilities").set({ ...patch, updated_at: nowIso() }).where("id", "=", id).execute();
      await audit(tx, req, { action: "facility.update", entityType: "facility", entityId: id, regionId: row.region_id, schoolId: row.school_id, detail: changes(row, patch) });
    });
    return this.detail(actor, id);
  }
  async writeHours(tx, facilityId, hours2) {
    await tx.deleteFrom("facility_open_hours").where("facility_id", "=", facilityId).execute();
    if (hours2.length) {
      await tx.insertInto("facility_open_hours").values(hours2.map((h) => ({ id: newId(), facility_id: facilityId, weekday: h.weekday, open: h.open, close: h.close }))).execute();
    }
  }
  async putOpenHours(req, actor, id, hours2) {
    const { row } = await this.getManageable(actor, id);
    await this.db.transaction().execute(async (tx) => {
      await this.writeHours(tx, id, hours2);
      await audit(tx, req, { action: "facility.open_hours", entityType: "facility", entityId: id, regionId: row.region_id, schoolId: row.school_id, detail: { hours: hours2 } });
    });
    return this.openHours(this.db, id);
  }
  // ---- closures & terms ------------------------------------------------------------------------
  async addClosure(req, actor, target, input) {
    if (input.endDate < input.startDate) throw badRequest([{ field: "endDate", code: "before_from" }]);
    let regionId;
    let schoolId = null;
    if (target.facilityId) {
      const { row } = await this.getManageable(actor, target.facilityId);
      regionId = row.region_id;
      schoolId = row.school_id;
    } else {
      const s = await this.manageableSchool(actor, target.schoolId);
      regionId = s.region_id;
      schoolId = s.id;
    }
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("closures").values({
        id,
        facility_id: target.facilityId ?? null,
        school_id: target.facilityId ? null : schoolId,
        start_date: input.startDate,
        end_date: input.endDate,
        kind: input.kind,
        reason: input.reason ?? null,
        created_by: actor.userId,
        created_at: nowIso()
      }).execute();
      await audit(tx, req, { action: "closure.create", entityType: "closure", entityId: id, regionId, schoolId, detail: { ...input, facilityId: target.facilityId ?? null } });
    });
    return closureOut(await this.db.selectFrom("closures").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
  }
  async deleteClosure(req, actor, id) {
    const c = await this.db.selectFrom("closures").selectAll().where("id", "=", id).executeTakeFirst();
    if (!c) throw notFound("closure");
    let regionId;
    try {
      if (c.facility_id) regionId = (await this.getManageable(actor, c.facility_id)).row.region_id;
      else regionId = (await this.manageableSchool(actor, c.school_id)).region_id;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound("closure");
      throw err;
    }
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("closures").where("id", "=", id).execute();
      await audit(tx, req, { action: "closure.delete", entityType: "closure", entityId: id, regionId, schoolId: c.school_id, detail: closureOut(c) });
    });
  }
  /** The school if the actor administers it (school admin, bureau, platform); 404 if invisible, 403 if only visible. */
  async manageableSchool(actor, schoolId) {
    const s = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", schoolId).executeTakeFirst();
    if (!s) throw notFound("school");
    if (policy.updateSchool(actor, s)) return s;
    const alliances = (await this.db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", schoolId).where("status", "=", "active").execute()).map((r) => r.alliance_id);
    if (policy.readSchool(actor, s, alliances)) throw forbidden();
    throw notFound("school");
  }
  async visibleSchool(actor, schoolId) {
    const s = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", schoolId).executeTakeFirst();
    if (!s) throw notFound("school");
    const alliances = (await this.db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", schoolId).where("status", "=", "active").execute()).map((r) => r.alliance_id);
    if (!policy.readSchool(actor, s, alliances)) throw notFound("school");
    return s;
  }
  async terms(actor, schoolId) {
    await this.visibleSchool(actor, schoolId);
    const rows = await this.db.selectFrom("school_terms").selectAll().where("school_id", "=", schoolId).orderBy("start_date").execute();
    return rows.map((t) => ({ id: t.id, schoolId: t.school_id, name: t.name, startDate: t.start_date, endDate: t.end_date }));
  }
  async addTerm(req, actor, schoolId, input) {
    const s = await this.manageableSchool(actor, schoolId);
    if (input.endDate < input.startDate) throw badRequest([{ field: "endDate", code: "before_from" }]);
    const clash = await this.db.selectFrom("school_terms").select("name").where("school_id", "=", schoolId).where("start_date", "<=", input.endDate).where("end_date", ">=", input.startDate).executeTakeFirst();
    if (clash) throw badRequest([{ field: "startDate", code: "invalid", params: { reason: `\u4E0E\u201C${clash.name}\u201D\u91CD\u53E0 / overlaps ${clash.name}` } }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("school_terms").values({ id, school_id: schoolId, name: input.name, start_date: input.startDate, end_date: input.endDate, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "term.create", entityType: "term", entityId: id, regionId: s.region_id, schoolId, detail: input });
    });
    return { id, schoolId, name: input.name, startDate: input.startDate, endDate: input.endDate };
  }
  /** The term of the school that holds the date (the default end of a weekly series). */
  async termOn(db, schoolId, date) {
    if (!schoolId) return void 0;
    return db.selectFrom("school_terms").selectAll().where("school_id", "=", schoolId).where("start_date", "<=", date).where("end_date", ">=", date).executeTakeFirst();
  }
  // ---- equipment -------------------------------------------------------------------------------
  async addEquipment(req, actor, facilityId, input) {
    const { row } = await this.getManageable(actor, facilityId);
    const id = newId();
    const now = nowIso();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("equipment").values({
        id,
        facility_id: facilityId,
        school_id: row.school_id,
        partner_id: row.partner_id,
        region_id: row.region_id,
        type: input.type,
        name: input.name,
        quantity: input.quantity,
        status: input.status,
        usage: input.usage,
        note: input.note ?? null,
        created_at: now,
        updated_at: now
      }).execute();
      await audit(tx, req, { action: "equipment.create", entityType: "equipment", entityId: id, regionId: row.region_id, schoolId: row.school_id, detail: { ...input, facilityId } });
    });
    return equipmentOut(await this.db.selectFrom("equipment").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
  }
  async getEquipment(actor, id, manage, db = this.db) {
    const e = await db.selectFrom("equipment").selectAll().where("id", "=", id).executeTakeFirst();
    if (!e || !e.facility_id) throw notFound("equipment");
    try {
      const f = manage ? await this.getManageable(actor, e.facility_id, db) : await this.getVisible(actor, e.facility_id, db);
      return { e, facility: f.row, alliances: f.alliances };
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound("equipment");
      throw err;
    }
  }
  async updateEquipment(req, actor, id, input) {
    const { e } = await this.getEquipment(actor, id, true);
    const patch = stripUndef({ type: input.type, name: input.name, quantity: input.quantity, status: input.status, usage: input.usage, note: input.note });
    await this.db.transaction().execute(async (tx) => {
      if (patch.quantity !== void 0) {
        const peak = await this.peakLent(tx, id, Date.now(), Number.MAX_SAFE_INTEGER);
        if (patch.quantity < peak) throw badRequest([{ field: "quantity", code: "too_small", params: { min: peak } }]);
      }
      await tx.updateTable("equipment").set({ ...patch, updated_at: nowIso() }).where("id", "=", id).execute();
      await audit(tx, req, { action: "equipment.update", entityType: "equipment", entityId: id, regionId: e.region_id, schoolId: e.school_id, detail: changes(e, patch) });
    });
    return equipmentOut(await this.db.selectFrom("equipment").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
  }
  /** The largest quantity lent at any moment of [fromMs, toMs) (holding loans). */
  async peakLent(db, equipmentId, fromMs, toMs) {
    const loans = await db.selectFrom("equipment_loans").select(["from_ms", "to_ms", "quantity"]).where("equipment_id", "=", equipmentId).where("status", "in", ["reserved", "out"]).where("from_ms", "<", toMs).where("to_ms", ">", fromMs).execute();
    const points = loans.flatMap((l) => [{ t: Math.max(Number(l.from_ms), fromMs), d: l.quantity }, { t: Number(l.to_ms), d: -l.quantity }]);
    points.sort((a, b) => a.t - b.t || a.d - b.d);
    let cur = 0;
    let peak = 0;
    for (const p of points) {
      cur += p.d;
      peak = Math.max(peak, cur);
    }
    return peak;
  }
  // ---- mobile kits ------------------------------------------------------------------------------
  async manageableAlliance(actor, allianceId) {
    const al = await this.db.selectFrom("alliances").select(["id", "region_id"]).where("id", "=", allianceId).executeTakeFirst();
    if (!al || !policy.readAllianceInternals(actor, al)) throw notFound("alliance");
    if (!policy.manageAlliance(actor, al)) throw forbidden();
    return al;
  }
  async addKit(req, actor, allianceId, input) {
    const al = await this.manageableAlliance(actor, allianceId);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("mobile_kits").values({ id, alliance_id: allianceId, kind: input.kind, name: input.name, description: input.description ?? null, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "kit.create", entityType: "kit", entityId: id, regionId: al.region_id, allianceId, detail: input });
    });
    return (await this.kits(actor, allianceId)).find((k) => k.id === id);
  }
  async kits(actor, allianceId) {
    const al = await this.db.selectFrom("alliances").select(["id", "region_id"]).where("id", "=", allianceId).executeTakeFirst();
    if (!al || !policy.readAllianceInternals(actor, al)) throw notFound("alliance");
    const kits = await this.db.selectFrom("mobile_kits").selectAll().where("alliance_id", "=", allianceId).orderBy("created_at").execute();
    const rotations = kits.length ? await this.db.selectFrom("kit_rotations as r").innerJoin("schools as s", "s.id", "r.school_id").selectAll("r").select("s.name as school_name").where("r.kit_id", "in", kits.map((k) => k.id)).orderBy("r.from_date").execute() : [];
    const today2 = todayIn();
    return kits.map((k) => {
      const rs = rotations.filter((r) => r.kit_id === k.id);
      return {
        id: k.id,
        allianceId: k.alliance_id,
        kind: k.kind,
        name: k.name,
        description: k.description,
        rotations: rs.map((r) => ({ id: r.id, kitId: r.kit_id, schoolId: r.school_id, schoolName: r.school_name, fromDate: r.from_date, toDate: r.to_date, note: r.note })),
        currentSchoolId: rs.find((r) => r.from_date <= today2 && today2 <= r.to_date)?.school_id ?? null
      };
    });
  }
  async addRotation(req, actor, kitId, input) {
    const kit = await this.db.selectFrom("mobile_kits").selectAll().where("id", "=", kitId).executeTakeFirst();
    if (!kit) throw notFound("kit");
    try {
      await this.manageableAlliance(actor, kit.alliance_id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound("kit");
      throw err;
    }
    if (input.toDate < input.fromDate) throw badRequest([{ field: "toDate", code: "before_from" }]);
    const member = await this.db.selectFrom("alliance_members").select("id").where("alliance_id", "=", kit.alliance_id).where("school_id", "=", input.schoolId).where("status", "=", "active").executeTakeFirst();
    if (!member) throw badRequest([{ field: "schoolId", code: "not_found" }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      const clash = await tx.selectFrom("kit_rotations").select(["from_date", "to_date"]).where("kit_id", "=", kitId).where("from_date", "<=", input.toDate).where("to_date", ">=", input.fromDate).executeTakeFirst();
      if (clash) throw badRequest([{ field: "fromDate", code: "invalid", params: { reason: `\u4E0E ${clash.from_date}\u2013${clash.to_date} \u7684\u8F6E\u8F6C\u91CD\u53E0 / overlaps another rotation` } }]);
      await tx.insertInto("kit_rotations").values({ id, kit_id: kitId, school_id: input.schoolId, from_date: input.fromDate, to_date: input.toDate, note: input.note ?? null, created_at: nowIso() }).execute();
      await audit(tx, req, { action: "kit.rotation", entityType: "kit", entityId: kitId, allianceId: kit.alliance_id, schoolId: input.schoolId, detail: input });
    });
    return (await this.kits(actor, kit.alliance_id)).find((k) => k.id === kitId);
  }
};
function stripUndef(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0));
}

// src/server/modules/facilities/bookings.ts
init_db();

// src/server/db/bookings.ts
import { sql as sql11 } from "kysely";
function isBookingOverlap(err) {
  const e = err;
  if (e?.code === "23P01") return true;
  return typeof e?.message === "string" && e.message.includes("booking_overlap");
}
async function lockRow(tx, dialect, table, id) {
  if (dialect !== "postgres") return;
  await sql11`select id from ${sql11.table(table)} where id = ${id} for update`.execute(tx);
}

// src/server/modules/facilities/bookings.ts
init_audit();
init_errors();
init_ids();
init_idempotency();
init_service3();
init_facilities();
var OFFER_HOURS = 24;
var MAX_OCCURRENCES = 60;
var localRange = (startMs, endMs) => {
  const s = localParts(startMs);
  const e = localParts(endMs);
  return `${s.date} ${formatHm(s.minutes)}\u2013${e.date === s.date ? "" : `${e.date} `}${formatHm(e.minutes)}`;
};
function bookingOut(r) {
  return {
    id: r.id,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    facilityType: r.facility_type,
    hostSchoolId: r.host_school_id,
    hostPartnerId: r.host_partner_id,
    allianceId: r.alliance_id,
    bookerId: r.booker_id,
    bookerName: r.booker_name,
    bookerSchoolId: r.booker_school_id,
    seriesId: r.series_id,
    start: r.start_at,
    end: r.end_at,
    purpose: r.purpose,
    groupSize: r.group_size,
    responsibleTeacher: r.responsible_teacher,
    status: r.status,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    checkedInAt: r.checked_in_at,
    cancelledAt: r.cancelled_at,
    chargeAmount: r.charge_amount,
    createdAt: r.created_at
  };
}
function timingField(p, prefix = "") {
  const field = prefix + p.field;
  switch (p.code) {
    case "end_before_start":
      return { field, code: "end_before_start" };
    case "too_short":
      return { field, code: "booking_too_short", params: { min: p.min } };
    case "too_long":
      return { field, code: "booking_too_long", params: { max: p.max } };
    case "too_late_notice":
      return { field, code: "too_late_notice", params: { hours: p.hours } };
    case "too_far_ahead":
      return { field, code: "too_far_ahead", params: { days: p.days } };
    case "in_past":
      return { field, code: "in_past" };
  }
}
var BookingService = class {
  constructor(database, facilities, credits) {
    this.database = database;
    this.facilities = facilities;
    this.credits = credits ?? new CreditService(database);
  }
  database;
  facilities;
  credits;
  get db() {
    return this.database.db;
  }
  // ---- who books under which alliance -----------------------------------------------------------
  /**
   * The alliance a booking is made under: none for the own school's facility; else the requested one,
   * or the first alliance the booker's school shares with the owner; community venues at weekends
   * (community_open) need no alliance. Anyone else is refused.
   */
  async allianceFor(db, actor, f, ownerAlliances, requested, startMs) {
    const bookerSchoolId = actor.schoolId;
    if (f.school_id && bookerSchoolId === f.school_id) return { allianceId: null, bookerSchoolId };
    const mine = bookerSchoolId ? (await db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", bookerSchoolId).where("status", "=", "active").execute()).map((r) => r.alliance_id) : [];
    const common = ownerAlliances.filter((a) => mine.includes(a)).sort();
    if (requested) {
      if (!common.includes(requested)) throw badRequest([{ field: "allianceId", code: "out_of_scope" }]);
      return { allianceId: requested, bookerSchoolId };
    }
    if (common.length) return { allianceId: common[0], bookerSchoolId };
    if (f.community_open === 1 && isWeekend(startMs)) return { allianceId: null, bookerSchoolId };
    if (actor.isPlatformAdmin) return { allianceId: null, bookerSchoolId };
    throw new AppError(403, "no_common_alliance");
  }
  /** Validates the request and computes every occurrence's state; throws 4xx naming the field. */
  async plan(db, actor, input, nowMs, strict) {
    const { row: f, alliances: ownerAlliances } = await this.facilities.getVisible(actor, input.facilityId, db).catch((err) => {
      if (err instanceof AppError && err.status === 404) throw badRequest([{ field: "facilityId", code: "not_found" }]);
      throw err;
    });
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    if (f.status !== "active") throw badRequest([{ field: "facilityId", code: "not_bookable" }]);
    const policy2 = {
      minMinutes: f.min_minutes,
      maxMinutes: f.max_minutes,
      minNoticeHours: f.min_notice_hours,
      maxDaysAhead: f.max_days_ahead,
      bufferMinutes: f.buffer_minutes,
      cancelDeadlineHours: f.cancel_deadline_hours,
      weeklyQuotaHours: f.weekly_quota_hours
    };
    const problems = checkTiming(startMs, endMs, nowMs, policy2);
    if (problems.length) throw badRequest(problems.map((p) => timingField(p)));
    const { allianceId, bookerSchoolId } = await this.allianceFor(db, actor, f, ownerAlliances, input.allianceId, startMs);
    let intervals = [{ startMs, endMs }];
    if (input.recurrence) {
      const until = input.recurrence.until;
      if (until < localParts(startMs).date) throw badRequest([{ field: "recurrence.until", code: "before_from" }]);
      intervals = weeklyOccurrences(startMs, endMs, until, MAX_OCCURRENCES + 1);
      if (intervals.length > MAX_OCCURRENCES) throw badRequest([{ field: "recurrence.until", code: "too_big", params: { max: `${MAX_OCCURRENCES} \u6B21` } }]);
      const last = intervals[intervals.length - 1];
      if (last.startMs - nowMs > f.max_days_ahead * DAY) throw badRequest([{ field: "recurrence.until", code: "too_far_ahead", params: { days: f.max_days_ahead } }]);
    }
    const from = intervals[0].startMs;
    const to = intervals[intervals.length - 1].endMs;
    const bufferMs = f.buffer_minutes * MINUTE;
    const [hours2, closures, busy] = await Promise.all([
      this.facilities.openHours(db, f.id),
      this.facilities.closures(db, f, localParts(from).date, localParts(to).date),
      db.selectFrom("bookings").select(["id", "start_ms", "end_ms", "block_end_ms"]).where("facility_id", "=", f.id).where("status", "in", HOLDING_STATUSES).where("start_ms", "<", to + bufferMs + 1).where("block_end_ms", ">", from - bufferMs - 1).execute()
    ]);
    const busyIv = busy.map((b) => ({ id: b.id, startMs: Number(b.start_ms), endMs: Number(b.block_end_ms) }));
    const closureList = closures.map((c) => ({ id: c.id, startDate: c.start_date, endDate: c.end_date, kind: c.kind, reason: c.reason }));
    const occurrences = intervals.map((o) => {
      const st = occurrenceStatus(o, { hours: hours2, closures: closureList, busy: busyIv, bufferMs });
      const clashRow = st.clash ? busy.find((b) => b.id === st.clash) : void 0;
      return {
        ...o,
        status: st.status,
        clash: clashRow ? { bookingId: clashRow.id, startMs: Number(clashRow.start_ms), endMs: Number(clashRow.end_ms) } : void 0,
        closure: st.closure ? { kind: st.closure.kind, reason: st.closure.reason ?? null, startDate: st.closure.startDate, endDate: st.closure.endDate } : void 0
      };
    });
    if (strict) {
      const first = occurrences[0];
      if (first.status === "outside_hours" && occurrences.every((o) => o.status === "outside_hours" || o.status === "closed")) {
        const today2 = hours2.filter((h) => h.weekday === localParts(startMs).weekday).map((h) => `${h.open}\u2013${h.close}`).join("\uFF0C") || "\u5F53\u5929\u4E0D\u5F00\u653E / closed that day";
        throw badRequest([{ field: "start", code: "outside_open_hours", params: { hours: today2 } }]);
      }
      if (occurrences.length === 1 && first.status === "closed") {
        throw badRequest([{ field: "start", code: "in_closure", params: { date: localParts(startMs).date, reason: first.closure.reason ?? first.closure.kind } }]);
      }
      if (input.groupSize != null && f.capacity > 0 && input.groupSize > f.capacity) throw badRequest([{ field: "groupSize", code: "over_capacity", params: { capacity: f.capacity } }]);
    }
    return { f, ownerAlliances, allianceId, bookerSchoolId, occurrences };
  }
  forCredits(id, f, allianceId, bookerSchoolId, startMs, endMs) {
    return {
      id,
      allianceId,
      facilityId: f.id,
      facilityType: f.type,
      hostSchoolId: f.school_id,
      hostPartnerId: f.partner_id,
      bookerSchoolId,
      startAt: new Date(startMs).toISOString(),
      endAt: new Date(endMs).toISOString()
    };
  }
  occurrenceOut(o) {
    return {
      start: new Date(o.startMs).toISOString(),
      end: new Date(o.endMs).toISOString(),
      status: o.status,
      clash: o.clash ? { bookingId: o.clash.bookingId, start: new Date(o.clash.startMs).toISOString(), end: new Date(o.clash.endMs).toISOString() } : null,
      closure: o.closure ?? null
    };
  }
  async preview(actor, input) {
    const p = await this.plan(this.db, actor, input, Date.now(), false);
    const free = p.occurrences.filter((o) => o.status === "free");
    let quote = null;
    for (const o of free) {
      const q = await this.credits.quote(this.db, this.forCredits("preview", p.f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs));
      const prev = quote;
      quote = prev ? { ...prev, amount: prev.amount + q.amount, hours: prev.hours + q.hours, peakHours: prev.peakHours + q.peakHours, free: prev.free && q.free } : q;
    }
    return {
      occurrences: p.occurrences.map((o) => this.occurrenceOut(o)),
      free: free.length,
      allianceId: p.allianceId,
      quote,
      policy: p.f.policy,
      terms: { safetyRules: p.f.safety_rules, responsibilityTerms: p.f.responsibility_terms }
    };
  }
  // ---- create --------------------------------------------------------------------------------
  async create(req, actor, input, idemKey) {
    if (!input.acceptTerms) throw badRequest([{ field: "acceptTerms", code: "must_accept_terms" }]);
    const nowMs = Date.now();
    try {
      const res = await runIdempotent(this.db, { key: idemKey, userId: actor.userId, route: "POST /api/bookings", body: input, status: 201 }, (tx) => this.createIn(tx, req, actor, input, nowMs));
      return res;
    } catch (err) {
      throw await this.mapOverlap(err, input.facilityId, { startMs: Date.parse(input.start), endMs: Date.parse(input.end) });
    }
  }
  /** The booking(s) inside a given transaction (also used by the waitlist's accept). */
  async createIn(tx, req, actor, input, nowMs) {
    const p = await this.plan(tx, actor, input, nowMs, true);
    const { f } = p;
    if (input.equipment.length || f.weekly_quota_hours != null) await lockRow(tx, this.database.dialect, "facilities", f.id);
    const bad = p.occurrences.filter((o) => o.status !== "free");
    const single = p.occurrences.length === 1;
    if (single && bad.length) throw this.conflictError(f, bad[0]);
    if (!single && bad.length && (input.mode === "all_or_nothing" || bad.length === p.occurrences.length)) {
      if (bad.length === p.occurrences.length && input.mode === "all_free" && bad[0].status === "conflict") throw this.conflictError(f, bad[0]);
      throw new AppError(409, "booking_rejected_dates", {
        count: bad.length,
        dates: bad.slice(0, 10).map((o) => localParts(o.startMs).date).join("\u3001") + (bad.length > 10 ? "\u2026" : "")
      }, bad.slice(0, 20).map((o) => ({ field: `occurrences.${p.occurrences.indexOf(o)}`, code: "invalid", params: { reason: `${localParts(o.startMs).date} ${o.status}` } })));
    }
    const toBook = p.occurrences.filter((o) => o.status === "free");
    if (f.weekly_quota_hours != null && p.bookerSchoolId && p.bookerSchoolId !== f.school_id) {
      const from = Date.parse(`${weekStart(toBook[0].startMs)}T00:00:00+08:00`);
      const existing2 = await tx.selectFrom("bookings").select(["start_ms", "end_ms"]).where("facility_id", "=", f.id).where("booker_school_id", "=", p.bookerSchoolId).where("status", "in", ACTIVE_STATUSES).where("start_ms", ">=", from).where("start_ms", "<", toBook[toBook.length - 1].endMs + 7 * DAY).execute();
      const week = quotaExceeded(existing2.map((b) => ({ startMs: Number(b.start_ms), endMs: Number(b.end_ms) })), toBook, f.weekly_quota_hours);
      if (week) throw badRequest([{ field: "start", code: "over_quota", params: { hours: f.weekly_quota_hours, week } }]);
    }
    const equipment = [];
    for (const [i, req0] of input.equipment.entries()) {
      const e = await tx.selectFrom("equipment").selectAll().where("id", "=", req0.equipmentId).executeTakeFirst();
      if (!e || e.facility_id !== f.id) throw badRequest([{ field: `equipment.${i}.equipmentId`, code: "not_found" }]);
      if (e.status !== "available") throw badRequest([{ field: `equipment.${i}.equipmentId`, code: "not_lendable" }]);
      await lockRow(tx, this.database.dialect, "equipment", e.id);
      equipment.push({ e, quantity: req0.quantity, index: i });
    }
    const now = nowIso();
    let series = null;
    if (input.recurrence) {
      series = { id: newId(), until: input.recurrence.until, mode: input.mode };
      await tx.insertInto("booking_series").values({ id: series.id, facility_id: f.id, booker_id: actor.userId, until_date: series.until, mode: series.mode, created_at: now }).execute();
    }
    const status = f.policy === "auto" ? "accepted" : "pending";
    const ids = [];
    for (const o of toBook) {
      const id = newId();
      ids.push(id);
      await tx.insertInto("bookings").values({
        id,
        facility_id: f.id,
        alliance_id: p.allianceId,
        booker_id: actor.userId,
        booker_school_id: p.bookerSchoolId,
        series_id: series?.id ?? null,
        start_at: new Date(o.startMs).toISOString(),
        end_at: new Date(o.endMs).toISOString(),
        start_ms: o.startMs,
        end_ms: o.endMs,
        block_end_ms: o.endMs + f.buffer_minutes * MINUTE,
        purpose: input.purpose,
        group_size: input.groupSize,
        responsible_teacher: input.responsibleTeacher,
        status,
        decided_by: null,
        decided_at: status === "accepted" ? now : null,
        decision_reason: status === "accepted" ? "\u81EA\u52A8\u6279\u51C6" : null,
        checked_in_at: null,
        cancelled_at: null,
        cancelled_by: null,
        charge_tx_id: null,
        charge_amount: 0,
        created_at: now,
        updated_at: now
      }).execute();
      if (status === "accepted") {
        const charge = await this.credits.chargeBooking(tx, req, this.forCredits(id, f, p.allianceId, p.bookerSchoolId, o.startMs, o.endMs));
        if (charge.transactionId || charge.amount) {
          await tx.updateTable("bookings").set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where("id", "=", id).execute();
        }
      }
      for (const eq of equipment) {
        const peak = await this.facilities.peakLent(tx, eq.e.id, o.startMs, o.endMs);
        if (peak + eq.quantity > eq.e.quantity) throw new AppError(409, "equipment_unavailable", { name: eq.e.name, left: Math.max(0, eq.e.quantity - peak) }, [{ field: `equipment.${eq.index}.quantity`, code: "too_big", params: { max: Math.max(0, eq.e.quantity - peak) } }]);
        await tx.insertInto("equipment_loans").values({
          id: newId(),
          equipment_id: eq.e.id,
          booking_id: id,
          borrower_id: actor.userId,
          borrower_school_id: p.bookerSchoolId,
          quantity: eq.quantity,
          from_ms: o.startMs,
          to_ms: o.endMs,
          from_at: new Date(o.startMs).toISOString(),
          to_at: new Date(o.endMs).toISOString(),
          status: "reserved",
          created_at: now,
          updated_at: now
        }).execute();
      }
    }
    await audit(tx, req, {
      action: "booking.create",
      entityType: "booking",
      entityId: ids[0] ?? null,
      regionId: f.region_id,
      allianceId: p.allianceId,
      schoolId: p.bookerSchoolId,
      detail: { facilityId: f.id, count: ids.length, status, seriesId: series?.id ?? null }
    });
    const rows = await this.rows(tx).where("b.id", "in", ids).orderBy("b.start_ms").execute();
    return {
      series,
      bookings: rows.map(bookingOut),
      skipped: p.occurrences.filter((o) => o.status !== "free").map((o) => this.occurrenceOut(o))
    };
  }
  conflictError(f, o) {
    if (o.status === "conflict" && o.clash) {
      return new AppError(409, "booking_conflict", { clash: `${f.name} ${localRange(o.clash.startMs, o.clash.endMs)}\uFF08\u9884\u7EA6 ${o.clash.bookingId}\uFF09` }, [
        { field: "start", code: "invalid", params: { reason: `\u4E0E\u9884\u7EA6 ${o.clash.bookingId} \u51B2\u7A81 / clashes with booking ${o.clash.bookingId}` } }
      ]);
    }
    if (o.status === "closed") return badRequest([{ field: "start", code: "in_closure", params: { date: localParts(o.startMs).date, reason: o.closure?.reason ?? o.closure?.kind ?? "" } }]);
    return badRequest([{ field: "start", code: "outside_open_hours", params: { hours: "" } }]);
  }
  /** The database refused an overlap (a concurrent writer won): 409 naming the booking that holds the time. */
  async mapOverlap(err, facilityId, interval) {
    if (!isBookingOverlap(err)) return err;
    const f = await this.db.selectFrom("facilities").select("name").where("id", "=", facilityId).executeTakeFirst();
    let q = this.db.selectFrom("bookings").select(["id", "start_ms", "end_ms"]).where("facility_id", "=", facilityId).where("status", "in", HOLDING_STATUSES);
    if (interval) q = q.where("start_ms", "<", interval.endMs + 1).where("block_end_ms", ">", interval.startMs - 1);
    const clash = await q.orderBy("created_at", "desc").limit(1).executeTakeFirst();
    const text2 = clash ? `${f?.name ?? ""} ${localRange(Number(clash.start_ms), Number(clash.end_ms))}\uFF08\u9884\u7EA6 ${clash.id}\uFF09` : f?.name ?? "";
    return new AppError(409, "booking_conflict", { clash: text2 });
  }
  // ---- reading -------------------------------------------------------------------------------
  rows(db) {
    return db.selectFrom("bookings as b").innerJoin("facilities as f", "f.id", "b.facility_id").innerJoin("users as u", "u.id", "b.booker_id").selectAll("b").select(["f.name as facility_name", "f.type as facility_type", "f.school_id as host_school_id", "f.partner_id as host_partner_id", "u.display_name as booker_name"]);
  }
  /** The booking if the actor may see it: the booker, the booker's school, whoever sees the facility. */
  async getVisible(actor, id, db = this.db) {
    const row = await this.rows(db).where("b.id", "=", id).executeTakeFirst();
    if (!row) throw notFound("booking");
    const f = await db.selectFrom("facilities").selectAll().where("id", "=", row.facility_id).executeTakeFirstOrThrow();
    const alliances = await this.facilities.ownerAlliances(db, f);
    const mine = row.booker_id === actor.userId || row.booker_school_id != null && actor.schools.has(row.booker_school_id);
    if (!mine && !this.facilities.canSee(actor, f, alliances)) throw notFound("booking");
    return { row, f, alliances, mine, manage: this.facilities.canManage(actor, f, alliances) };
  }
  async detail(actor, id) {
    const { row } = await this.getVisible(actor, id);
    return { ...bookingOut(row), loans: await this.loans(this.db, [id]) };
  }
  async loans(db, bookingIds) {
    if (!bookingIds.length) return [];
    const rows = await db.selectFrom("equipment_loans as l").innerJoin("equipment as e", "e.id", "l.equipment_id").selectAll("l").select("e.name as equipment_name").where("l.booking_id", "in", bookingIds).orderBy("l.from_ms").execute();
    return rows.map(loanOut);
  }
  async list(actor, q) {
    let qb = this.rows(this.db);
    if (q.scope === "mine") {
      qb = qb.where("b.booker_id", "=", actor.userId);
    } else if (q.scope === "school") {
      const sid = q.schoolId ?? actor.schoolId;
      if (!sid) throw badRequest([{ field: "query.schoolId", code: "required" }]);
      const s = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", sid).executeTakeFirst();
      if (!s || !(actor.isPlatformAdmin || actor.schools.has(sid) || actor.readRegions.has(s.region_id))) throw badRequest([{ field: "query.schoolId", code: "not_found" }]);
      qb = qb.where((eb) => eb.or([eb("b.booker_school_id", "=", sid), eb("f.school_id", "=", sid)]));
    } else {
      if (!q.facilityId) throw badRequest([{ field: "query.facilityId", code: "required" }]);
      await this.facilities.getVisible(actor, q.facilityId).catch((err) => {
        if (err instanceof AppError && err.status === 404) throw badRequest([{ field: "query.facilityId", code: "not_found" }]);
        throw err;
      });
      qb = qb.where("b.facility_id", "=", q.facilityId);
    }
    if (q.facilityId && q.scope !== "facility") qb = qb.where("b.facility_id", "=", q.facilityId);
    if (q.status) qb = qb.where("b.status", "=", q.status);
    if (q.from) qb = qb.where("b.end_ms", ">", Date.parse(q.from));
    if (q.to) qb = qb.where("b.start_ms", "<", Date.parse(q.to));
    const [{ total }, rows] = await Promise.all([
      qb.clearSelect().select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow(),
      qb.orderBy("b.start_ms").orderBy("b.id").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()
    ]);
    return { items: rows.map(bookingOut), total: Number(total), page: q.page, pageSize: q.pageSize };
  }
  /** Pending requests at the facilities the actor manages (the owner's approval inbox). */
  async inbox(actor) {
    let qb = this.rows(this.db).where("b.status", "=", "pending");
    if (!actor.isPlatformAdmin) {
      const partnerAlliances = actor.grants.filter((g) => g.role === "partner" && g.scopeId).map((g) => g.scopeId);
      qb = qb.where((eb) => {
        const ors = [];
        if (actor.adminSchools.size) ors.push(eb("f.school_id", "in", [...actor.adminSchools]));
        if (actor.bureauRegions.size) ors.push(eb("f.region_id", "in", [...actor.bureauRegions]));
        if (partnerAlliances.length) ors.push(eb("f.partner_id", "in", eb.selectFrom("alliance_partners as ap").select("ap.partner_id").where("ap.alliance_id", "in", partnerAlliances)));
        return ors.length ? eb.or(ors) : eb.lit(false);
      });
    }
    const rows = await qb.orderBy("b.start_ms").limit(500).execute();
    return { items: rows.map(bookingOut), total: rows.length };
  }
  /** The actor's holding bookings starting within the next 24 hours. */
  async reminders(actor, nowMs = Date.now()) {
    const rows = await this.rows(this.db).where("b.booker_id", "=", actor.userId).where("b.status", "in", HOLDING_STATUSES).where("b.start_ms", ">=", nowMs).where("b.start_ms", "<", nowMs + 24 * HOUR).orderBy("b.start_ms").execute();
    return { items: rows.map(bookingOut), total: rows.length };
  }
  async availability(actor, facilityId, q) {
    const { row: f } = await this.facilities.getVisible(actor, facilityId);
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (!(to > from)) throw badRequest([{ field: "query.to", code: "end_before_start" }]);
    if (to - from > 62 * DAY) throw badRequest([{ field: "query.to", code: "too_big", params: { max: "62 \u5929" } }]);
    const [busy, hours2, closures] = await Promise.all([
      this.db.selectFrom("bookings").select(["id", "start_at", "end_at", "status", "booker_id"]).where("facility_id", "=", f.id).where("status", "in", ["pending", ...HOLDING_STATUSES]).where("start_ms", "<", to).where("end_ms", ">", from).orderBy("start_ms").execute(),
      this.facilities.openHours(this.db, f.id),
      this.facilities.closures(this.db, f, localParts(from).date, localParts(to - 1).date)
    ]);
    return {
      facilityId: f.id,
      busy: busy.map((b) => ({ bookingId: b.id, start: b.start_at, end: b.end_at, status: b.status, mine: b.booker_id === actor.userId })),
      openHours: hours2,
      closures: closures.map(closureOut),
      bufferMinutes: f.buffer_minutes
    };
  }
  // ---- decisions -----------------------------------------------------------------------------
  async forDecision(actor, id, tx) {
    const v = await this.getVisible(actor, id, tx);
    if (!v.manage) throw v.mine ? forbidden() : notFound("booking");
    return v;
  }
  invalid(status, step) {
    return new AppError(409, "invalid_transition", { status, step });
  }
  async approve(req, actor, id) {
    try {
      await this.db.transaction().execute(async (tx) => {
        const { row, f } = await this.forDecision(actor, id, tx);
        if (row.status !== "pending") throw this.invalid(row.status, "approve");
        const now = nowIso();
        await tx.updateTable("bookings").set({ status: "accepted", decided_by: actor.userId, decided_at: now, updated_at: now }).where("id", "=", id).execute();
        const charge = await this.credits.chargeBooking(tx, req, this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)));
        await tx.updateTable("bookings").set({ charge_tx_id: charge.transactionId, charge_amount: charge.amount }).where("id", "=", id).execute();
        await audit(tx, req, { action: "booking.approve", entityType: "booking", entityId: id, regionId: f.region_id, allianceId: row.alliance_id, schoolId: f.school_id, detail: { amount: charge.amount } });
      });
    } catch (err) {
      const row = await this.db.selectFrom("bookings").select(["start_ms", "block_end_ms", "facility_id"]).where("id", "=", id).executeTakeFirst();
      throw row ? await this.mapOverlap(err, row.facility_id, { startMs: Number(row.start_ms), endMs: Number(row.block_end_ms) }) : err;
    }
    return this.detail(actor, id);
  }
  async reject(req, actor, id, reason) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== "pending") throw this.invalid(row.status, "reject");
      const now = nowIso();
      await tx.updateTable("bookings").set({ status: "rejected", decided_by: actor.userId, decided_at: now, decision_reason: reason, updated_at: now }).where("id", "=", id).execute();
      await tx.updateTable("equipment_loans").set({ status: "cancelled", updated_at: now }).where("booking_id", "=", id).where("status", "=", "reserved").execute();
      await audit(tx, req, { action: "booking.reject", entityType: "booking", entityId: id, regionId: f.region_id, allianceId: row.alliance_id, schoolId: f.school_id, detail: { reason } });
    });
    return this.detail(actor, id);
  }
  async cancel(req, actor, id, reason, idemKey) {
    const res = await runIdempotent(this.db, { key: idemKey, userId: actor.userId, route: `POST /api/bookings/${id}/cancel`, body: { reason: reason ?? null } }, async (tx) => {
      const { row, f, mine, manage } = await this.getVisible(actor, id, tx);
      const isBooker = row.booker_id === actor.userId;
      if (!isBooker && !manage) throw mine ? forbidden() : notFound("booking");
      if (row.status !== "pending" && row.status !== "accepted") throw this.invalid(row.status, "cancel");
      const nowMs = Date.now();
      const now = new Date(nowMs).toISOString();
      const timely = !isBooker || cancellationTimely(Number(row.start_ms), nowMs, f.cancel_deadline_hours);
      await tx.updateTable("bookings").set({ status: "cancelled", cancelled_at: now, cancelled_by: actor.userId, decision_reason: reason ?? row.decision_reason, updated_at: now }).where("id", "=", id).execute();
      await tx.updateTable("equipment_loans").set({ status: "cancelled", updated_at: now }).where("booking_id", "=", id).where("status", "=", "reserved").execute();
      let refund = { transactionId: null, amount: 0 };
      if (row.status === "accepted") {
        refund = await this.credits.refundBooking(tx, req, this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)), { timely });
        await this.offerFreedSlot(tx, f, Number(row.start_ms), Number(row.block_end_ms), nowMs);
      }
      await audit(tx, req, {
        action: "booking.cancel",
        entityType: "booking",
        entityId: id,
        regionId: f.region_id,
        allianceId: row.alliance_id,
        schoolId: row.booker_school_id,
        detail: { timely, refund: refund.amount, by: isBooker ? "booker" : "owner", reason: reason ?? null }
      });
      const after = await this.rows(tx).where("b.id", "=", id).executeTakeFirstOrThrow();
      return { ...bookingOut(after), loans: await this.loans(tx, [id]), refund: refund.amount, timely };
    });
    return res.body;
  }
  async checkIn(req, actor, id) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== "accepted") throw this.invalid(row.status, "check-in");
      const nowMs = Date.now();
      if (nowMs < Number(row.start_ms) - HOUR || nowMs > Number(row.end_ms)) {
        throw badRequest([{ field: "booking", code: "invalid", params: { reason: "\u53EA\u80FD\u5728\u5F00\u59CB\u524D 1 \u5C0F\u65F6\u81F3\u7ED3\u675F\u524D\u7B7E\u5230 / check-in opens 1 hour before the start" } }]);
      }
      const now = nowIso();
      await tx.updateTable("bookings").set({ status: "checked_in", checked_in_at: now, updated_at: now }).where("id", "=", id).execute();
      await tx.updateTable("equipment_loans").set({ status: "out", updated_at: now }).where("booking_id", "=", id).where("status", "=", "reserved").execute();
      await audit(tx, req, { action: "booking.check_in", entityType: "booking", entityId: id, regionId: f.region_id, allianceId: row.alliance_id, schoolId: f.school_id });
    });
    return this.detail(actor, id);
  }
  async noShow(req, actor, id) {
    await this.db.transaction().execute(async (tx) => {
      const { row, f } = await this.forDecision(actor, id, tx);
      if (row.status !== "accepted") throw this.invalid(row.status, "no-show");
      if (Date.now() < Number(row.start_ms)) throw badRequest([{ field: "booking", code: "invalid", params: { reason: "\u9884\u7EA6\u5C1A\u672A\u5F00\u59CB / the booking has not started" } }]);
      const now = nowIso();
      await tx.updateTable("bookings").set({ status: "no_show", updated_at: now }).where("id", "=", id).execute();
      await tx.updateTable("equipment_loans").set({ status: "cancelled", updated_at: now }).where("booking_id", "=", id).where("status", "=", "reserved").execute();
      const penalty = await this.credits.penalizeNoShow(tx, req, this.forCredits(id, f, row.alliance_id, row.booker_school_id, Number(row.start_ms), Number(row.end_ms)));
      await audit(tx, req, { action: "booking.no_show", entityType: "booking", entityId: id, regionId: f.region_id, allianceId: row.alliance_id, schoolId: row.booker_school_id, detail: { penalty: penalty.amount } });
    });
    return this.detail(actor, id);
  }
  // ---- waitlist ------------------------------------------------------------------------------
  async joinWaitlist(actor, input) {
    const { row: f, alliances } = await this.facilities.getVisible(actor, input.facilityId).catch((err) => {
      if (err instanceof AppError && err.status === 404) throw badRequest([{ field: "facilityId", code: "not_found" }]);
      throw err;
    });
    const startMs = Date.parse(input.start);
    const endMs = Date.parse(input.end);
    if (!(endMs > startMs)) throw badRequest([{ field: "end", code: "end_before_start" }]);
    if (startMs < Date.now()) throw badRequest([{ field: "start", code: "in_past" }]);
    const { allianceId, bookerSchoolId } = await this.allianceFor(this.db, actor, f, alliances, input.allianceId, startMs);
    const id = newId();
    const now = nowIso();
    await this.db.insertInto("waitlist").values({
      id,
      facility_id: f.id,
      user_id: actor.userId,
      school_id: bookerSchoolId,
      alliance_id: allianceId,
      start_ms: startMs,
      end_ms: endMs,
      start_at: new Date(startMs).toISOString(),
      end_at: new Date(endMs).toISOString(),
      purpose: input.purpose,
      group_size: input.groupSize,
      responsible_teacher: input.responsibleTeacher,
      status: "waiting",
      offer_expires_at: null,
      booking_id: null,
      created_at: now,
      updated_at: now
    }).execute();
    return (await this.myWaitlist(actor)).items.find((w) => w.id === id);
  }
  /** A slot was freed: offer it to the first one waiting whose requested time is now free. */
  async offerFreedSlot(tx, f, startMs, endMs, nowMs) {
    const waiting = await tx.selectFrom("waitlist").selectAll().where("facility_id", "=", f.id).where("status", "=", "waiting").where("start_ms", "<", endMs).where("end_ms", ">", startMs).where("start_ms", ">", nowMs).orderBy("created_at").orderBy("id").execute();
    const bufferMs = f.buffer_minutes * MINUTE;
    for (const w of waiting) {
      const busy = await tx.selectFrom("bookings").select("id").where("facility_id", "=", f.id).where("status", "in", HOLDING_STATUSES).where("start_ms", "<", Number(w.end_ms) + bufferMs).where("block_end_ms", ">", Number(w.start_ms)).executeTakeFirst();
      if (busy) continue;
      const expires = Math.min(nowMs + OFFER_HOURS * HOUR, Number(w.start_ms));
      await tx.updateTable("waitlist").set({ status: "offered", offer_expires_at: new Date(expires).toISOString(), updated_at: nowIso() }).where("id", "=", w.id).execute();
      return w.id;
    }
    return null;
  }
  async myWaitlist(actor) {
    const rows = await this.db.selectFrom("waitlist as w").innerJoin("facilities as f", "f.id", "w.facility_id").selectAll("w").select("f.name as facility_name").where("w.user_id", "=", actor.userId).orderBy("w.start_ms").execute();
    const nowIsoStr = nowIso();
    const items = [];
    for (const w of rows) {
      let position = null;
      if (w.status === "waiting") {
        const ahead = await this.db.selectFrom("waitlist").select((eb) => eb.fn.countAll().as("n")).where("facility_id", "=", w.facility_id).where("status", "=", "waiting").where("created_at", "<", w.created_at).where("start_ms", "<", w.end_ms).where("end_ms", ">", w.start_ms).executeTakeFirstOrThrow();
        position = Number(ahead.n) + 1;
      }
      const expired = w.status === "offered" && w.offer_expires_at != null && w.offer_expires_at < nowIsoStr;
      items.push({
        id: w.id,
        facilityId: w.facility_id,
        facilityName: w.facility_name,
        start: w.start_at,
        end: w.end_at,
        status: expired ? "expired" : w.status,
        offerExpiresAt: w.offer_expires_at,
        bookingId: w.booking_id,
        position,
        createdAt: w.created_at
      });
    }
    return { items, total: items.length };
  }
  async acceptOffer(req, actor, id, acceptTerms) {
    if (!acceptTerms) throw badRequest([{ field: "acceptTerms", code: "must_accept_terms" }]);
    const w = await this.db.selectFrom("waitlist").selectAll().where("id", "=", id).executeTakeFirst();
    if (!w || w.user_id !== actor.userId) throw notFound("waitlist");
    if (w.status !== "offered") throw this.invalid(w.status, "accept");
    if (w.offer_expires_at && w.offer_expires_at < nowIso()) throw new AppError(409, "offer_expired");
    const input = {
      facilityId: w.facility_id,
      allianceId: w.alliance_id,
      start: w.start_at,
      end: w.end_at,
      purpose: w.purpose,
      groupSize: w.group_size,
      responsibleTeacher: w.responsible_teacher,
      acceptTerms: true,
      mode: "all_or_nothing",
      equipment: []
    };
    try {
      return await this.db.transaction().execute(async (tx) => {
        const created = await this.createIn(tx, req, actor, input, Date.now());
        await tx.updateTable("waitlist").set({ status: "booked", booking_id: created.bookings[0].id, updated_at: nowIso() }).where("id", "=", id).where("status", "=", "offered").execute();
        return created;
      });
    } catch (err) {
      throw await this.mapOverlap(err, w.facility_id);
    }
  }
  async withdrawWaitlist(actor, id) {
    const w = await this.db.selectFrom("waitlist").selectAll().where("id", "=", id).executeTakeFirst();
    if (!w || w.user_id !== actor.userId) throw notFound("waitlist");
    if (w.status !== "waiting" && w.status !== "offered") throw this.invalid(w.status, "withdraw");
    await this.db.updateTable("waitlist").set({ status: "withdrawn", updated_at: nowIso() }).where("id", "=", id).execute();
    return (await this.myWaitlist(actor)).items.find((x) => x.id === id);
  }
  // ---- standalone equipment loans -------------------------------------------------------------
  async lend(req, actor, equipmentId, input) {
    const fromMs = Date.parse(input.from);
    const toMs = Date.parse(input.to);
    if (!(toMs > fromMs)) throw badRequest([{ field: "to", code: "end_before_start" }]);
    if (fromMs < Date.now() - HOUR) throw badRequest([{ field: "from", code: "in_past" }]);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      const { e, facility, alliances } = await this.facilities.getEquipment(actor, equipmentId, false, tx);
      if (e.usage !== "lendable" || e.status !== "available") throw badRequest([{ field: "equipmentId", code: "not_lendable" }]);
      const { bookerSchoolId, allianceId } = await this.allianceFor(tx, actor, facility, alliances, void 0, fromMs);
      await lockRow(tx, this.database.dialect, "equipment", e.id);
      const peak = await this.facilities.peakLent(tx, e.id, fromMs, toMs);
      if (peak + input.quantity > e.quantity) {
        throw new AppError(409, "equipment_unavailable", { name: e.name, left: Math.max(0, e.quantity - peak) }, [{ field: "quantity", code: "too_big", params: { max: Math.max(0, e.quantity - peak) } }]);
      }
      const now = nowIso();
      await tx.insertInto("equipment_loans").values({
        id,
        equipment_id: e.id,
        booking_id: null,
        borrower_id: actor.userId,
        borrower_school_id: bookerSchoolId,
        quantity: input.quantity,
        from_ms: fromMs,
        to_ms: toMs,
        from_at: new Date(fromMs).toISOString(),
        to_at: new Date(toMs).toISOString(),
        status: "reserved",
        created_at: now,
        updated_at: now
      }).execute();
      await audit(tx, req, { action: "loan.create", entityType: "loan", entityId: id, regionId: e.region_id, allianceId, schoolId: bookerSchoolId, detail: { equipmentId, quantity: input.quantity } });
    });
    return this.loan(id);
  }
  async loan(id) {
    const r = await this.db.selectFrom("equipment_loans as l").innerJoin("equipment as e", "e.id", "l.equipment_id").selectAll("l").select("e.name as equipment_name").where("l.id", "=", id).executeTakeFirstOrThrow();
    return loanOut(r);
  }
  /** return (the owner) or cancel (the borrower or the owner) a loan */
  async endLoan(req, actor, id, step) {
    await this.db.transaction().execute(async (tx) => {
      const l = await tx.selectFrom("equipment_loans").selectAll().where("id", "=", id).executeTakeFirst();
      if (!l) throw notFound("loan");
      const e = await tx.selectFrom("equipment").selectAll().where("id", "=", l.equipment_id).executeTakeFirstOrThrow();
      const f = await tx.selectFrom("facilities").selectAll().where("id", "=", e.facility_id).executeTakeFirstOrThrow();
      const manage = this.facilities.canManage(actor, f, await this.facilities.ownerAlliances(tx, f));
      const borrower = l.borrower_id === actor.userId;
      if (!manage && !(borrower && step === "cancel")) throw borrower ? forbidden() : notFound("loan");
      const allowed = step === "return" ? ["reserved", "out"] : ["reserved"];
      if (!allowed.includes(l.status)) throw this.invalid(l.status, step);
      await tx.updateTable("equipment_loans").set({ status: step === "return" ? "returned" : "cancelled", updated_at: nowIso() }).where("id", "=", id).execute();
      await audit(tx, req, { action: `loan.${step}`, entityType: "loan", entityId: id, regionId: e.region_id, schoolId: l.borrower_school_id });
    });
    return this.loan(id);
  }
};
function loanOut(r) {
  return { id: r.id, equipmentId: r.equipment_id, equipmentName: r.equipment_name, bookingId: r.booking_id, quantity: r.quantity, from: r.from_at, to: r.to_at, status: r.status };
}

// src/server/modules/facilities/ical.ts
init_db();
init_errors();
init_ids();
init_facilities();
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
var VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Asia/Shanghai",
  "X-LIC-LOCATION:Asia/Shanghai",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "DTSTART:19700101T000000",
  "END:STANDARD",
  "END:VTIMEZONE"
].join("\r\n");
var wall = (iso2) => new Date(Date.parse(iso2) + TZ_OFFSET_MS);
var CalendarService = class {
  constructor(database, facilities, publicUrl) {
    this.database = database;
    this.facilities = facilities;
    this.publicUrl = publicUrl;
  }
  database;
  facilities;
  publicUrl;
  async createToken(actor, kind, id) {
    const db = this.database.db;
    if (kind === "facility") {
      await this.facilities.getVisible(actor, id).catch(() => {
        throw badRequest([{ field: "id", code: "not_found" }]);
      });
    } else if (kind === "school") {
      const s = await db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", id).executeTakeFirst();
      if (!s || !(actor.isPlatformAdmin || actor.schools.has(id) || actor.readRegions.has(s.region_id))) throw badRequest([{ field: "id", code: "not_found" }]);
    } else if (id !== actor.userId && !actor.isPlatformAdmin) {
      throw badRequest([{ field: "id", code: "not_found" }]);
    }
    const token = randomToken(24);
    await db.insertInto("calendar_tokens").values({ id: sha256(token), user_id: actor.userId, kind, target_id: id, created_at: nowIso(), last_used_at: null }).execute();
    return { url: `${this.publicUrl.replace(/\/$/, "")}/api/calendar/feed/${token}.ics`, kind, id };
  }
  async feed(file) {
    const db = this.database.db;
    const token = file.replace(/\.ics$/, "");
    const t = await db.selectFrom("calendar_tokens as t").innerJoin("users as u", "u.id", "t.user_id").select(["t.id", "t.kind", "t.target_id", "u.status"]).where("t.id", "=", sha256(token)).executeTakeFirst();
    if (!t || t.status !== "active") throw notFound("calendar");
    await db.updateTable("calendar_tokens").set({ last_used_at: nowIso() }).where("id", "=", t.id).execute();
    const from = Date.now() - 60 * DAY;
    const to = Date.now() + 400 * DAY;
    let qb = db.selectFrom("bookings as b").innerJoin("facilities as f", "f.id", "b.facility_id").leftJoin("schools as s", "s.id", "f.school_id").leftJoin("partners as p", "p.id", "f.partner_id").select([
      "b.id",
      "b.start_at",
      "b.end_at",
      "b.status",
      "b.purpose",
      "b.group_size",
      "b.responsible_teacher",
      "b.updated_at",
      "f.name as facility_name",
      "f.type",
      "f.location",
      "s.name as school_name",
      "p.name as partner_name"
    ]).where("b.status", "in", ["pending", "accepted", "checked_in"]).where("b.start_ms", ">=", from).where("b.start_ms", "<", to);
    let title = "\u9884\u7EA6\u65E5\u5386";
    if (t.kind === "facility") {
      qb = qb.where("b.facility_id", "=", t.target_id);
      title = (await db.selectFrom("facilities").select("name").where("id", "=", t.target_id).executeTakeFirst())?.name ?? title;
    } else if (t.kind === "school") {
      const sid = t.target_id;
      qb = qb.where((eb) => eb.or([eb("b.booker_school_id", "=", sid), eb("f.school_id", "=", sid)]));
      title = `${(await db.selectFrom("schools").select("name").where("id", "=", sid).executeTakeFirst())?.name ?? ""} \u8BBE\u65BD\u9884\u7EA6`;
    } else {
      qb = qb.where("b.booker_id", "=", t.target_id);
      title = "\u6211\u7684\u8BBE\u65BD\u9884\u7EA6";
    }
    const rows = await qb.orderBy("b.start_ms").limit(5e3).execute();
    const cal = ical({ name: title, method: ICalCalendarMethod.PUBLISH, prodId: { company: "xiaolian", product: "bookings", language: "ZH" } });
    cal.timezone({ name: "Asia/Shanghai", generator: () => VTIMEZONE });
    for (const r of rows) {
      cal.createEvent({
        id: r.id,
        start: wall(r.start_at),
        end: wall(r.end_at),
        timezone: "Asia/Shanghai",
        summary: `${r.facility_name}\uFF1A${r.purpose}`,
        location: [r.school_name ?? r.partner_name, r.facility_name, r.location].filter(Boolean).join(" "),
        description: `${FACILITY_TYPES.label(r.type)}\uFF5C${BOOKING_STATUSES.label(r.status)}\uFF5C${r.group_size} \u4EBA\uFF5C\u8D1F\u8D23\u6559\u5E08 ${r.responsible_teacher}`,
        status: r.status === "pending" ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        lastModified: new Date(r.updated_at),
        stamp: new Date(r.updated_at)
      });
    }
    return cal.toString();
  }
};

// src/server/modules/facilities/routes.ts
var IdParams = z17.object({ id: Id });
var idemHeader = z17.object({ "idempotency-key": z17.string().max(200).optional() }).passthrough();
async function facilityRoutes(app, ctx) {
  const facilities = new FacilityService(ctx.database);
  const bookings = new BookingService(ctx.database, facilities);
  const calendar = new CalendarService(ctx.database, facilities, ctx.config.publicUrl);
  const r = zapp(app);
  const tags = ["\u8BBE\u65BD facilities"];
  const btags = ["\u9884\u7EA6 bookings"];
  r.get("/api/facilities", {
    config: { permission: "facility.read" },
    schema: { tags, summary: "\u8BBE\u65BD\u5217\u8868\uFF08\u7C7B\u578B\u3001\u5B66\u79D1\u3001\u5B66\u6821\u3001\u8054\u76DF\u3001\u8DDD\u79BB\u3001\u6307\u5B9A\u65F6\u6BB5\u7A7A\u95F2\uFF09", querystring: FacilityQuery, response: { 200: paginated(FacilitySummary) } }
  }, async (req) => facilities.list(actorOf(req), req.query));
  r.get("/api/facilities/:id", {
    config: { permission: "facility.read" },
    schema: { tags, summary: "\u8BBE\u65BD\u8BE6\u60C5\uFF08\u5668\u6750\u3001\u5F00\u653E\u65F6\u95F4\u3001\u5B89\u5168\u89C4\u5B9A\u3001\u95ED\u9986\u5B89\u6392\uFF09", params: IdParams, response: { 200: FacilityDetail } }
  }, async (req) => facilities.detail(actorOf(req), req.params.id));
  r.post("/api/facilities", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u767B\u8BB0\u8BBE\u65BD\uFF08\u672C\u6821\u6216\u5408\u4F5C\u65B9\u573A\u9986\uFF09", body: FacilityCreate, response: { 201: FacilityDetail } }
  }, async (req, reply) => reply.code(201).send(await facilities.create(req, actorOf(req), req.body)));
  r.patch("/api/facilities/:id", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u4FEE\u6539\u8BBE\u65BD\u4FE1\u606F\u4E0E\u9884\u7EA6\u89C4\u5219", params: IdParams, body: FacilityUpdate, response: { 200: FacilityDetail } }
  }, async (req) => facilities.update(req, actorOf(req), req.params.id, req.body));
  r.put("/api/facilities/:id/open-hours", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u8BBE\u7F6E\u6BCF\u5468\u5F00\u653E\u65F6\u95F4", params: IdParams, body: OpenHoursPut, response: { 200: z17.array(OpenHourOut) } }
  }, async (req) => facilities.putOpenHours(req, actorOf(req), req.params.id, req.body.hours));
  r.post("/api/facilities/:id/closures", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u8BBE\u65BD\u95ED\u9986\uFF08\u8003\u8BD5/\u7EF4\u4FEE/\u8282\u5047\u65E5\uFF09", params: IdParams, body: ClosureCreate, response: { 201: ClosureOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addClosure(req, actorOf(req), { facilityId: req.params.id }, req.body)));
  r.post("/api/schools/:id/closures", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u5168\u6821\u95ED\u9986\uFF08\u8003\u8BD5\u5468/\u8282\u5047\u65E5\uFF09", params: IdParams, body: ClosureCreate, response: { 201: ClosureOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addClosure(req, actorOf(req), { schoolId: req.params.id }, req.body)));
  r.delete("/api/closures/:id", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u5220\u9664\u95ED\u9986\u5B89\u6392", params: IdParams }
  }, async (req, reply) => {
    await facilities.deleteClosure(req, actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  r.get("/api/schools/:id/terms", {
    config: { permission: "facility.read" },
    schema: { tags, summary: "\u5B66\u6821\u5B66\u671F\u6821\u5386", params: IdParams, response: { 200: z17.array(TermOut) } }
  }, async (req) => facilities.terms(actorOf(req), req.params.id));
  r.post("/api/schools/:id/terms", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u767B\u8BB0\u5B66\u671F", params: IdParams, body: TermCreate, response: { 201: TermOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addTerm(req, actorOf(req), req.params.id, req.body)));
  r.post("/api/facilities/:id/equipment", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u767B\u8BB0\u4EEA\u5668\u8BBE\u5907", params: IdParams, body: EquipmentCreate, response: { 201: EquipmentOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addEquipment(req, actorOf(req), req.params.id, req.body)));
  r.patch("/api/equipment/:id", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u4FEE\u6539\u4EEA\u5668\u8BBE\u5907\uFF08\u6570\u91CF\u3001\u72B6\u6001\uFF09", params: IdParams, body: EquipmentUpdate, response: { 200: EquipmentOut } }
  }, async (req) => facilities.updateEquipment(req, actorOf(req), req.params.id, req.body));
  r.get("/api/alliances/:id/kits", {
    config: { permission: "facility.read" },
    schema: { tags, summary: "\u6D41\u52A8\u5B9E\u9A8C\u5BA4/\u79FB\u52A8\u5668\u6750\u7BB1\u53CA\u8F6E\u8F6C\u5B89\u6392", params: IdParams, response: { 200: z17.array(KitOut) } }
  }, async (req) => facilities.kits(actorOf(req), req.params.id));
  r.post("/api/alliances/:id/kits", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u767B\u8BB0\u6D41\u52A8\u5B9E\u9A8C\u5BA4/\u79FB\u52A8\u5668\u6750\u7BB1", params: IdParams, body: KitCreate, response: { 201: KitOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addKit(req, actorOf(req), req.params.id, req.body)));
  r.post("/api/kits/:id/rotations", {
    config: { permission: "facility.manage" },
    schema: { tags, summary: "\u53D1\u5E03\u8F6E\u8F6C\u5B89\u6392", params: IdParams, body: RotationCreate, response: { 201: KitOut } }
  }, async (req, reply) => reply.code(201).send(await facilities.addRotation(req, actorOf(req), req.params.id, req.body)));
  r.get("/api/facilities/:id/availability", {
    config: { permission: "facility.read" },
    schema: { tags, summary: "\u8BBE\u65BD\u5468\u5386\uFF1A\u5DF2\u5360\u7528\u65F6\u6BB5\u3001\u5F00\u653E\u65F6\u95F4\u3001\u95ED\u9986", params: IdParams, querystring: AvailabilityQuery, response: { 200: AvailabilityOut } }
  }, async (req) => bookings.availability(actorOf(req), req.params.id, req.query));
  r.post("/api/bookings/preview", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u9884\u7EA6\u9884\u89C8\uFF1A\u9010\u6B21\u72B6\u6001\u4E0E\u79EF\u5206\u62A5\u4EF7", body: BookingPreview, response: { 200: PreviewOut } }
  }, async (req) => bookings.preview(actorOf(req), req.body));
  r.post("/api/bookings", {
    config: { permission: "booking.create" },
    schema: {
      tags: btags,
      summary: "\u9884\u7EA6\u8BBE\u65BD\uFF08\u5355\u6B21\u6216\u6309\u5468\u91CD\u590D\uFF0C\u652F\u6301 Idempotency-Key\uFF09",
      headers: idemHeader,
      body: BookingCreate,
      response: { 201: BookingCreated }
    }
  }, async (req, reply) => {
    const res = await bookings.create(req, actorOf(req), req.body, idempotencyKey(req));
    if (res.replayed) reply.header("idempotent-replayed", "true");
    return reply.code(201).send(res.body);
  });
  r.get("/api/bookings", {
    config: { permission: "facility.read" },
    schema: { tags: btags, summary: "\u9884\u7EA6\u5217\u8868\uFF08\u6211\u7684 / \u672C\u6821 / \u67D0\u8BBE\u65BD\uFF09", querystring: BookingListQuery, response: { 200: paginated(BookingOut) } }
  }, async (req) => bookings.list(actorOf(req), req.query));
  r.get("/api/bookings/inbox", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u5F85\u5BA1\u6279\u7684\u9884\u7EA6\uFF08\u8BBE\u65BD\u6240\u5C5E\u65B9\uFF09", response: { 200: z17.object({ items: z17.array(BookingOut), total: z17.number() }) } }
  }, async (req) => bookings.inbox(actorOf(req)));
  r.get("/api/bookings/reminders", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "24 \u5C0F\u65F6\u5185\u5F00\u59CB\u7684\u9884\u7EA6\u63D0\u9192", response: { 200: z17.object({ items: z17.array(BookingOut), total: z17.number() }) } }
  }, async (req) => bookings.reminders(actorOf(req)));
  r.get("/api/bookings/:id", {
    config: { permission: "facility.read" },
    schema: { tags: btags, summary: "\u9884\u7EA6\u8BE6\u60C5", params: IdParams, response: { 200: BookingDetail } }
  }, async (req) => bookings.detail(actorOf(req), req.params.id));
  r.post("/api/bookings/:id/approve", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u6279\u51C6\u9884\u7EA6\uFF08\u6263\u9664\u79EF\u5206\uFF09", params: IdParams, body: DecideBody.optional(), response: { 200: BookingDetail } }
  }, async (req) => bookings.approve(req, actorOf(req), req.params.id));
  r.post("/api/bookings/:id/reject", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u62D2\u7EDD\u9884\u7EA6\uFF08\u987B\u586B\u5199\u7406\u7531\uFF09", params: IdParams, body: RejectBody, response: { 200: BookingDetail } }
  }, async (req) => bookings.reject(req, actorOf(req), req.params.id, req.body.reason));
  r.post("/api/bookings/:id/cancel", {
    config: { permission: "signed_in" },
    schema: {
      tags: btags,
      summary: "\u53D6\u6D88\u9884\u7EA6\uFF08\u9884\u7EA6\u4EBA\u6216\u6240\u5C5E\u65B9\uFF1B\u6309\u65F6\u9650\u9000\u8FD8\u79EF\u5206\uFF0C\u652F\u6301 Idempotency-Key\uFF09",
      params: IdParams,
      headers: idemHeader,
      body: DecideBody.optional(),
      response: { 200: BookingDetail.extend({ refund: z17.number(), timely: z17.boolean() }) }
    }
  }, async (req) => bookings.cancel(req, actorOf(req), req.params.id, req.body?.reason, idempotencyKey(req)));
  r.post("/api/bookings/:id/check-in", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u7B7E\u5230", params: IdParams, response: { 200: BookingDetail } }
  }, async (req) => bookings.checkIn(req, actorOf(req), req.params.id));
  r.post("/api/bookings/:id/no-show", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u767B\u8BB0\u672A\u5230\u573A\uFF08\u6309\u8054\u76DF\u89C4\u5219\u6263\u7F5A\uFF09", params: IdParams, response: { 200: BookingDetail } }
  }, async (req) => bookings.noShow(req, actorOf(req), req.params.id));
  r.post("/api/waitlist", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u5019\u8865\u6392\u961F", body: WaitlistCreate, response: { 201: WaitlistOut } }
  }, async (req, reply) => reply.code(201).send(await bookings.joinWaitlist(actorOf(req), req.body)));
  r.get("/api/waitlist", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u6211\u7684\u5019\u8865", response: { 200: z17.object({ items: z17.array(WaitlistOut), total: z17.number() }) } }
  }, async (req) => bookings.myWaitlist(actorOf(req)));
  r.post("/api/waitlist/:id/accept", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u63A5\u53D7\u7A7A\u6863\u5E76\u9884\u7EA6", params: IdParams, body: WaitlistAccept, response: { 201: BookingCreated } }
  }, async (req, reply) => reply.code(201).send(await bookings.acceptOffer(req, actorOf(req), req.params.id, req.body.acceptTerms)));
  r.post("/api/waitlist/:id/withdraw", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u64A4\u56DE\u5019\u8865", params: IdParams, response: { 200: WaitlistOut } }
  }, async (req) => bookings.withdrawWaitlist(actorOf(req), req.params.id));
  r.post("/api/equipment/:id/loans", {
    config: { permission: "booking.create" },
    schema: { tags: btags, summary: "\u501F\u7528\u5668\u6750\uFF08\u53EF\u5916\u501F\u7684\u5668\u6750\uFF09", params: IdParams, body: LoanCreate, response: { 201: LoanOut } }
  }, async (req, reply) => reply.code(201).send(await bookings.lend(req, actorOf(req), req.params.id, req.body)));
  r.post("/api/loans/:id/return", {
    config: { permission: "booking.decide" },
    schema: { tags: btags, summary: "\u5668\u6750\u5F52\u8FD8\uFF08\u6240\u5C5E\u65B9\u767B\u8BB0\uFF09", params: IdParams, response: { 200: LoanOut } }
  }, async (req) => bookings.endLoan(req, actorOf(req), req.params.id, "return"));
  r.post("/api/loans/:id/cancel", {
    config: { permission: "signed_in" },
    schema: { tags: btags, summary: "\u53D6\u6D88\u5668\u6750\u501F\u7528", params: IdParams, response: { 200: LoanOut } }
  }, async (req) => bookings.endLoan(req, actorOf(req), req.params.id, "cancel"));
  r.post("/api/calendar/tokens", {
    config: { permission: "facility.read" },
    schema: { tags: btags, summary: "\u751F\u6210 iCalendar \u8BA2\u9605\u5730\u5740\uFF08\u8BBE\u65BD / \u5B66\u6821 / \u6559\u5E08\uFF09", body: CalendarTokenCreate, response: { 201: CalendarTokenOut } }
  }, async (req, reply) => reply.code(201).send(await calendar.createToken(actorOf(req), req.body.kind, req.body.id)));
  r.get("/api/calendar/feed/:file", {
    config: { permission: "public" },
    schema: { tags: btags, summary: "iCalendar \u8BA2\u9605\uFF08\u79C1\u5BC6\u94FE\u63A5\uFF09", params: z17.object({ file: z17.string().min(10).max(100) }) }
  }, async (req, reply) => {
    const body = await calendar.feed(req.params.file);
    return reply.type("text/calendar; charset=utf-8").header("cache-control", "private, max-age=300").send(body);
  });
}

// src/server/modules/resources/routes.ts
init_resources();
init_vocab();
import { z as z19 } from "zod";
init_errors();
init_schema();

// src/server/modules/resources/files.ts
init_resources();
init_errors();
init_ids();
import { Readable as Readable2 } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === "" && b === "") return null;
  if (size === 0) return "unsatisfiable";
  if (a === "") {
    const suffix = Number(b);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return "unsatisfiable";
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return null;
  return { start, end };
}
var HEAD_BYTES = 256 * 1024;
var LEGACY_OFFICE = {
  doc: "application/msword",
  ppt: "application/vnd.ms-powerpoint",
  xls: "application/vnd.ms-excel"
};
function isUtf8Text(head) {
  if (head.length === 0) return false;
  if (head.includes(0)) return false;
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
    }
  }
  return false;
}
async function sniffMime(head, name, complete) {
  const ext = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? "").toLowerCase();
  let ft;
  try {
    ft = await fileTypeFromBuffer(head);
  } catch {
    ft = void 0;
  }
  if (ft) {
    if (ft.mime === "application/x-cfb") return LEGACY_OFFICE[ext] ?? null;
    if (ft.mime === "video/x-m4v") return "video/mp4";
    if (ft.mime === "application/zip" && !complete) return null;
    return ft.mime;
  }
  if (["txt", "md", "csv"].includes(ext) && isUtf8Text(head)) return "text/plain";
  return null;
}
async function peek(src, n) {
  const it = src[Symbol.asyncIterator]();
  const chunks = [];
  let len = 0;
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    yield head;
    if (done) return;
    for (; ; ) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head: head.subarray(0, n), complete: done, stream: Readable2.from(all(), { objectMode: false }) };
}
var PATH_TRICK = /[\\/\u0000-\u001f]|^\.|\.\.|^[a-zA-Z]:/;
function tooLarge2(max) {
  return new AppError(413, "payload_too_large", {}, [{ field: "file", code: "too_big", params: { max: formatBytes(max) } }]);
}
function isCutOff(err) {
  const msg = err?.message ?? "";
  return /unexpected end of (form|multipart)|aborted|premature close|ECONNRESET/i.test(msg) || err?.code === "ERR_STREAM_PREMATURE_CLOSE";
}
async function receiveFile2(req, storage, resourceId, kind) {
  if (!req.isMultipart()) throw new AppError(415, "unsupported_media_type");
  const rules = KIND_RULES[kind];
  const raw = {};
  let stored = null;
  try {
    for await (const part of req.parts({ preservePath: true, limits: { fileSize: rules.maxBytes, files: 2, fields: 10, fieldSize: 1e4 } })) {
      if (part.type === "field") {
        raw[part.fieldname] = String(part.value);
        continue;
      }
      const file = part;
      if (file.fieldname !== "file" || stored) {
        file.file.resume();
        throw badRequest([{ field: file.fieldname, code: "unknown_field" }]);
      }
      const original = file.filename ?? "";
      if (!original.trim() || PATH_TRICK.test(original)) {
        file.file.resume();
        throw badRequest([{ field: "file", code: "invalid", params: { reason: "\u6587\u4EF6\u540D\u4E0D\u80FD\u5305\u542B\u8DEF\u5F84\u3001\u201C..\u201D\u6216\u63A7\u5236\u5B57\u7B26 / the name must not contain a path" } }], "invalid_file_name");
      }
      const name = safeFileName(original);
      const { head, complete, stream } = await peek(file.file, HEAD_BYTES);
      const mime = head.length ? await sniffMime(head, name, complete) : null;
      const family = mime ? acceptedFamily(kind, mime) : null;
      if (!mime || !family) {
        stream.resume();
        file.file.resume();
        const allowed = rules.families.map((f) => FAMILY_LABELS[f][req.lang]);
        throw new AppError(415, "file_type_not_allowed", { allowed }, [{ field: "file", code: "invalid", params: { reason: head.length ? allowed.join("\u3001") : "\u7A7A\u6587\u4EF6" } }]);
      }
      const key = `resources/${resourceId}/${newId()}`;
      let put;
      try {
        put = await storage.put(key, stream, { maxBytes: rules.maxBytes });
      } catch (err) {
        file.file.resume();
        if (err instanceof FileTooLargeError || err.code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge2(rules.maxBytes);
        if (isCutOff(err)) throw new AppError(400, "upload_incomplete");
        throw err;
      }
      if (file.file.truncated) {
        await storage.delete(key);
        throw tooLarge2(rules.maxBytes);
      }
      stored = { ...put, name, mime, role: "main", note: null };
    }
    if (!stored) throw badRequest([{ field: "file", code: "required" }]);
    const role = raw.role ?? "main";
    if (!FILE_ROLES.codes.includes(role)) throw badRequest([{ field: "role", code: "invalid_value", params: { options: FILE_ROLES.codes } }]);
    if (role !== "main" && !rules.package) throw badRequest([{ field: "role", code: "invalid_value", params: { options: ["main"] } }]);
    const note = raw.note?.trim() || null;
    if (note && note.length > 500) throw badRequest([{ field: "note", code: "too_long", params: { max: 500 } }]);
    stored.role = role;
    stored.note = note;
    return stored;
  } catch (err) {
    if (stored) await storage.delete(stored.key);
    if (err instanceof AppError) throw err;
    if (err.code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge2(rules.maxBytes);
    if (isCutOff(err)) throw new AppError(400, "upload_incomplete");
    throw err;
  }
}
async function readSmall(storage, key, max) {
  const st = await storage.stat(key);
  if (!st || st.size > max) return null;
  const chunks = [];
  for await (const c of storage.get(key)) chunks.push(c);
  return Buffer.concat(chunks);
}

// src/server/modules/resources/schema.ts
init_vocab();
init_resources();
init_schema();
import { z as z18 } from "zod";
var Tag = z18.string().trim().min(1).max(20);
var AuthorIn = z18.strictObject({
  userId: Id.optional(),
  name: z18.string().trim().min(1).max(40).optional()
});
var MetaFields = {
  kind: z18.enum(RESOURCE_KINDS.codes),
  title: z18.string().trim().min(2).max(120),
  description: z18.string().trim().max(5e3).default(""),
  subject: z18.enum(SUBJECTS.codes),
  stage: z18.enum(STAGES.codes),
  grade: z18.enum(GRADES.codes).nullable().optional(),
  textbookEdition: z18.enum(TEXTBOOK_EDITIONS.codes).nullable().optional(),
  chapter: z18.string().trim().max(100).nullable().optional(),
  difficulty: z18.enum(DIFFICULTY.codes).nullable().optional(),
  tags: z18.array(Tag).max(12).default([]),
  language: z18.enum(RESOURCE_LANGUAGES.codes).default("zh"),
  licence: z18.enum(LICENCES.codes),
  visibility: z18.enum(VISIBILITY.codes),
  /** 联盟 of the resource; default: the owning school's alliance */
  allianceId: Id.nullable().optional(),
  authors: z18.array(AuthorIn).min(1).max(10).optional()
};
var ResourceCreate = z18.strictObject({
  ...MetaFields,
  /** owning school; default: the author's school */
  schoolId: Id.optional()
});
var ResourceUpdate = z18.strictObject({
  title: MetaFields.title.optional(),
  description: z18.string().trim().max(5e3).optional(),
  subject: MetaFields.subject.optional(),
  stage: MetaFields.stage.optional(),
  grade: MetaFields.grade,
  textbookEdition: MetaFields.textbookEdition,
  chapter: MetaFields.chapter,
  difficulty: MetaFields.difficulty,
  tags: z18.array(Tag).max(12).optional(),
  language: z18.enum(RESOURCE_LANGUAGES.codes).optional(),
  licence: MetaFields.licence.optional(),
  visibility: MetaFields.visibility.optional(),
  allianceId: MetaFields.allianceId,
  authors: MetaFields.authors
});
var SORTS = ["relevance", "newest", "rating", "use"];
var ResourceQuery = z18.strictObject({
  q: z18.string().trim().max(100).optional(),
  kind: z18.enum(RESOURCE_KINDS.codes).optional(),
  subject: z18.enum(SUBJECTS.codes).optional(),
  stage: z18.enum(STAGES.codes).optional(),
  grade: z18.enum(GRADES.codes).optional(),
  schoolId: Id.optional(),
  licence: z18.enum(LICENCES.codes).optional(),
  allianceId: Id.optional(),
  sort: z18.enum(SORTS).optional(),
  page: z18.coerce.number().int().min(1).max(1e4).default(1),
  pageSize: z18.coerce.number().int().min(1).max(100).default(20)
});
var SchoolRefOut = z18.object({ id: z18.string(), name: z18.string() });
var ResourceSummary = z18.object({
  id: z18.string(),
  kind: z18.string(),
  title: z18.string(),
  /** title with <mark> around matched words (HTML-escaped otherwise); only with q */
  titleHighlight: z18.string().nullable(),
  /** a snippet of description/extracted text with <mark>…</mark>; only with q */
  snippet: z18.string().nullable(),
  description: z18.string(),
  subject: z18.string(),
  stage: z18.string(),
  grade: z18.string().nullable(),
  textbookEdition: z18.string().nullable(),
  chapter: z18.string().nullable(),
  difficulty: z18.string().nullable(),
  tags: z18.array(z18.string()),
  licence: z18.string(),
  visibility: z18.string(),
  status: z18.string(),
  school: SchoolRefOut,
  allianceId: z18.string().nullable(),
  authors: z18.array(z18.string()),
  views: z18.number(),
  downloads: z18.number(),
  uses: z18.number(),
  rating: z18.number().nullable(),
  ratingCount: z18.number(),
  publishedAt: z18.string().nullable(),
  updatedAt: z18.string(),
  /** mime of the first file of the version shown (icon, video badge) */
  mainMime: z18.string().nullable()
});
var FacetValue = z18.object({ value: z18.string(), label: z18.string(), count: z18.number() });
var Facets = z18.object({
  subject: z18.array(FacetValue),
  stage: z18.array(FacetValue),
  grade: z18.array(FacetValue),
  kind: z18.array(FacetValue),
  school: z18.array(FacetValue),
  licence: z18.array(FacetValue)
});
var ResourceList = z18.object({
  items: z18.array(ResourceSummary),
  total: z18.number().int(),
  page: z18.number().int(),
  pageSize: z18.number().int(),
  facets: Facets,
  /** the words the query was cut into (what is highlighted) */
  terms: z18.array(z18.string())
});
var FileOut = z18.object({
  id: z18.string(),
  role: z18.string(),
  name: z18.string(),
  mime: z18.string(),
  size: z18.number(),
  sha256: z18.string(),
  /** inline preview possible (PDF, image, video, audio, text, or an office file converted to PDF) */
  previewable: z18.boolean(),
  textExtracted: z18.boolean(),
  previewUrl: z18.string(),
  downloadUrl: z18.string()
});
var VersionOut = z18.object({
  id: z18.string(),
  number: z18.number(),
  note: z18.string().nullable(),
  createdAt: z18.string(),
  createdBy: z18.string().nullable(),
  publishedAt: z18.string().nullable(),
  current: z18.boolean(),
  draft: z18.boolean(),
  files: z18.array(FileOut)
});
var ReviewOut = z18.object({
  id: z18.string(),
  reviewer: z18.string(),
  decision: z18.string(),
  scores: z18.record(z18.string(), z18.number()),
  average: z18.number(),
  comment: z18.string().nullable(),
  versionNumber: z18.number().nullable(),
  createdAt: z18.string()
});
var HistoryOut = z18.object({
  fromStatus: z18.string().nullable(),
  toStatus: z18.string(),
  step: z18.string(),
  actor: z18.string().nullable(),
  comment: z18.string().nullable(),
  at: z18.string()
});
var CommentOut = z18.object({
  id: z18.string(),
  userId: z18.string(),
  userName: z18.string(),
  schoolName: z18.string().nullable(),
  body: z18.string(),
  createdAt: z18.string(),
  canDelete: z18.boolean()
});
var UseOut = z18.object({ id: z18.string(), versionNumber: z18.number(), usedOn: z18.string(), classNote: z18.string().nullable(), createdAt: z18.string() });
var ResourceDetail = ResourceSummary.extend({
  language: z18.string(),
  authorsDetail: z18.array(z18.object({ userId: z18.string().nullable(), name: z18.string() })),
  createdBy: z18.object({ id: z18.string(), name: z18.string() }),
  reviewer: z18.object({ id: z18.string(), name: z18.string() }).nullable(),
  submittedAt: z18.string().nullable(),
  createdAt: z18.string(),
  currentVersionId: z18.string().nullable(),
  draftVersionId: z18.string().nullable(),
  /** files of the version the actor sees first: the current one, or the draft for its author */
  files: z18.array(FileOut),
  versions: z18.array(VersionOut),
  reviews: z18.array(ReviewOut),
  history: z18.array(HistoryOut),
  rubric: z18.array(z18.object({ code: z18.string(), zh: z18.string(), en: z18.string() })),
  myRating: z18.number().nullable(),
  favourite: z18.boolean(),
  myUses: z18.array(UseOut),
  can: z18.object({
    edit: z18.boolean(),
    upload: z18.boolean(),
    submit: z18.boolean(),
    withdraw: z18.boolean(),
    archive: z18.boolean(),
    review: z18.boolean(),
    download: z18.boolean(),
    rate: z18.boolean(),
    use: z18.boolean()
  }),
  /** why download is refused, when it is */
  downloadBlockedReason: z18.string().nullable()
});
var ReviewIn = z18.strictObject({
  decision: z18.enum(["publish", "return"]),
  scores: z18.record(z18.string(), z18.number()),
  comment: z18.string().trim().max(2e3).optional()
});
var StepIn = z18.strictObject({ comment: z18.string().trim().max(2e3).optional() }).optional();
var AssignIn = z18.strictObject({ reviewerId: Id });
var RatingIn = z18.strictObject({ stars: z18.number().int().min(1).max(5) });
var CommentIn = z18.strictObject({ body: z18.string().trim().min(1).max(2e3) });
var UseIn = z18.strictObject({ classNote: z18.string().trim().max(200).optional(), usedOn: DateStr.optional() });
var QueueItem = z18.object({
  id: z18.string(),
  kind: z18.string(),
  title: z18.string(),
  subject: z18.string(),
  stage: z18.string(),
  grade: z18.string().nullable(),
  status: z18.string(),
  school: SchoolRefOut,
  authorName: z18.string(),
  submittedAt: z18.string().nullable(),
  assignedToMe: z18.boolean(),
  versionNumber: z18.number().nullable()
});
var Queue = z18.object({ items: z18.array(QueueItem) });
var MineQuery = z18.strictObject({
  status: z18.enum(RESOURCE_STATUS.codes).optional(),
  page: z18.coerce.number().int().min(1).max(1e4).default(1),
  pageSize: z18.coerce.number().int().min(1).max(100).default(20)
});
var MineList = z18.object({ items: z18.array(ResourceSummary), total: z18.number().int(), page: z18.number().int(), pageSize: z18.number().int() });
var Recommended = z18.object({
  basis: z18.object({ subjects: z18.array(z18.string()), grades: z18.array(z18.string()) }),
  /** for the teacher's subjects and grades */
  forYou: z18.array(ResourceSummary),
  /** what teachers of the same subjects used lately */
  likeYou: z18.array(ResourceSummary)
});
var CatalogueQuery = z18.strictObject({
  month: z18.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  subject: z18.enum(SUBJECTS.codes).optional()
});
var Catalogue = z18.object({
  month: z18.string(),
  subjects: z18.array(z18.object({ subject: z18.string(), label: z18.string(), count: z18.number() })),
  items: z18.array(ResourceSummary)
});
var ContributionOut = z18.object({
  id: z18.string(),
  resourceId: z18.string(),
  resourceTitle: z18.string(),
  usingSchool: z18.string(),
  at: z18.string(),
  amount: z18.number(),
  transactionId: z18.string().nullable()
});
var ContributionList = z18.object({ items: z18.array(ContributionOut), total: z18.number().int() });
var NotificationOut = z18.object({
  id: z18.number(),
  kind: z18.string(),
  resourceId: z18.string().nullable(),
  title: z18.string(),
  body: z18.string().nullable(),
  createdAt: z18.string(),
  readAt: z18.string().nullable()
});
var NotificationList = z18.object({ items: z18.array(NotificationOut), unread: z18.number().int() });

// src/server/modules/resources/service.ts
init_vocab();
import fs4 from "node:fs";
import os2 from "node:os";
import path5 from "node:path";
import { pipeline as pipeline2 } from "node:stream/promises";
import { sql as sql15 } from "kysely";
init_resources();
init_db();
init_fts();
init_audit();
init_errors();
init_extract();
init_ids();
init_search();
init_service3();

// src/server/modules/resources/access.ts
init_resources();
import { sql as sql14 } from "kysely";
function actorSchools(a) {
  const s = new Set(a.schools);
  if (a.schoolId) s.add(a.schoolId);
  return s;
}
function actorRegions(a) {
  return /* @__PURE__ */ new Set([...a.homeRegionChain, ...a.readRegions]);
}
function facts(a, r) {
  return {
    sameSchool: actorSchools(a).has(r.school_id),
    sameAlliance: r.alliance_id != null && a.memberAlliances.has(r.alliance_id),
    sameRegion: actorRegions(a).has(r.region_id),
    signedIn: true
  };
}
var isLive = (r) => r.current_version_id != null && r.status !== "withdrawn" && r.status !== "archived";
function isResourceAdmin(a, r) {
  return a.isPlatformAdmin || a.adminSchools.has(r.school_id) || r.alliance_id != null && a.adminAlliances.has(r.alliance_id) || a.bureauRegions.has(r.region_id);
}
function reviewsAlliance(a, allianceId) {
  return allianceId != null && a.grants.some((g) => g.role === "reviewer" && g.scopeId === allianceId);
}
function seesUnpublished(a, r) {
  if (r.created_by === a.userId || r.reviewer_id === a.userId) return true;
  if ((r.status === "submitted" || r.status === "in_review") && reviewsAlliance(a, r.alliance_id)) return true;
  return isResourceAdmin(a, r);
}
function seesPublished(a, r) {
  if (!isLive(r)) return false;
  if (a.isPlatformAdmin || a.readRegions.has(r.region_id)) return true;
  return visibleTo(r.visibility, facts(a, r));
}
function canSee(a, r) {
  return seesPublished(a, r) || seesUnpublished(a, r);
}
function canDownload(a, r) {
  if (seesUnpublished(a, r)) return true;
  if (!seesPublished(a, r)) return false;
  return downloadAllowed(r.licence, facts(a, r));
}
var inList = (eb, col, ids) => ids.size ? eb(col, "in", [...ids]) : null;
function publishedFilter(a) {
  return (eb) => {
    const live = eb.and([eb("r.current_version_id", "is not", null), eb("r.status", "not in", ["withdrawn", "archived"])]);
    if (a.isPlatformAdmin) return live;
    const schools = actorSchools(a);
    const regions = actorRegions(a);
    const ors = [eb("r.visibility", "=", "public")];
    const s = inList(eb, "r.school_id", schools);
    if (s) ors.push(s);
    const al = inList(eb, "r.alliance_id", a.memberAlliances);
    if (al) ors.push(eb.and([eb("r.visibility", "in", ["alliance", "region"]), al]));
    const rg = inList(eb, "r.region_id", regions);
    if (rg) ors.push(eb.and([eb("r.visibility", "=", "region"), rg]));
    const over = inList(eb, "r.region_id", a.readRegions);
    if (over) ors.push(over);
    return eb.and([live, eb.or(ors)]);
  };
}

// src/server/modules/resources/service.ts
var MAX_EXTRACT_BYTES2 = 50 * 1024 * 1024;
var FACETS = ["subject", "stage", "grade", "kind", "school", "licence"];
var today = () => todayIn();
function invalidTransition(lang, status, step) {
  return new AppError(409, "invalid_transition", { status: RESOURCE_STATUS.label(status, lang), step: WORKFLOW_STEPS.label(step, lang) });
}
var ResourceService = class {
  constructor(database, storage) {
    this.database = database;
    this.storage = storage;
    this.db = database.db;
    this.credits = new CreditService(database);
  }
  database;
  storage;
  db;
  credits;
  // ---- loading and checks ---------------------------------------------------------------------
  async load(id, db = this.db) {
    const r = await db.selectFrom("resources").selectAll().where("id", "=", id).executeTakeFirst();
    if (!r) throw notFound("resource");
    return r;
  }
  /** The resource when the actor may see it in some state; 404 otherwise. */
  async visible(actor, id) {
    const r = await this.load(id);
    if (!canSee(actor, r)) throw notFound("resource");
    return r;
  }
  canEdit(actor, r) {
    return r.created_by === actor.userId || isResourceAdmin(actor, r);
  }
  /** City-level region of a school (the scope of 区域 visibility). */
  async cityOf(regionId) {
    const reg = await this.db.selectFrom("regions").select(["id", "level", "parent_id"]).where("id", "=", regionId).executeTakeFirst();
    if (reg && reg.level === "district" && reg.parent_id) return reg.parent_id;
    return regionId;
  }
  async schoolAlliances(schoolId) {
    const rows = await this.db.selectFrom("alliance_members as m").innerJoin("alliances as a", "a.id", "m.alliance_id").select("m.alliance_id").where("m.school_id", "=", schoolId).where("m.status", "=", "active").where("a.status", "=", "active").orderBy("m.joined_on").orderBy("m.alliance_id").execute();
    return rows.map((r) => r.alliance_id);
  }
  async resolveAuthors(actor, authors) {
    if (!authors) return [{ userId: actor.userId, name: actor.displayName }];
    const errors = [];
    const out = [];
    const ids = authors.map((a) => a.userId).filter((x) => !!x);
    const users = ids.length ? await this.db.selectFrom("users").select(["id", "display_name"]).where("id", "in", ids).execute() : [];
    const byId = new Map(users.map((u) => [u.id, u.display_name]));
    authors.forEach((a, i) => {
      if (a.userId) {
        const n = byId.get(a.userId);
        if (!n) errors.push({ field: `authors.${i}.userId`, code: "not_found" });
        else out.push({ userId: a.userId, name: a.name ?? n });
      } else if (a.name) out.push({ userId: null, name: a.name });
      else errors.push({ field: `authors.${i}.name`, code: "required" });
    });
    if (errors.length) throw badRequest(errors);
    return out;
  }
  checkStageGrade(stage, grade) {
    if (grade && stageOfGrade(grade) !== stage) {
      throw badRequest([{ field: "grade", code: "invalid", params: { reason: `${GRADES.label(grade)}\u4E0D\u5C5E\u4E8E${STAGES.label(stage)}` } }]);
    }
  }
  async checkAlliance(schoolId, allianceId, visibility) {
    const alliances = await this.schoolAlliances(schoolId);
    let chosen;
    if (allianceId === void 0) chosen = alliances[0] ?? null;
    else if (allianceId === null) chosen = null;
    else if (!alliances.includes(allianceId)) throw badRequest([{ field: "allianceId", code: "invalid", params: { reason: "\u6240\u5C5E\u5B66\u6821\u4E0D\u662F\u8BE5\u8054\u76DF\u7684\u6210\u5458\u6821" } }]);
    else chosen = allianceId;
    if (visibility === "alliance" && !chosen) {
      throw badRequest([{ field: "visibility", code: "invalid", params: { reason: "\u5B66\u6821\u672A\u52A0\u5165\u8054\u76DF\uFF0C\u4E0D\u80FD\u9009\u62E9\u201C\u8054\u76DF\u201D\u53EF\u89C1" } }]);
    }
    return chosen;
  }
  /** `later`: ms after now, so steps written in one request keep their order (assign after submit). */
  async history(tx, resourceId, from, to, step, actorId, comment = null, later = 0) {
    const at = new Date(Date.now() + later).toISOString();
    await tx.insertInto("resource_status_history").values({ resource_id: resourceId, from_status: from, to_status: to, step, actor_id: actorId, comment, at }).execute();
  }
  async notify(tx, userId, kind, resourceId, title, body = null) {
    await tx.insertInto("resource_notifications").values({ user_id: userId, kind, resource_id: resourceId, title, body, created_at: nowIso(), read_at: null }).execute();
  }
  // ---- create and edit ------------------------------------------------------------------------
  async create(req, actor, body) {
    const schoolId = body.schoolId ?? actor.schoolId;
    if (!schoolId) throw badRequest([{ field: "schoolId", code: "required" }]);
    if (!actor.isPlatformAdmin && !actorSchools(actor).has(schoolId)) throw badRequest([{ field: "schoolId", code: "out_of_scope" }]);
    const school2 = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", schoolId).executeTakeFirst();
    if (!school2) throw badRequest([{ field: "schoolId", code: "not_found" }]);
    this.checkStageGrade(body.stage, body.grade);
    const allianceId = await this.checkAlliance(schoolId, body.allianceId, body.visibility);
    const authors = await this.resolveAuthors(actor, body.authors);
    const region = await this.cityOf(school2.region_id);
    const id = newId();
    const versionId = newId();
    const now = nowIso();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("resources").values({
        id,
        kind: body.kind,
        title: body.title,
        description: body.description ?? "",
        subject: body.subject,
        stage: body.stage,
        grade: body.grade ?? null,
        textbook_edition: body.textbookEdition ?? null,
        chapter: body.chapter ?? null,
        difficulty: body.difficulty ?? null,
        tags: toJson(uniq(body.tags ?? [])),
        language: body.language ?? "zh",
        licence: body.licence,
        visibility: body.visibility,
        alliance_id: allianceId,
        school_id: schoolId,
        region_id: region,
        created_by: actor.userId,
        status: "draft",
        current_version_id: null,
        draft_version_id: versionId,
        reviewer_id: null,
        submitted_at: null,
        published_at: null,
        views: 0,
        downloads: 0,
        uses: 0,
        rating_sum: 0,
        rating_count: 0,
        created_at: now,
        updated_at: now
      }).execute();
      await tx.insertInto("resource_versions").values({ id: versionId, resource_id: id, number: 1, note: null, created_by: actor.userId, created_at: now, published_at: null }).execute();
      await tx.insertInto("resource_authors").values(authors.map((a, i) => ({ id: newId(), resource_id: id, user_id: a.userId, name: a.name, position: i }))).execute();
      await this.history(tx, id, null, "draft", "create", actor.userId);
    });
    void req;
    return this.detail(actor, id, { countView: false });
  }
  async update(req, actor, id, body) {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status, "edit")) throw invalidTransition(req.lang, r.status, "edit");
    const stage = body.stage ?? r.stage;
    const grade = body.grade !== void 0 ? body.grade : r.grade;
    this.checkStageGrade(stage, grade);
    const visibility = body.visibility ?? r.visibility;
    const allianceId = body.allianceId !== void 0 || body.visibility !== void 0 ? await this.checkAlliance(r.school_id, body.allianceId !== void 0 ? body.allianceId : r.alliance_id, visibility) : r.alliance_id;
    const authors = body.authors ? await this.resolveAuthors(actor, body.authors) : null;
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      if (!nextStatus(cur.status, "edit")) throw invalidTransition(req.lang, cur.status, "edit");
      await tx.updateTable("resources").set({
        ...body.title !== void 0 ? { title: body.title } : {},
        ...body.description !== void 0 ? { description: body.description } : {},
        ...body.subject !== void 0 ? { subject: body.subject } : {},
        stage,
        grade: grade ?? null,
        ...body.textbookEdition !== void 0 ? { textbook_edition: body.textbookEdition } : {},
        ...body.chapter !== void 0 ? { chapter: body.chapter } : {},
        ...body.difficulty !== void 0 ? { difficulty: body.difficulty } : {},
        ...body.tags !== void 0 ? { tags: toJson(uniq(body.tags)) } : {},
        ...body.language !== void 0 ? { language: body.language } : {},
        ...body.licence !== void 0 ? { licence: body.licence } : {},
        visibility,
        alliance_id: allianceId,
        updated_at: nowIso()
      }).where("id", "=", id).execute();
      if (authors) {
        await tx.deleteFrom("resource_authors").where("resource_id", "=", id).execute();
        await tx.insertInto("resource_authors").values(authors.map((a, i) => ({ id: newId(), resource_id: id, user_id: a.userId, name: a.name, position: i }))).execute();
      }
      const after = await this.load(id, tx);
      if (isLive(after)) await this.index(tx, after);
    });
    return this.detail(actor, id, { countView: false });
  }
  /** Puts the published version's words into the search index. */
  async index(tx, r) {
    if (!r.current_version_id) return;
    const files = await tx.selectFrom("resource_files").select(["name", "text"]).where("version_id", "=", r.current_version_id).orderBy("position").execute();
    const tags = fromJson(r.tags, []);
    const body = [r.description, tags.join(" "), r.chapter ?? "", ...files.map((f) => f.text ?? "")].filter(Boolean).join("\n");
    await ftsUpsert(tx, this.database.dialect, { id: r.id, title: r.title, body });
  }
  // ---- files ----------------------------------------------------------------------------------
  async upload(req, actor, id) {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status, "edit")) throw invalidTransition(req.lang, r.status, "edit");
    const kind = r.kind;
    const file = await receiveFile2(req, this.storage, id, kind);
    const keys = [file.key];
    let text2 = null;
    let extracted = 0;
    let pdfKey = null;
    try {
      const fam = MIME_FAMILY[file.mime];
      if (fam === "pdf" || fam === "word" || fam === "text") {
        const buf = await readSmall(this.storage, file.key, MAX_EXTRACT_BYTES2);
        if (buf) {
          try {
            text2 = await extractText({ buffer: buf, mime: file.mime }) || null;
            extracted = 1;
          } catch (err) {
            req.log.warn({ err, file: file.name }, "text extraction failed");
          }
        }
      }
      if (convertible(file.mime) && libreOfficeAvailable()) pdfKey = await this.convert(file.key, file.name);
      if (pdfKey) keys.push(pdfKey);
      const removed = [];
      await this.db.transaction().execute(async (tx) => {
        const cur = await this.load(id, tx);
        if (!nextStatus(cur.status, "edit")) throw invalidTransition(req.lang, cur.status, "edit");
        const versionId = await this.draftVersion(tx, cur, actor, file.note);
        if (file.role === "main" && !KIND_RULES[kind].package) {
          const old = await tx.selectFrom("resource_files").select(["id", "storage_key", "pdf_key"]).where("version_id", "=", versionId).where("role", "=", "main").execute();
          if (old.length) {
            await tx.deleteFrom("resource_files").where("id", "in", old.map((o) => o.id)).execute();
            for (const o of old) removed.push(o.storage_key, ...o.pdf_key ? [o.pdf_key] : []);
          }
        }
        const pos = await tx.selectFrom("resource_files").select((eb) => eb.fn.max("position").as("p")).where("version_id", "=", versionId).executeTakeFirst();
        await tx.insertInto("resource_files").values({
          id: newId(),
          resource_id: id,
          version_id: versionId,
          role: file.role,
          position: Number(pos?.p ?? -1) + 1,
          storage_key: file.key,
          name: file.name,
          mime: file.mime,
          size: file.size,
          sha256: file.sha256,
          text: text2,
          text_extracted: extracted,
          pdf_key: pdfKey,
          created_at: nowIso()
        }).execute();
        if (file.note) await tx.updateTable("resource_versions").set({ note: file.note }).where("id", "=", versionId).execute();
        await tx.updateTable("resources").set({ updated_at: nowIso() }).where("id", "=", id).execute();
      });
      for (const key of removed) {
        const still = await this.db.selectFrom("resource_files").select("id").where((eb) => eb.or([eb("storage_key", "=", key), eb("pdf_key", "=", key)])).limit(1).executeTakeFirst();
        if (!still) await this.storage.delete(key);
      }
    } catch (err) {
      for (const k of keys) await this.storage.delete(k);
      throw err;
    }
    return this.detail(actor, id, { countView: false });
  }
  /** The version being prepared: the open draft, or a new one copying the published files. */
  async draftVersion(tx, r, actor, note) {
    if (r.draft_version_id) return r.draft_version_id;
    const max = await tx.selectFrom("resource_versions").select((eb) => eb.fn.max("number").as("n")).where("resource_id", "=", r.id).executeTakeFirst();
    const versionId = newId();
    await tx.insertInto("resource_versions").values({
      id: versionId,
      resource_id: r.id,
      number: Number(max?.n ?? 0) + 1,
      note,
      created_by: actor.userId,
      created_at: nowIso(),
      published_at: null
    }).execute();
    if (r.current_version_id) {
      const files = await tx.selectFrom("resource_files").selectAll().where("version_id", "=", r.current_version_id).execute();
      if (files.length) await tx.insertInto("resource_files").values(files.map((f) => ({ ...f, id: newId(), version_id: versionId }))).execute();
    }
    await tx.updateTable("resources").set({ draft_version_id: versionId }).where("id", "=", r.id).execute();
    return versionId;
  }
  /** Office document → PDF through LibreOffice; null when conversion fails. */
  async convert(key, name) {
    const dir = await fs4.promises.mkdtemp(path5.join(os2.tmpdir(), "xl-office-"));
    try {
      const ext = path5.extname(name) || ".bin";
      const input = path5.join(dir, `input${ext}`);
      await pipeline2(this.storage.get(key), fs4.createWriteStream(input));
      const out = await officeToPdf(input);
      if (!out) return null;
      const stored = await this.storage.put(`${key}.pdf`, fs4.createReadStream(out));
      return stored.key;
    } catch {
      return null;
    } finally {
      await fs4.promises.rm(dir, { recursive: true, force: true });
    }
  }
  async removeFile(req, actor, id, fileId) {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    if (!nextStatus(r.status, "edit")) throw invalidTransition(req.lang, r.status, "edit");
    const f = await this.db.selectFrom("resource_files").selectAll().where("id", "=", fileId).where("resource_id", "=", id).executeTakeFirst();
    if (!f) throw notFound("resource_file");
    if (f.version_id !== r.draft_version_id) throw conflict("\u53EA\u80FD\u5220\u9664\u6B63\u5728\u7F16\u8F91\u7684\u7248\u672C\u4E2D\u7684\u6587\u4EF6\uFF1B\u5DF2\u53D1\u5E03\u7248\u672C\u4FDD\u6301\u4E0D\u53D8");
    await this.db.deleteFrom("resource_files").where("id", "=", fileId).execute();
    for (const key of [f.storage_key, f.pdf_key].filter((k) => !!k)) {
      const still = await this.db.selectFrom("resource_files").select("id").where((eb) => eb.or([eb("storage_key", "=", key), eb("pdf_key", "=", key)])).limit(1).executeTakeFirst();
      if (!still) await this.storage.delete(key);
    }
    return this.detail(actor, id, { countView: false });
  }
  /** The file to stream for a preview or download, after the visibility and licence checks. */
  async fileFor(actor, id, fileId, mode) {
    const r = await this.visible(actor, id);
    const f = await this.db.selectFrom("resource_files as f").innerJoin("resource_versions as v", "v.id", "f.version_id").select(["f.id", "f.storage_key", "f.pdf_key", "f.name", "f.mime", "f.size", "v.published_at"]).where("f.id", "=", fileId).where("f.resource_id", "=", id).executeTakeFirst();
    if (!f) throw notFound("resource_file");
    const ref = r;
    if (!seesUnpublished(actor, ref) && !(seesPublished(actor, ref) && f.published_at)) throw notFound("resource_file");
    if (mode === "download") {
      if (!canDownload(actor, ref)) throw new AppError(403, "licence_forbids_download");
      return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
    }
    if (previewable(f.mime)) return { resource: r, key: f.storage_key, mime: f.mime, name: f.name };
    if (f.pdf_key) return { resource: r, key: f.pdf_key, mime: "application/pdf", name: f.name.replace(/\.[^.]+$/, "") + ".pdf" };
    throw new AppError(409, "preview_unavailable");
  }
  // ---- workflow -------------------------------------------------------------------------------
  /** A reviewer of the subject in the resource's alliance with the fewest open reviews; else any reviewer of the alliance. */
  async pickReviewer(tx, r) {
    if (!r.alliance_id) return null;
    const grants = await tx.selectFrom("role_grants as g").innerJoin("users as u", "u.id", "g.user_id").select(["g.user_id", "g.subject"]).where("g.role", "=", "reviewer").where("g.scope_type", "=", "alliance").where("g.scope_id", "=", r.alliance_id).where("u.status", "=", "active").where("g.user_id", "!=", r.created_by).execute();
    if (!grants.length) return null;
    const matched = grants.filter((g) => g.subject === r.subject);
    const pool = [...new Set((matched.length ? matched : grants).map((g) => g.user_id))];
    const load2 = await tx.selectFrom("resource_review_assignments").select(["reviewer_id", (eb) => eb.fn.countAll().as("n")]).where("reviewer_id", "in", pool).where("done_at", "is", null).groupBy("reviewer_id").execute();
    const n = new Map(load2.map((l) => [l.reviewer_id, Number(l.n)]));
    pool.sort((a, b) => (n.get(a) ?? 0) - (n.get(b) ?? 0) || a.localeCompare(b));
    return pool[0] ?? null;
  }
  async submit(req, actor, id, comment) {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status, "submit");
      if (!next) throw invalidTransition(req.lang, cur.status, "submit");
      const versionId = cur.draft_version_id ?? (cur.status === "withdrawn" ? cur.current_version_id : null);
      if (!versionId) throw conflict("\u6CA1\u6709\u5F85\u5BA1\u6838\u7684\u65B0\u7248\u672C\uFF0C\u8BF7\u5148\u4E0A\u4F20\u65B0\u6587\u4EF6");
      const files = await tx.selectFrom("resource_files").select("id").where("version_id", "=", versionId).limit(1).execute();
      if (!files.length) throw badRequest([{ field: "file", code: "required" }]);
      const reviewer = await this.pickReviewer(tx, cur);
      const status = reviewer ? "in_review" : "submitted";
      const now = nowIso();
      await tx.updateTable("resources").set({ status, reviewer_id: reviewer, submitted_at: now, updated_at: now }).where("id", "=", id).execute();
      await this.history(tx, id, cur.status, "submitted", "submit", actor.userId, comment ?? null);
      if (reviewer) {
        await tx.insertInto("resource_review_assignments").values({ id: newId(), resource_id: id, version_id: versionId, reviewer_id: reviewer, assigned_at: now, done_at: null, decision: null }).execute();
        await this.history(tx, id, "submitted", "in_review", "assign", null, null, 1);
        await this.notify(tx, reviewer, "assigned", id, `\u5F85\u5BA1\u6838\uFF1A${cur.title}`, `${SUBJECTS.label(cur.subject)} \xB7 ${RESOURCE_KINDS.label(cur.kind)}`);
      } else if (cur.alliance_id) {
        const admins = await tx.selectFrom("role_grants").select("user_id").where("role", "=", "alliance_admin").where("scope_id", "=", cur.alliance_id).execute();
        for (const a of new Set(admins.map((x) => x.user_id))) await this.notify(tx, a, "unassigned", id, `\u5F85\u5206\u914D\u5BA1\u6838\u5458\uFF1A${cur.title}`, `${SUBJECTS.label(cur.subject)}\u5B66\u79D1\u6682\u65E0\u5BA1\u6838\u5458`);
      }
    });
    return this.detail(actor, id, { countView: false });
  }
  async assign(req, actor, id, reviewerId) {
    const r = await this.visible(actor, id);
    if (!isResourceAdmin(actor, r)) throw forbidden();
    const grant = r.alliance_id ? await this.db.selectFrom("role_grants").select("id").where("user_id", "=", reviewerId).where("role", "=", "reviewer").where("scope_id", "=", r.alliance_id).executeTakeFirst() : void 0;
    if (!grant || reviewerId === r.created_by) throw badRequest([{ field: "reviewerId", code: "invalid", params: { reason: "\u4E0D\u662F\u8BE5\u8054\u76DF\u7684\u5BA1\u6838\u5458" } }]);
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      if (!nextStatus(cur.status, "assign")) throw invalidTransition(req.lang, cur.status, "assign");
      const now = nowIso();
      await tx.updateTable("resource_review_assignments").set({ done_at: now, decision: "reassigned" }).where("resource_id", "=", id).where("done_at", "is", null).execute();
      await tx.insertInto("resource_review_assignments").values({ id: newId(), resource_id: id, version_id: cur.draft_version_id ?? cur.current_version_id, reviewer_id: reviewerId, assigned_at: now, done_at: null, decision: null }).execute();
      await tx.updateTable("resources").set({ status: "in_review", reviewer_id: reviewerId, updated_at: now }).where("id", "=", id).execute();
      await this.history(tx, id, cur.status, "in_review", "assign", actor.userId);
      await this.notify(tx, reviewerId, "assigned", id, `\u5F85\u5BA1\u6838\uFF1A${cur.title}`);
      await audit(tx, req, { action: "resource.assign", entityType: "resource", entityId: id, regionId: cur.region_id, allianceId: cur.alliance_id, schoolId: cur.school_id, detail: { title: cur.title, reviewerId } });
    });
    return this.detail(actor, id, { countView: false });
  }
  async review(req, actor, id, body) {
    const r = await this.visible(actor, id);
    const mayReview = actor.isPlatformAdmin || r.reviewer_id === actor.userId || r.reviewer_id == null && reviewsAlliance(actor, r.alliance_id);
    if (!mayReview || r.created_by === actor.userId) throw forbidden();
    const step = body.decision === "publish" ? "publish" : "return";
    if (!nextStatus(r.status, step)) throw invalidTransition(req.lang, r.status, step);
    const { errors, average } = checkScores(r.kind, body.scores);
    const fields = errors.map((e) => ({ field: `scores.${e.item}`, code: e.reason === "missing" ? "rubric_item_missing" : e.reason === "unknown" ? "rubric_item_unknown" : "rubric_item_range" }));
    if (body.decision === "return" && !body.comment) fields.push({ field: "comment", code: "required" });
    if (fields.length) throw badRequest(fields);
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status, step);
      if (!next) throw invalidTransition(req.lang, cur.status, step);
      const now = nowIso();
      const versionId = cur.draft_version_id ?? cur.current_version_id;
      await tx.insertInto("resource_reviews").values({
        id: newId(),
        resource_id: id,
        version_id: versionId,
        reviewer_id: actor.userId,
        scores: toJson(body.scores),
        average,
        decision: body.decision,
        comment: body.comment ?? null,
        created_at: now
      }).execute();
      await tx.updateTable("resource_review_assignments").set({ done_at: now, decision: body.decision }).where("resource_id", "=", id).where("done_at", "is", null).execute();
      if (step === "publish") {
        await tx.updateTable("resources").set({
          status: "published",
          current_version_id: versionId,
          draft_version_id: null,
          reviewer_id: actor.userId,
          published_at: cur.published_at ?? now,
          updated_at: now
        }).where("id", "=", id).execute();
        if (versionId) await tx.updateTable("resource_versions").set({ published_at: now }).where("id", "=", versionId).where("published_at", "is", null).execute();
        await this.index(tx, await this.load(id, tx));
      } else {
        await tx.updateTable("resources").set({ status: "returned", reviewer_id: actor.userId, updated_at: now }).where("id", "=", id).execute();
      }
      await this.history(tx, id, cur.status, next, step, actor.userId, body.comment ?? null);
      const title = step === "publish" ? `\u8D44\u6E90\u5DF2\u53D1\u5E03\uFF1A${cur.title}` : `\u8D44\u6E90\u88AB\u9000\u56DE\u4FEE\u6539\uFF1A${cur.title}`;
      await this.notify(tx, cur.created_by, step === "publish" ? "published" : "returned", id, title, body.comment ?? null);
      await audit(tx, req, {
        action: `resource.${step}`,
        entityType: "resource",
        entityId: id,
        regionId: cur.region_id,
        allianceId: cur.alliance_id,
        schoolId: cur.school_id,
        detail: { title: cur.title, scores: body.scores, average, comment: body.comment ?? null }
      });
    });
    return this.detail(actor, id, { countView: false });
  }
  async withdraw(req, actor, id, comment) {
    return this.retire(req, actor, id, "withdraw", comment);
  }
  async archive(req, actor, id, comment) {
    return this.retire(req, actor, id, "archive", comment);
  }
  async retire(req, actor, id, step, comment) {
    const r = await this.visible(actor, id);
    if (!this.canEdit(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      const cur = await this.load(id, tx);
      const next = nextStatus(cur.status, step);
      if (!next) throw invalidTransition(req.lang, cur.status, step);
      const now = nowIso();
      await tx.updateTable("resources").set({ status: next, updated_at: now }).where("id", "=", id).execute();
      await tx.updateTable("resource_review_assignments").set({ done_at: now, decision: step }).where("resource_id", "=", id).where("done_at", "is", null).execute();
      await ftsDelete(tx, this.database.dialect, id);
      await this.history(tx, id, cur.status, next, step, actor.userId, comment ?? null);
      if (cur.created_by !== actor.userId) {
        await this.notify(tx, cur.created_by, step, id, `${step === "archive" ? "\u8D44\u6E90\u5DF2\u5F52\u6863" : "\u8D44\u6E90\u5DF2\u64A4\u56DE"}\uFF1A${cur.title}`, comment ?? null);
      }
      if (step === "archive" || cur.created_by !== actor.userId) {
        await audit(tx, req, { action: `resource.${step}`, entityType: "resource", entityId: id, regionId: cur.region_id, allianceId: cur.alliance_id, schoolId: cur.school_id, detail: { title: cur.title, comment: comment ?? null } });
      }
    });
    return this.detail(actor, id, { countView: false });
  }
  async queue(actor) {
    const alliances = [...new Set(actor.grants.filter((g) => g.role === "reviewer" && g.scopeId).map((g) => g.scopeId))];
    let q = this.db.selectFrom("resources as r").innerJoin("schools as s", "s.id", "r.school_id").innerJoin("users as u", "u.id", "r.created_by").leftJoin("resource_versions as v", "v.id", "r.draft_version_id").select(["r.id", "r.kind", "r.title", "r.subject", "r.stage", "r.grade", "r.status", "r.school_id", "s.name as school_name", "u.display_name as author", "r.submitted_at", "r.reviewer_id", "v.number"]).where("r.status", "in", ["submitted", "in_review"]).where("r.created_by", "!=", actor.userId);
    if (!actor.isPlatformAdmin) {
      q = q.where((eb) => eb.or([
        eb("r.reviewer_id", "=", actor.userId),
        ...alliances.length ? [eb.and([eb("r.reviewer_id", "is", null), eb("r.alliance_id", "in", alliances)])] : []
      ]));
    }
    const rows = await q.orderBy("r.submitted_at").limit(500).execute();
    return {
      items: rows.map((x) => ({
        id: x.id,
        kind: x.kind,
        title: x.title,
        subject: x.subject,
        stage: x.stage,
        grade: x.grade,
        status: x.status,
        school: { id: x.school_id, name: x.school_name },
        authorName: x.author,
        submittedAt: x.submitted_at,
        assignedToMe: x.reviewer_id === actor.userId,
        versionNumber: x.number ?? null
      }))
    };
  }
  // ---- read -----------------------------------------------------------------------------------
  async summaries(rows, hl) {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const schools = await this.db.selectFrom("schools").select(["id", "name"]).where("id", "in", [...new Set(rows.map((r) => r.school_id))]).execute();
    const schoolName = new Map(schools.map((s) => [s.id, s.name]));
    const authors = await this.db.selectFrom("resource_authors").select(["resource_id", "name"]).where("resource_id", "in", ids).orderBy("resource_id").orderBy("position").execute();
    const byRes = /* @__PURE__ */ new Map();
    for (const a of authors) byRes.set(a.resource_id, [...byRes.get(a.resource_id) ?? [], a.name]);
    const versionIds = rows.map((r) => r.current_version_id ?? r.draft_version_id).filter((v) => !!v);
    const mains = versionIds.length ? await this.db.selectFrom("resource_files").select(["version_id", "mime", "position"]).where("version_id", "in", versionIds).orderBy("version_id").orderBy("position").execute() : [];
    const mimeOf = /* @__PURE__ */ new Map();
    for (const m of mains) if (!mimeOf.has(m.version_id)) mimeOf.set(m.version_id, m.mime);
    return rows.map((r) => {
      const v = r.current_version_id ?? r.draft_version_id;
      const text2 = hl ? hl.texts.get(r.id) ?? r.description : null;
      return {
        id: r.id,
        kind: r.kind,
        title: r.title,
        titleHighlight: hl && hl.terms.length ? highlight(r.title, hl.terms, 200) : null,
        snippet: hl && hl.terms.length && text2 ? highlight(text2, hl.terms, 120) : null,
        description: r.description,
        subject: r.subject,
        stage: r.stage,
        grade: r.grade,
        textbookEdition: r.textbook_edition,
        chapter: r.chapter,
        difficulty: r.difficulty,
        tags: fromJson(r.tags, []),
        licence: r.licence,
        visibility: r.visibility,
        status: r.status,
        school: { id: r.school_id, name: schoolName.get(r.school_id) ?? r.school_id },
        allianceId: r.alliance_id,
        authors: byRes.get(r.id) ?? [],
        views: Number(r.views),
        downloads: Number(r.downloads),
        uses: Number(r.uses),
        rating: r.rating_count ? Math.round(Number(r.rating_sum) / Number(r.rating_count) * 10) / 10 : null,
        ratingCount: Number(r.rating_count),
        publishedAt: r.published_at,
        updatedAt: r.updated_at,
        mainMime: v ? mimeOf.get(v) ?? null : null
      };
    });
  }
  async list(actor, q) {
    const terms = q.q ? queryTerms(q.q) : [];
    const dialect = this.database.dialect;
    const from = () => terms.length ? this.db.selectFrom("resources as r").innerJoin(ftsMatch(dialect, terms).as("m"), "m.doc_id", "r.id") : this.db.selectFrom("resources as r");
    const filtered = (exclude) => {
      let b = from().where((eb) => publishedFilter(actor)(eb));
      if (q.kind && exclude !== "kind") b = b.where("r.kind", "=", q.kind);
      if (q.subject && exclude !== "subject") b = b.where("r.subject", "=", q.subject);
      if (q.stage && exclude !== "stage") b = b.where("r.stage", "=", q.stage);
      if (q.grade && exclude !== "grade") b = b.where("r.grade", "=", q.grade);
      if (q.schoolId && exclude !== "school") b = b.where("r.school_id", "=", q.schoolId);
      if (q.licence && exclude !== "licence") b = b.where("r.licence", "=", q.licence);
      if (q.allianceId) b = b.where("r.alliance_id", "=", q.allianceId);
      return b;
    };
    const total = await filtered().select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const sort = q.sort ?? (terms.length ? "relevance" : "newest");
    let list = filtered().selectAll("r");
    if (sort === "relevance" && terms.length) list = list.orderBy("m.rank", "desc");
    else if (sort === "rating") list = list.orderBy(sql15`case when r.rating_count > 0 then r.rating_sum * 1.0 / r.rating_count else 0 end`, "desc").orderBy("r.rating_count", "desc");
    else if (sort === "use") list = list.orderBy("r.uses", "desc");
    list = list.orderBy("r.published_at", "desc").orderBy("r.id", "desc");
    const rows = await list.limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    const facetCol = {
      subject: "r.subject",
      stage: "r.stage",
      grade: "r.grade",
      kind: "r.kind",
      school: "r.school_id",
      licence: "r.licence"
    };
    const facets = {};
    for (const f of FACETS) {
      const col = facetCol[f];
      const res = await filtered(f).select([sql15`${sql15.ref(col)}`.as("value"), (eb) => eb.fn.countAll().as("n")]).where(col, "is not", null).groupBy(col).orderBy("n", "desc").limit(f === "school" ? 30 : 50).execute();
      facets[f] = res.map((x) => ({ value: String(x.value), label: String(x.value), count: Number(x.n) }));
    }
    const label = { subject: SUBJECTS, stage: STAGES, grade: GRADES, kind: RESOURCE_KINDS, licence: LICENCES };
    for (const f of ["subject", "stage", "grade", "kind", "licence"]) for (const v of facets[f]) v.label = label[f].label(v.value);
    if (facets.school.length) {
      const names = await this.db.selectFrom("schools").select(["id", "name"]).where("id", "in", facets.school.map((s) => s.value)).execute();
      const nm = new Map(names.map((n) => [n.id, n.name]));
      for (const v of facets.school) v.label = nm.get(v.value) ?? v.value;
    }
    const texts = terms.length ? await ftsTexts(this.db, rows.map((r) => r.id)) : /* @__PURE__ */ new Map();
    return {
      items: await this.summaries(rows, terms.length ? { terms, texts } : void 0),
      total: Number(total.n),
      page: q.page,
      pageSize: q.pageSize,
      facets,
      terms
    };
  }
  async mine(actor, q) {
    let b = this.db.selectFrom("resources as r").where((eb) => eb.or([
      eb("r.created_by", "=", actor.userId),
      eb.exists(eb.selectFrom("resource_authors as a").select("a.id").whereRef("a.resource_id", "=", "r.id").where("a.user_id", "=", actor.userId))
    ]));
    if (q.status) b = b.where("r.status", "=", q.status);
    const total = await b.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const rows = await b.selectAll("r").orderBy("r.updated_at", "desc").orderBy("r.id", "desc").limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    return { items: await this.summaries(rows), total: Number(total.n), page: q.page, pageSize: q.pageSize };
  }
  async favourites(actor) {
    const rows = await this.db.selectFrom("resources as r").innerJoin("resource_favourites as f", "f.resource_id", "r.id").where("f.user_id", "=", actor.userId).where((eb) => publishedFilter(actor)(eb)).selectAll("r").orderBy("f.created_at", "desc").limit(200).execute();
    return { items: await this.summaries(rows), total: rows.length, page: 1, pageSize: 200 };
  }
  async detail(actor, id, opts) {
    const r0 = await this.visible(actor, id);
    if (opts.countView && isLive(r0) && r0.created_by !== actor.userId) await this.countOnce(id, actor.userId, "view");
    const r = opts.countView ? await this.load(id) : r0;
    const ref = r;
    const unpublished = seesUnpublished(actor, ref);
    const [summary] = await this.summaries([r]);
    const authors = await this.db.selectFrom("resource_authors").select(["user_id", "name"]).where("resource_id", "=", id).orderBy("position").execute();
    const people = await this.db.selectFrom("users").select(["id", "display_name"]).where("id", "in", [r.created_by, ...r.reviewer_id ? [r.reviewer_id] : []]).execute();
    const nameOf = new Map(people.map((p) => [p.id, p.display_name]));
    let versions = await this.db.selectFrom("resource_versions").selectAll().where("resource_id", "=", id).orderBy("number", "desc").execute();
    if (!unpublished) versions = versions.filter((v) => v.published_at);
    const files = versions.length ? await this.db.selectFrom("resource_files").select(["id", "version_id", "role", "name", "mime", "size", "sha256", "pdf_key", "text_extracted"]).where("version_id", "in", versions.map((v) => v.id)).orderBy("position").execute() : [];
    const fileOut = (f) => ({
      id: f.id,
      role: f.role,
      name: f.name,
      mime: f.mime,
      size: Number(f.size),
      sha256: f.sha256,
      previewable: previewable(f.mime) || !!f.pdf_key,
      textExtracted: !!f.text_extracted,
      previewUrl: `/api/resources/${id}/files/${f.id}/preview`,
      downloadUrl: `/api/resources/${id}/files/${f.id}/download`
    });
    const versionOut = versions.map((v) => ({
      id: v.id,
      number: v.number,
      note: v.note,
      createdAt: v.created_at,
      createdBy: v.created_by,
      publishedAt: v.published_at,
      current: v.id === r.current_version_id,
      draft: v.id === r.draft_version_id,
      files: files.filter((f) => f.version_id === v.id).map(fileOut)
    }));
    const shownVersion = unpublished && r.draft_version_id && r.created_by === actor.userId ? r.draft_version_id : r.current_version_id ?? (unpublished ? r.draft_version_id : null);
    const reviews = unpublished ? await this.db.selectFrom("resource_reviews as rv").innerJoin("users as u", "u.id", "rv.reviewer_id").leftJoin("resource_versions as v", "v.id", "rv.version_id").select(["rv.id", "u.display_name", "rv.decision", "rv.scores", "rv.average", "rv.comment", "v.number", "rv.created_at"]).where("rv.resource_id", "=", id).orderBy("rv.created_at", "desc").execute() : [];
    const history = unpublished ? await this.db.selectFrom("resource_status_history as h").leftJoin("users as u", "u.id", "h.actor_id").select(["h.from_status", "h.to_status", "h.step", "u.display_name", "h.comment", "h.at"]).where("h.resource_id", "=", id).orderBy("h.id").execute() : [];
    const mine = await this.db.selectFrom("resource_ratings").select("stars").where("resource_id", "=", id).where("user_id", "=", actor.userId).executeTakeFirst();
    const fav = await this.db.selectFrom("resource_favourites").select("user_id").where("resource_id", "=", id).where("user_id", "=", actor.userId).executeTakeFirst();
    const uses = await this.db.selectFrom("resource_uses as u").innerJoin("resource_versions as v", "v.id", "u.version_id").select(["u.id", "v.number", "u.used_on", "u.class_note", "u.created_at"]).where("u.resource_id", "=", id).where("u.user_id", "=", actor.userId).orderBy("u.used_on", "desc").limit(50).execute();
    const reviewable = r.draft_version_id ?? (r.status === "withdrawn" ? r.current_version_id : null);
    const hasFiles = !!reviewable && files.some((f) => f.version_id === reviewable);
    const status = r.status;
    const editable = this.canEdit(actor, r);
    const live = isLive(r);
    const download = canDownload(actor, ref);
    const hasRole = (perm) => actor.isPlatformAdmin || actor.grants.some((g) => (perm === "write" ? ["teacher", "reviewer", "school_admin"] : ["reviewer"]).includes(g.role));
    return {
      ...summary,
      language: r.language,
      authorsDetail: authors.map((a) => ({ userId: a.user_id, name: a.name })),
      createdBy: { id: r.created_by, name: nameOf.get(r.created_by) ?? "" },
      reviewer: r.reviewer_id && unpublished ? { id: r.reviewer_id, name: nameOf.get(r.reviewer_id) ?? "" } : null,
      submittedAt: r.submitted_at,
      createdAt: r.created_at,
      currentVersionId: r.current_version_id,
      draftVersionId: unpublished ? r.draft_version_id : null,
      files: versionOut.find((v) => v.id === shownVersion)?.files ?? [],
      versions: versionOut,
      reviews: reviews.map((x) => ({
        id: x.id,
        reviewer: x.display_name,
        decision: x.decision,
        scores: fromJson(x.scores, {}),
        average: Number(x.average),
        comment: x.comment,
        versionNumber: x.number ?? null,
        createdAt: x.created_at
      })),
      history: history.map((h) => ({ fromStatus: h.from_status, toStatus: h.to_status, step: h.step, actor: h.display_name ?? null, comment: h.comment, at: h.at })),
      rubric: RUBRICS[r.kind] ?? [],
      myRating: mine?.stars ?? null,
      favourite: !!fav,
      myUses: uses.map((u) => ({ id: u.id, versionNumber: u.number, usedOn: u.used_on, classNote: u.class_note, createdAt: u.created_at })),
      can: {
        edit: editable && !!nextStatus(status, "edit"),
        upload: editable && !!nextStatus(status, "edit"),
        submit: editable && !!nextStatus(status, "submit") && hasFiles,
        withdraw: editable && !!nextStatus(status, "withdraw"),
        archive: editable && !!nextStatus(status, "archive"),
        review: hasRole("review") && r.created_by !== actor.userId && (status === "submitted" || status === "in_review") && (actor.isPlatformAdmin || r.reviewer_id === actor.userId || r.reviewer_id == null && reviewsAlliance(actor, r.alliance_id)),
        download,
        rate: live && seesPublished(actor, ref) && r.created_by !== actor.userId,
        use: live && seesPublished(actor, ref) && hasRole("write")
      },
      downloadBlockedReason: download ? null : "\u8BE5\u8D44\u6E90\u7684\u8BB8\u53EF\u4E3A\u201C\u8054\u76DF\u5185\u4F7F\u7528, \u7981\u6B62\u8F6C\u8F7D\u201D\uFF0C\u4EC5\u8054\u76DF\u6210\u5458\u6821\u53EF\u4E0B\u8F7D"
    };
  }
  // ---- counts, feedback, use ------------------------------------------------------------------
  /** Counts a view or download at most once per user, resource and day. */
  async countOnce(resourceId, userId, kind) {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx.insertInto("resource_daily_counts").values({ resource_id: resourceId, user_id: userId, day: today(), kind }).onConflict((oc) => oc.columns(["resource_id", "user_id", "day", "kind"]).doNothing()).executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const col = kind === "view" ? "views" : "downloads";
      await tx.updateTable("resources").set((eb) => ({ [col]: eb(col, "+", 1) })).where("id", "=", resourceId).execute();
      return true;
    });
  }
  async live(actor, id) {
    const r = await this.visible(actor, id);
    if (!seesPublished(actor, r)) throw conflict("\u8D44\u6E90\u5C1A\u672A\u53D1\u5E03");
    return r;
  }
  async rate(actor, id, stars) {
    const r = await this.live(actor, id);
    if (r.created_by === actor.userId) throw conflict("\u4E0D\u80FD\u7ED9\u81EA\u5DF1\u7684\u8D44\u6E90\u8BC4\u5206");
    await this.db.transaction().execute(async (tx) => {
      const old = await tx.selectFrom("resource_ratings").select("stars").where("resource_id", "=", id).where("user_id", "=", actor.userId).executeTakeFirst();
      const now = nowIso();
      if (old) {
        await tx.updateTable("resource_ratings").set({ stars, updated_at: now }).where("resource_id", "=", id).where("user_id", "=", actor.userId).execute();
        await tx.updateTable("resources").set((eb) => ({ rating_sum: eb("rating_sum", "+", stars - old.stars) })).where("id", "=", id).execute();
      } else {
        await tx.insertInto("resource_ratings").values({ resource_id: id, user_id: actor.userId, stars, created_at: now, updated_at: now }).execute();
        await tx.updateTable("resources").set((eb) => ({ rating_sum: eb("rating_sum", "+", stars), rating_count: eb("rating_count", "+", 1) })).where("id", "=", id).execute();
      }
    });
    const after = await this.load(id);
    return { myRating: stars, rating: after.rating_count ? Math.round(after.rating_sum / after.rating_count * 10) / 10 : null, ratingCount: after.rating_count };
  }
  async comments(actor, id) {
    const r = await this.visible(actor, id);
    const rows = await this.db.selectFrom("resource_comments as c").innerJoin("users as u", "u.id", "c.user_id").leftJoin("schools as s", "s.id", "u.school_id").select(["c.id", "c.user_id", "u.display_name", "s.name as school", "c.body", "c.created_at"]).where("c.resource_id", "=", id).where("c.deleted_at", "is", null).orderBy("c.created_at", "desc").limit(200).execute();
    const admin = isResourceAdmin(actor, r) || r.created_by === actor.userId;
    return {
      items: rows.map((c) => ({ id: c.id, userId: c.user_id, userName: c.display_name, schoolName: c.school ?? null, body: c.body, createdAt: c.created_at, canDelete: admin || c.user_id === actor.userId }))
    };
  }
  async addComment(actor, id, body) {
    const r = await this.live(actor, id);
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("resource_comments").values({ id: newId(), resource_id: id, user_id: actor.userId, body, created_at: nowIso(), deleted_at: null, deleted_by: null }).execute();
      if (r.created_by !== actor.userId) await this.notify(tx, r.created_by, "commented", id, `\u65B0\u8BC4\u8BBA\uFF1A${r.title}`, body.slice(0, 100));
    });
    return this.comments(actor, id);
  }
  async deleteComment(req, actor, commentId) {
    const c = await this.db.selectFrom("resource_comments").selectAll().where("id", "=", commentId).where("deleted_at", "is", null).executeTakeFirst();
    if (!c) throw notFound("resource_comment");
    const r = await this.load(c.resource_id);
    if (!canSee(actor, r)) throw notFound("resource_comment");
    const own = c.user_id === actor.userId;
    if (!own && r.created_by !== actor.userId && !isResourceAdmin(actor, r)) throw forbidden();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("resource_comments").set({ deleted_at: nowIso(), deleted_by: actor.userId }).where("id", "=", commentId).execute();
      if (!own) {
        await audit(tx, req, { action: "resource.comment_remove", entityType: "resource", entityId: r.id, regionId: r.region_id, allianceId: r.alliance_id, schoolId: r.school_id, detail: { title: r.title, comment: c.body.slice(0, 200) } });
      }
    });
  }
  async setFavourite(actor, id, on) {
    await this.visible(actor, id);
    if (on) {
      await this.db.insertInto("resource_favourites").values({ resource_id: id, user_id: actor.userId, created_at: nowIso() }).onConflict((oc) => oc.columns(["resource_id", "user_id"]).doNothing()).execute();
    } else {
      await this.db.deleteFrom("resource_favourites").where("resource_id", "=", id).where("user_id", "=", actor.userId).execute();
    }
    return { favourite: on };
  }
  /**
   * "Used in my class": one report per user, resource and day, pointing at the version used. A use by
   * another school records a contribution event for the owning school and the author and, where the
   * alliance has credit rules, pays them through the ledger in the same transaction.
   */
  async use(req, actor, id, body) {
    const r = await this.live(actor, id);
    const usedOn = body.usedOn ?? today();
    if (usedOn > today()) throw badRequest([{ field: "usedOn", code: "invalid", params: { reason: "\u4E0D\u80FD\u665A\u4E8E\u4ECA\u5929" } }]);
    const existing2 = await this.db.selectFrom("resource_uses").select("id").where("resource_id", "=", id).where("user_id", "=", actor.userId).where("used_on", "=", usedOn).executeTakeFirst();
    if (existing2) return { created: false, useId: existing2.id, contribution: null };
    const useId = newId();
    let contribution = null;
    try {
      await this.db.transaction().execute(async (tx) => {
        const cur = await this.load(id, tx);
        await tx.insertInto("resource_uses").values({
          id: useId,
          resource_id: id,
          version_id: cur.current_version_id,
          user_id: actor.userId,
          school_id: actor.schoolId,
          class_note: body.classNote ?? null,
          used_on: usedOn,
          created_at: nowIso()
        }).execute();
        await tx.updateTable("resources").set((eb) => ({ uses: eb("uses", "+", 1) })).where("id", "=", id).execute();
        if (actor.schoolId && actor.schoolId !== cur.school_id) {
          const cid = newId();
          let ledger = { transactionId: null, amount: 0 };
          if (cur.alliance_id) {
            try {
              ledger = await this.credits.rewardResourceUse(tx, req, {
                eventId: cid,
                allianceId: cur.alliance_id,
                resourceId: id,
                ownerSchoolId: cur.school_id,
                authorUserId: cur.created_by,
                userSchoolId: actor.schoolId
              });
            } catch (err) {
              if (err.message !== "not implemented") throw err;
            }
          }
          await tx.insertInto("resource_contributions").values({
            id: cid,
            resource_id: id,
            use_id: useId,
            owner_school_id: cur.school_id,
            author_id: cur.created_by,
            using_school_id: actor.schoolId,
            alliance_id: cur.alliance_id,
            at: nowIso(),
            transaction_id: ledger.transactionId,
            amount: ledger.amount
          }).execute();
          contribution = { id: cid, amount: ledger.amount, transactionId: ledger.transactionId };
          await this.notify(tx, cur.created_by, "used", id, `\u60A8\u7684\u8D44\u6E90\u88AB\u5176\u4ED6\u5B66\u6821\u4F7F\u7528\uFF1A${cur.title}`, body.classNote ?? null);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const again = await this.db.selectFrom("resource_uses").select("id").where("resource_id", "=", id).where("user_id", "=", actor.userId).where("used_on", "=", usedOn).executeTakeFirst();
        if (again) return { created: false, useId: again.id, contribution: null };
      }
      throw err;
    }
    void r;
    return { created: true, useId, contribution };
  }
  async contributions(actor, schoolId) {
    let q = this.db.selectFrom("resource_contributions as c").innerJoin("resources as r", "r.id", "c.resource_id").innerJoin("schools as s", "s.id", "c.using_school_id").select(["c.id", "c.resource_id", "r.title", "s.name as using", "c.at", "c.amount", "c.transaction_id"]);
    if (schoolId) {
      const school2 = await this.db.selectFrom("schools").select(["id", "region_id"]).where("id", "=", schoolId).executeTakeFirst();
      const region = school2 ? await this.cityOf(school2.region_id) : null;
      const ok = school2 && (actor.isPlatformAdmin || actorSchools(actor).has(schoolId) || actor.readRegions.has(school2.region_id) || region != null && actor.readRegions.has(region));
      if (!ok) throw notFound("school");
      q = q.where("c.owner_school_id", "=", schoolId);
    } else {
      q = q.where("c.author_id", "=", actor.userId);
    }
    const rows = await q.orderBy("c.at", "desc").limit(500).execute();
    return { items: rows.map((x) => ({ id: x.id, resourceId: x.resource_id, resourceTitle: x.title, usingSchool: x.using, at: x.at, amount: Number(x.amount), transactionId: x.transaction_id })), total: rows.length };
  }
  // ---- recommendations and catalogue ----------------------------------------------------------
  async recommended(actor) {
    const subjects = /* @__PURE__ */ new Set();
    const grades = /* @__PURE__ */ new Set();
    for (const g of actor.grants) if (g.subject) subjects.add(g.subject);
    const own = await this.db.selectFrom("resources").select(["subject", "grade"]).where("created_by", "=", actor.userId).limit(200).execute();
    const used = await this.db.selectFrom("resource_uses as u").innerJoin("resources as r", "r.id", "u.resource_id").select(["r.subject", "r.grade"]).where("u.user_id", "=", actor.userId).orderBy("u.created_at", "desc").limit(200).execute();
    for (const x of [...own, ...used]) {
      subjects.add(x.subject);
      if (x.grade) grades.add(x.grade);
    }
    const vis = (eb) => publishedFilter(actor)(eb);
    let forYouQ = this.db.selectFrom("resources as r").selectAll("r").where(vis).where("r.created_by", "!=", actor.userId);
    if (subjects.size) forYouQ = forYouQ.where("r.subject", "in", [...subjects]);
    if (grades.size) forYouQ = forYouQ.where((eb) => eb.or([eb("r.grade", "in", [...grades]), eb("r.grade", "is", null)]));
    const forYou = await forYouQ.orderBy(sql15`r.uses + r.rating_sum`, "desc").orderBy("r.published_at", "desc").limit(10).execute();
    let likeYou = [];
    if (subjects.size) {
      const peers = this.db.selectFrom("resources as pr").select("pr.created_by as uid").where("pr.subject", "in", [...subjects]).where("pr.created_by", "!=", actor.userId).union(this.db.selectFrom("resource_uses as pu").innerJoin("resources as px", "px.id", "pu.resource_id").select("pu.user_id as uid").where("px.subject", "in", [...subjects]).where("pu.user_id", "!=", actor.userId));
      const ranked = await this.db.selectFrom("resource_uses as u").innerJoin("resources as r", "r.id", "u.resource_id").select(["r.id", (eb) => eb.fn.count("u.user_id").distinct().as("n")]).where("u.user_id", "in", peers).where(vis).where("r.created_by", "!=", actor.userId).where((eb) => eb.not(eb.exists(eb.selectFrom("resource_uses as mine").select("mine.id").whereRef("mine.resource_id", "=", "r.id").where("mine.user_id", "=", actor.userId)))).groupBy("r.id").orderBy("n", "desc").orderBy("r.id").limit(10).execute();
      if (ranked.length) {
        const rows = await this.db.selectFrom("resources").selectAll().where("id", "in", ranked.map((x) => x.id)).execute();
        const order = new Map(ranked.map((x, i) => [x.id, i]));
        likeYou = rows.sort((a, b) => order.get(a.id) - order.get(b.id));
      }
    }
    return { basis: { subjects: [...subjects], grades: [...grades] }, forYou: await this.summaries(forYou), likeYou: await this.summaries(likeYou) };
  }
  async catalogue(actor, month, subject) {
    const range2 = monthRange(month);
    if (!range2) throw badRequest([{ field: "query.month", code: "invalid_format" }]);
    let q = this.db.selectFrom("resources as r").where((eb) => publishedFilter(actor)(eb)).where("r.published_at", ">=", range2.from).where("r.published_at", "<", range2.to);
    if (subject) q = q.where("r.subject", "=", subject);
    const rows = await q.selectAll("r").orderBy("r.subject").orderBy("r.published_at").orderBy("r.id").limit(5e3).execute();
    const counts = /* @__PURE__ */ new Map();
    for (const r of rows) counts.set(r.subject, (counts.get(r.subject) ?? 0) + 1);
    return {
      month,
      subjects: [...counts].map(([s, n]) => ({ subject: s, label: SUBJECTS.label(s), count: n })),
      items: await this.summaries(rows)
    };
  }
  // ---- notifications --------------------------------------------------------------------------
  async notifications(actor) {
    const rows = await this.db.selectFrom("resource_notifications").selectAll().where("user_id", "=", actor.userId).orderBy("id", "desc").limit(100).execute();
    const unread = await this.db.selectFrom("resource_notifications").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", actor.userId).where("read_at", "is", null).executeTakeFirstOrThrow();
    return {
      items: rows.map((n) => ({ id: Number(n.id), kind: n.kind, resourceId: n.resource_id, title: n.title, body: n.body, createdAt: n.created_at, readAt: n.read_at })),
      unread: Number(unread.n)
    };
  }
  async markRead(actor, id) {
    let q = this.db.updateTable("resource_notifications").set({ read_at: nowIso() }).where("user_id", "=", actor.userId).where("read_at", "is", null);
    if (id !== "all") {
      const n = await this.db.selectFrom("resource_notifications").select("id").where("id", "=", id).where("user_id", "=", actor.userId).executeTakeFirst();
      if (!n) throw notFound("notification");
      q = q.where("id", "=", id);
    }
    await q.execute();
    return this.notifications(actor);
  }
};
function uniq(xs) {
  return [...new Set(xs)];
}

// src/server/modules/resources/routes.ts
var disposition = (kind, name) => `${kind}; filename="file"; filename*=UTF-8''${encodeURIComponent(name)}`;
async function resourceRoutes(app, ctx) {
  const svc = new ResourceService(ctx.database, ctx.storage);
  const r = zapp(app);
  const tags = ["\u8D44\u6E90\u5E93 resources"];
  const byId = z19.object({ id: Id });
  const byFile = z19.object({ id: Id, fileId: Id });
  r.get("/api/resources", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8D44\u6E90\u68C0\u7D22\uFF1A\u4E2D\u6587\u5168\u6587\u68C0\u7D22\uFF08q\uFF09\u3001\u5206\u9762\u3001\u6392\u5E8F\u3001\u9AD8\u4EAE", querystring: ResourceQuery, response: { 200: ResourceList } }
  }, async (req) => svc.list(actorOf(req), req.query));
  r.get("/api/resources/mine", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u6211\u7684\u8D44\u6E90\uFF08\u4F5C\u8005\uFF0C\u5168\u90E8\u72B6\u6001\uFF09", querystring: MineQuery, response: { 200: MineList } }
  }, async (req) => svc.mine(actorOf(req), req.query));
  r.get("/api/resources/favourites", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u6211\u7684\u6536\u85CF", response: { 200: MineList } }
  }, async (req) => svc.favourites(actorOf(req)));
  r.get("/api/resources/recommended", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8D44\u6E90\u627E\u4EBA\uFF1A\u6309\u5B66\u79D1/\u5E74\u7EA7\u63A8\u8350\uFF0C\u4EE5\u53CA\u540C\u5B66\u79D1\u6559\u5E08\u5728\u7528\u7684\u8D44\u6E90", response: { 200: Recommended } }
  }, async (req) => svc.recommended(actorOf(req)));
  r.get("/api/resources/catalogue", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u6BCF\u6708\u8D44\u6E90\u76EE\u5F55\uFF08\u6309\u5B66\u79D1\uFF09", querystring: CatalogueQuery, response: { 200: Catalogue } }
  }, async (req) => svc.catalogue(actorOf(req), req.query.month, req.query.subject));
  r.get("/api/resources/catalogue.xlsx", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u6BCF\u6708\u8D44\u6E90\u76EE\u5F55\u5BFC\u51FA Excel", querystring: CatalogueQuery }
  }, async (req, reply) => {
    const c = await svc.catalogue(actorOf(req), req.query.month, req.query.subject);
    const subject = req.query.subject ? SUBJECTS.label(req.query.subject) : "\u5168\u90E8\u5B66\u79D1";
    return sendXlsx(reply, `\u6BCF\u6708\u8D44\u6E90\u76EE\u5F55-${c.month}-${subject}.xlsx`, `${c.month} \u8D44\u6E90\u76EE\u5F55`, [
      { header: "\u5B66\u79D1", value: (x) => SUBJECTS.label(x.subject) },
      { header: "\u8D44\u6E90\u540D\u79F0", value: (x) => x.title, width: 40 },
      { header: "\u7C7B\u578B", value: (x) => RESOURCE_KINDS.label(x.kind) },
      { header: "\u5B66\u6BB5", value: (x) => STAGES.label(x.stage) },
      { header: "\u5E74\u7EA7", value: (x) => x.grade ? GRADES.label(x.grade) : "" },
      { header: "\u7AE0\u8282", value: (x) => x.chapter, width: 24 },
      { header: "\u4F5C\u8005", value: (x) => x.authors.join("\u3001"), width: 20 },
      { header: "\u5B66\u6821", value: (x) => x.school.name, width: 28 },
      { header: "\u8BB8\u53EF", value: (x) => LICENCES.label(x.licence), width: 24 },
      { header: "\u53D1\u5E03\u65E5\u671F", value: (x) => x.publishedAt ? x.publishedAt.slice(0, 10) : "", width: 12 },
      { header: "\u6D4F\u89C8", value: (x) => x.views },
      { header: "\u4E0B\u8F7D", value: (x) => x.downloads },
      { header: "\u4F7F\u7528", value: (x) => x.uses },
      { header: "\u8BC4\u5206", value: (x) => x.rating }
    ], c.items);
  });
  r.get("/api/resources/contributions", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8D21\u732E\u8BB0\u5F55\uFF1A\u672C\u6821\uFF08schoolId\uFF09\u6216\u672C\u4EBA\u8D44\u6E90\u88AB\u5176\u4ED6\u5B66\u6821\u4F7F\u7528", querystring: z19.strictObject({ schoolId: Id.optional() }), response: { 200: ContributionList } }
  }, async (req) => svc.contributions(actorOf(req), req.query.schoolId));
  r.post("/api/resources", {
    config: { permission: "resource.write" },
    schema: { tags, summary: "\u65B0\u5EFA\u8D44\u6E90\uFF08\u8349\u7A3F\uFF09", body: ResourceCreate, response: { 201: ResourceDetail } }
  }, async (req, reply) => reply.code(201).send(await svc.create(req, actorOf(req), req.body)));
  r.get("/api/resources/:id", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8D44\u6E90\u8BE6\u60C5\uFF08\u7248\u672C\u5386\u53F2\u3001\u6587\u4EF6\u3001\u8BC4\u5206\u3001\u5BA1\u6838\u8BB0\u5F55\uFF09", params: byId, response: { 200: ResourceDetail } }
  }, async (req) => svc.detail(actorOf(req), req.params.id, { countView: true }));
  r.patch("/api/resources/:id", {
    config: { permission: "resource.write" },
    schema: { tags, summary: "\u4FEE\u6539\u8D44\u6E90\u4FE1\u606F", params: byId, body: ResourceUpdate, response: { 200: ResourceDetail } }
  }, async (req) => svc.update(req, actorOf(req), req.params.id, req.body));
  r.post("/api/resources/:id/files", {
    config: { permission: "resource.write" },
    schema: {
      tags,
      summary: "\u4E0A\u4F20\u6587\u4EF6\uFF08multipart\uFF0C\u6D41\u5F0F\uFF1B\u5B57\u6BB5 role\uFF08main/outline/lesson/material/case\uFF09\u3001note\uFF0C\u7136\u540E file\uFF09\uFF1B\u5DF2\u53D1\u5E03\u8D44\u6E90\u751F\u6210\u65B0\u7248\u672C",
      params: byId,
      consumes: ["multipart/form-data"],
      response: { 201: ResourceDetail }
    }
  }, async (req, reply) => reply.code(201).send(await svc.upload(req, actorOf(req), req.params.id)));
  r.delete("/api/resources/:id/files/:fileId", {
    config: { permission: "resource.write" },
    schema: { tags, summary: "\u4ECE\u6B63\u5728\u7F16\u8F91\u7684\u7248\u672C\u4E2D\u5220\u9664\u6587\u4EF6", params: byFile, response: { 200: ResourceDetail } }
  }, async (req) => svc.removeFile(req, actorOf(req), req.params.id, req.params.fileId));
  const stream = async (req, reply, mode) => {
    const actor = actorOf(req);
    const params = req.params;
    const f = await svc.fileFor(actor, params.id, params.fileId, mode);
    const st = await ctx.storage.stat(f.key);
    if (!st) throw new AppError(404, "not_found", { entity: "resource_file" });
    const range2 = parseRange(req.headers.range, st.size);
    if (range2 === "unsatisfiable") {
      reply.header("content-range", `bytes */${st.size}`);
      throw new AppError(416, "range_not_satisfiable");
    }
    if (f.resource.created_by !== actor.userId && (!range2 || range2.start === 0)) {
      await svc.countOnce(f.resource.id, actor.userId, mode === "download" ? "download" : "view");
    }
    const mime = f.mime.startsWith("text/") ? `${f.mime}; charset=utf-8` : f.mime;
    reply.header("accept-ranges", "bytes").header("content-type", mime).header("content-disposition", disposition(mode === "download" ? "attachment" : "inline", f.name)).header("cache-control", "private, max-age=0").header("x-content-type-options", "nosniff");
    if (mode === "preview") reply.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    if (range2) {
      reply.code(206).header("content-range", `bytes ${range2.start}-${range2.end}/${st.size}`).header("content-length", String(range2.end - range2.start + 1));
      return reply.send(ctx.storage.get(f.key, range2));
    }
    reply.header("content-length", String(st.size));
    return reply.send(ctx.storage.get(f.key));
  };
  r.get("/api/resources/:id/files/:fileId/preview", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u5728\u7EBF\u9884\u89C8\uFF08inline\uFF0C\u652F\u6301 HTTP Range \u62D6\u52A8\u8FDB\u5EA6\uFF1BOffice \u6587\u6863\u8F6C\u6362\u4E3A PDF\uFF09", params: byFile }
  }, async (req, reply) => stream(req, reply, "preview"));
  r.get("/api/resources/:id/files/:fileId/download", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u4E0B\u8F7D\uFF08\u6309\u8BB8\u53EF\u4E0E\u53EF\u89C1\u8303\u56F4\u68C0\u67E5\uFF1B\u652F\u6301 HTTP Range\uFF09", params: byFile }
  }, async (req, reply) => stream(req, reply, "download"));
  r.post("/api/resources/:id/submit", {
    config: { permission: "resource.write" },
    schema: { tags, summary: "\u63D0\u4EA4\u5BA1\u6838\uFF08\u81EA\u52A8\u5206\u914D\u672C\u5B66\u79D1\u5BA1\u6838\u5458\uFF09", params: byId, body: StepIn, response: { 200: ResourceDetail } }
  }, async (req) => svc.submit(req, actorOf(req), req.params.id, req.body?.comment));
  r.post("/api/resources/:id/withdraw", {
    config: { permission: "resource.write" },
    schema: { tags, summary: "\u64A4\u56DE", params: byId, body: StepIn, response: { 200: ResourceDetail } }
  }, async (req) => svc.withdraw(req, actorOf(req), req.params.id, req.body?.comment));
  r.post("/api/resources/:id/archive", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u5F52\u6863\uFF08\u4F5C\u8005\u6216\u5B66\u6821/\u8054\u76DF/\u6559\u80B2\u5C40\u7BA1\u7406\u5458\uFF09", params: byId, body: StepIn, response: { 200: ResourceDetail } }
  }, async (req) => svc.archive(req, actorOf(req), req.params.id, req.body?.comment));
  r.post("/api/resources/:id/assign", {
    config: { permission: "resource.manage" },
    schema: { tags, summary: "\u6307\u5B9A\u5BA1\u6838\u5458\uFF08\u8054\u76DF\u79D8\u4E66\u5904\uFF09", params: byId, body: AssignIn, response: { 200: ResourceDetail } }
  }, async (req) => svc.assign(req, actorOf(req), req.params.id, req.body.reviewerId));
  r.get("/api/reviews/queue", {
    config: { permission: "resource.review" },
    schema: { tags, summary: "\u5BA1\u6838\u961F\u5217\uFF08\u5206\u914D\u7ED9\u6211\u7684\uFF0C\u53CA\u672C\u8054\u76DF\u672A\u5206\u914D\u7684\uFF09", response: { 200: Queue } }
  }, async (req) => svc.queue(actorOf(req)));
  r.post("/api/resources/:id/review", {
    config: { permission: "resource.review" },
    schema: { tags, summary: "\u5BA1\u6838\uFF1A\u6309\u8D28\u91CF\u6807\u51C6\u8BC4\u5206\uFF0C\u53D1\u5E03\u6216\u9000\u56DE\uFF08\u9000\u56DE\u987B\u586B\u5199\u610F\u89C1\uFF09", params: byId, body: ReviewIn, response: { 200: ResourceDetail } }
  }, async (req) => svc.review(req, actorOf(req), req.params.id, req.body));
  r.put("/api/resources/:id/rating", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8BC4\u5206 1\u20135\uFF08\u6BCF\u4EBA\u4E00\u6B21\uFF0C\u53EF\u4FEE\u6539\uFF09", params: byId, body: RatingIn, response: { 200: z19.object({ myRating: z19.number(), rating: z19.number().nullable(), ratingCount: z19.number() }) } }
  }, async (req) => svc.rate(actorOf(req), req.params.id, req.body.stars));
  const CommentsOut = z19.object({ items: z19.array(z19.object({ id: z19.string(), userId: z19.string(), userName: z19.string(), schoolName: z19.string().nullable(), body: z19.string(), createdAt: z19.string(), canDelete: z19.boolean() })) });
  r.get("/api/resources/:id/comments", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u8BC4\u8BBA", params: byId, response: { 200: CommentsOut } }
  }, async (req) => svc.comments(actorOf(req), req.params.id));
  r.post("/api/resources/:id/comments", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u53D1\u8868\u8BC4\u8BBA", params: byId, body: CommentIn, response: { 201: CommentsOut } }
  }, async (req, reply) => reply.code(201).send(await svc.addComment(actorOf(req), req.params.id, req.body.body)));
  r.delete("/api/resource-comments/:id", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u5220\u9664\u8BC4\u8BBA\uFF08\u8BC4\u8BBA\u8005\u3001\u8D44\u6E90\u4F5C\u8005\u3001\u7BA1\u7406\u5458\uFF09", params: byId }
  }, async (req, reply) => {
    await svc.deleteComment(req, actorOf(req), req.params.id);
    return reply.code(204).send();
  });
  r.put("/api/resources/:id/favourite", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u6536\u85CF", params: byId, response: { 200: z19.object({ favourite: z19.boolean() }) } }
  }, async (req) => svc.setFavourite(actorOf(req), req.params.id, true));
  r.delete("/api/resources/:id/favourite", {
    config: { permission: "resource.read" },
    schema: { tags, summary: "\u53D6\u6D88\u6536\u85CF", params: byId, response: { 200: z19.object({ favourite: z19.boolean() }) } }
  }, async (req) => svc.setFavourite(actorOf(req), req.params.id, false));
  r.post("/api/resources/:id/uses", {
    config: { permission: "resource.write" },
    schema: {
      tags,
      summary: "\u201C\u6211\u5728\u8BFE\u5802\u4E0A\u7528\u4E86\u201D\uFF08\u6BCF\u4EBA\u6BCF\u5929\u4E00\u6B21\uFF1B\u4ED6\u6821\u4F7F\u7528\u8BB0\u4E3A\u8D21\u732E\uFF09",
      params: byId,
      body: UseIn,
      response: { 200: UseResult, 201: UseResult }
    }
  }, async (req, reply) => {
    const res = await svc.use(req, actorOf(req), req.params.id, req.body ?? {});
    return reply.code(res.created ? 201 : 200).send(res);
  });
  r.get("/api/notifications", {
    config: { permission: "signed_in" },
    schema: { tags: ["\u901A\u77E5 notifications"], summary: "\u6211\u7684\u901A\u77E5", response: { 200: NotificationList } }
  }, async (req) => svc.notifications(actorOf(req)));
  r.post("/api/notifications/:id/read", {
    config: { permission: "signed_in" },
    schema: { tags: ["\u901A\u77E5 notifications"], summary: "\u6807\u8BB0\u5DF2\u8BFB\uFF08id \u6216 all\uFF09", params: z19.object({ id: z19.union([z19.literal("all"), z19.coerce.number().int().min(1)]) }), response: { 200: NotificationList } }
  }, async (req) => svc.markRead(actorOf(req), req.params.id));
}
var UseResult = z19.object({
  created: z19.boolean(),
  useId: z19.string(),
  contribution: z19.object({ id: z19.string(), amount: z19.number(), transactionId: z19.string().nullable() }).nullable()
});

// src/server/modules/credits/routes.ts
import { z as z21 } from "zod";
init_idempotency();
init_schema();

// src/server/modules/credits/schema.ts
init_schema();
import { z as z20 } from "zod";
var Credits = z20.number().int().min(0).max(1e6);
var Pct = z20.number().int().min(0).max(100);
var HHMM = z20.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/);
var RateSchema = z20.strictObject({ offPeak: z20.number().int().min(0).max(1e4), peak: z20.number().int().min(0).max(1e4) });
var TypeCode = z20.string().regex(/^[a-z][a-z0-9_]{0,39}$/);
var CreditRulesSchema = z20.strictObject({
  defaultRate: RateSchema,
  rates: z20.record(TypeCode, RateSchema),
  peakWindows: z20.array(z20.strictObject({ days: z20.array(z20.number().int().min(1).max(7)).min(1).max(7), from: HHMM, to: HHMM })).max(20),
  utcOffsetMinutes: z20.number().int().min(-720).max(840),
  hostSharePct: Pct,
  startingGrant: Credits,
  weakExtraGrant: Credits,
  ruralExtraGrant: Credits,
  overdraftLimit: Credits,
  noShowPenalty: z20.strictObject({ mode: z20.enum(["percent", "fixed"]), value: z20.number().int().min(0).max(1e5) }),
  refundTimelyPct: Pct,
  refundLatePct: Pct,
  resourceUseReward: Credits,
  resourceAuthorReward: Credits,
  teacherExchangeDayReward: Credits
});
var CreditRulesUpdate = CreditRulesSchema.partial();
var CreditRulesOut = z20.object({
  allianceId: z20.string(),
  rules: CreditRulesSchema,
  /** false when the alliance has never set its rules (the defaults apply) */
  custom: z20.boolean(),
  updatedAt: z20.string().nullable(),
  updatedBy: z20.string().nullable()
});
var GrantInput = z20.discriminatedUnion("type", [
  /** the starting grant (with the weak/rural extra) to every active member, or one school; once per school */
  z20.strictObject({ type: z20.literal("starting"), schoolId: Id.optional() }),
  /** an extra grant of `amount` to every active member, or one school */
  z20.strictObject({ type: z20.literal("extra"), schoolId: Id.optional(), amount: z20.number().int().min(1).max(1e6), reason: z20.string().trim().min(2).max(200) })
]);
var GrantOut2 = z20.object({
  granted: z20.array(z20.object({ schoolId: z20.string(), schoolName: z20.string(), amount: z20.number().int(), transactionId: z20.string() })),
  /** schools that had received their starting grant before */
  skipped: z20.array(z20.object({ schoolId: z20.string(), schoolName: z20.string() })),
  total: z20.number().int()
});
var AdjustmentInput = z20.strictObject({
  ownerType: z20.enum(["school", "partner", "teacher"]),
  ownerId: Id,
  amount: z20.number().int().min(-1e6).max(1e6).refine((x) => x !== 0, "\u8C03\u6574\u6570\u989D\u4E0D\u80FD\u4E3A 0 / must not be 0"),
  reason: z20.string().trim().min(2).max(200)
});
var AccountOut = z20.object({
  id: z20.string(),
  allianceId: z20.string(),
  ownerType: z20.string(),
  ownerId: z20.string(),
  ownerName: z20.string(),
  balance: z20.number().int(),
  overdraftLimit: z20.number().int().nullable(),
  tags: z20.array(z20.string())
});
var AccountList = z20.object({ items: z20.array(AccountOut), total: z20.number().int() });
var EntryOut = z20.object({
  accountId: z20.string(),
  ownerType: z20.string(),
  ownerId: z20.string(),
  ownerName: z20.string(),
  amount: z20.number().int()
});
var TransactionOut = z20.object({
  id: z20.string(),
  allianceId: z20.string(),
  kind: z20.string(),
  causeType: z20.string(),
  causeId: z20.string(),
  amount: z20.number().int(),
  memo: z20.string().nullable(),
  createdBy: z20.string().nullable(),
  createdByName: z20.string().nullable(),
  createdAt: z20.string(),
  entries: z20.array(EntryOut)
});
var AdjustmentOut = TransactionOut;
var StatementQuery = z20.strictObject({
  allianceId: Id.optional(),
  schoolId: Id.optional(),
  /** alternatively an account id (pool, partner, teacher accounts: alliance readers only) */
  accountId: Id.optional(),
  /** dates in Asia/Shanghai, inclusive */
  from: DateStr.optional(),
  to: DateStr.optional()
});
var StatementLine = z20.object({
  transactionId: z20.string(),
  at: z20.string(),
  kind: z20.string(),
  causeType: z20.string(),
  causeId: z20.string(),
  memo: z20.string().nullable(),
  amount: z20.number().int(),
  balance: z20.number().int(),
  counterparts: z20.array(z20.object({ ownerType: z20.string(), ownerId: z20.string(), ownerName: z20.string(), amount: z20.number().int() }))
});
var StatementOut = z20.object({
  account: AccountOut,
  allianceName: z20.string(),
  from: z20.string().nullable(),
  to: z20.string().nullable(),
  opening: z20.number().int(),
  closing: z20.number().int(),
  credits: z20.number().int(),
  debits: z20.number().int(),
  items: z20.array(StatementLine),
  truncated: z20.boolean()
});

// src/server/modules/credits/routes.ts
init_service3();
var TX_KIND_LABELS = {
  booking_charge: "\u8BBE\u65BD\u9884\u7EA6\u6263\u8D39",
  booking_refund: "\u53D6\u6D88\u9884\u7EA6\u9000\u8FD8",
  no_show_penalty: "\u672A\u5230\u573A\u6263\u9664",
  grant: "\u79EF\u5206\u53D1\u653E",
  adjustment: "\u4EBA\u5DE5\u8C03\u6574",
  resource_reward: "\u8D44\u6E90\u5171\u4EAB\u5956\u52B1",
  teacher_exchange: "\u6559\u5E08\u4EA4\u6D41\u5956\u52B1"
};
async function creditRoutes(app, ctx) {
  const svc = new CreditService(ctx.database);
  const r = zapp(app);
  const tags = ["\u79EF\u5206 credits"];
  const params = z21.object({ id: Id });
  r.get("/api/alliances/:id/credit-rules", {
    config: { permission: "credit.read" },
    schema: { tags, summary: "\u8054\u76DF\u79EF\u5206\u89C4\u5219\uFF08\u672A\u8BBE\u7F6E\u65F6\u4E3A\u9ED8\u8BA4\u89C4\u5219\uFF09", params, response: { 200: CreditRulesOut } }
  }, async (req) => svc.getRules(actorOf(req), req.params.id));
  r.put("/api/alliances/:id/credit-rules", {
    config: { permission: "credit.manage" },
    schema: { tags, summary: "\u4FEE\u6539\u8054\u76DF\u79EF\u5206\u89C4\u5219\uFF08\u53EF\u53EA\u63D0\u4EA4\u8981\u4FEE\u6539\u7684\u9879\uFF09", params, body: CreditRulesUpdate, response: { 200: CreditRulesOut } }
  }, async (req) => svc.putRules(req, actorOf(req), req.params.id, req.body));
  r.post("/api/alliances/:id/credit-grants", {
    config: { permission: "credit.manage" },
    schema: {
      tags,
      summary: "\u53D1\u653E\u79EF\u5206\uFF1A\u8D77\u59CB\u79EF\u5206\uFF08\u8584\u5F31\u6821/\u519C\u6751\u6821\u52A0\u53D1\uFF0C\u6BCF\u6821\u4E00\u6B21\uFF09\u6216\u8FFD\u52A0\u53D1\u653E\uFF1B\u652F\u6301 Idempotency-Key",
      params,
      body: GrantInput,
      response: { 200: GrantOut2, 201: GrantOut2 }
    }
  }, async (req, reply) => {
    const res = await svc.grant(req, actorOf(req), req.params.id, req.body, idempotencyKey(req));
    return reply.code(res.status).send(res.body);
  });
  r.post("/api/alliances/:id/credit-adjustments", {
    config: { permission: "credit.manage" },
    schema: { tags, summary: "\u4EBA\u5DE5\u8C03\u6574\u79EF\u5206\uFF08\u987B\u586B\u5199\u539F\u56E0\uFF09\uFF1B\u652F\u6301 Idempotency-Key", params, body: AdjustmentInput, response: { 201: AdjustmentOut } }
  }, async (req, reply) => {
    const res = await svc.adjust(req, actorOf(req), req.params.id, req.body, idempotencyKey(req));
    return reply.code(res.status).send(res.body);
  });
  r.get("/api/alliances/:id/credit-accounts", {
    config: { permission: "credit.read" },
    schema: { tags, summary: "\u8054\u76DF\u79EF\u5206\u8D26\u6237\u4E0E\u4F59\u989D\uFF08\u5B66\u6821\u7BA1\u7406\u5458\u53EA\u770B\u672C\u6821\uFF09", params, response: { 200: AccountList } }
  }, async (req) => svc.accounts(actorOf(req), req.params.id));
  r.get("/api/credit/statements", {
    config: { permission: "credit.read" },
    schema: { tags, summary: "\u79EF\u5206\u5BF9\u8D26\u5355\uFF08\u542B\u9010\u7B14\u4F59\u989D\u4E0E\u6765\u6E90\uFF09", querystring: StatementQuery, response: { 200: StatementOut } }
  }, async (req) => svc.statement(actorOf(req), req.query));
  r.get("/api/credit/statements.xlsx", {
    config: { permission: "credit.read" },
    schema: { tags, summary: "\u5BFC\u51FA\u79EF\u5206\u5BF9\u8D26\u5355 Excel", querystring: StatementQuery }
  }, async (req, reply) => {
    const st = await svc.statement(actorOf(req), req.query, 5e4);
    const rows = [{ opening: true }, ...st.items];
    const local = (iso2) => new Date(Date.parse(iso2) + 8 * 36e5).toISOString().slice(0, 19).replace("T", " ");
    return sendXlsx(reply, `\u79EF\u5206\u5BF9\u8D26\u5355-${st.account.ownerName}-${st.allianceName}.xlsx`, "\u79EF\u5206\u5BF9\u8D26\u5355", [
      { header: "\u65F6\u95F4", value: (l) => "opening" in l ? st.from ?? "" : local(l.at), width: 20 },
      { header: "\u7C7B\u578B", value: (l) => "opening" in l ? "\u671F\u521D\u4F59\u989D" : TX_KIND_LABELS[l.kind] ?? l.kind, width: 14 },
      { header: "\u6458\u8981", value: (l) => "opening" in l ? "" : l.memo ?? "", width: 40 },
      { header: "\u5BF9\u65B9", value: (l) => "opening" in l ? "" : l.counterparts.map((c) => c.ownerName).join("\u3001"), width: 30 },
      { header: "\u6536\u5165", value: (l) => "opening" in l ? null : l.amount > 0 ? l.amount : null },
      { header: "\u652F\u51FA", value: (l) => "opening" in l ? null : l.amount < 0 ? -l.amount : null },
      { header: "\u4F59\u989D", value: (l) => "opening" in l ? st.opening : l.balance },
      { header: "\u4EA4\u6613\u7F16\u53F7", value: (l) => "opening" in l ? "" : l.transactionId, width: 24 },
      { header: "\u6765\u6E90", value: (l) => "opening" in l ? "" : `${l.causeType}:${l.causeId}`, width: 30 }
    ], rows);
  });
  r.get("/api/credit/transactions/:id", {
    config: { permission: "credit.read" },
    schema: { tags, summary: "\u79EF\u5206\u4EA4\u6613\u8BE6\u60C5\uFF08\u5168\u90E8\u5206\u5F55\uFF09", params, response: { 200: TransactionOut } }
  }, async (req) => svc.transaction(actorOf(req), req.params.id));
}

// src/server/modules/facilities/utilization-routes.ts
import { z as z22 } from "zod";
init_errors();

// src/server/modules/facilities/utilization.ts
var IDLE_THRESHOLD = 0.15;
var GOAL_BASELINE = 0.35;
var GOAL_TARGET = 0.7;
var TZ_OFFSET_MS2 = 8 * 36e5;
var DAY_MS = 864e5;
var HOUR_MS = 36e5;
function localDayStart(date) {
  return Date.parse(`${date}T00:00:00.000Z`) - TZ_OFFSET_MS2;
}
function addDaysStr(date, days) {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
function weekdayOf(date) {
  const d = (/* @__PURE__ */ new Date(`${date}T00:00:00.000Z`)).getUTCDay();
  return d === 0 ? 7 : d;
}
var minutes = (hhmm) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
function weekPeriods(from, to) {
  const out = [];
  let monday = addDaysStr(from, 1 - weekdayOf(from));
  while (monday <= to) {
    const sunday = addDaysStr(monday, 6);
    out.push({ key: monday, label: monday.slice(5), from: monday < from ? from : monday, to: sunday > to ? to : sunday });
    monday = addDaysStr(monday, 7);
  }
  return out;
}
function termPeriods(from, to, terms) {
  let list = terms;
  if (!list || list.length === 0) {
    list = [];
    const y0 = Number(from.slice(0, 4)) - 1;
    const y1 = Number(to.slice(0, 4));
    for (let y = y0; y <= y1; y++) {
      list.push({ name: `${y}-${y + 1}\u5B66\u5E74\u7B2C\u4E00\u5B66\u671F`, from: `${y}-09-01`, to: `${y + 1}-01-31` });
      list.push({ name: `${y}-${y + 1}\u5B66\u5E74\u7B2C\u4E8C\u5B66\u671F`, from: `${y + 1}-02-01`, to: `${y + 1}-07-15` });
    }
  }
  return list.filter((t) => t.from <= to && t.to >= from).sort((a, b) => a.from.localeCompare(b.from)).map((t) => ({ key: t.from, label: t.name, from: t.from < from ? from : t.from, to: t.to > to ? to : t.to }));
}
function union(spans) {
  const sorted = spans.filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return out;
}
function subtract(a, b) {
  const out = [];
  let j = 0;
  for (const s of a) {
    let cur = s.startMs;
    while (j < b.length && b[j].endMs <= cur) j++;
    let k = j;
    while (k < b.length && b[k].startMs < s.endMs) {
      if (b[k].startMs > cur) out.push({ startMs: cur, endMs: b[k].startMs });
      cur = Math.max(cur, b[k].endMs);
      k++;
    }
    if (cur < s.endMs) out.push({ startMs: cur, endMs: s.endMs });
  }
  return out;
}
function overlapMs(a, b, lo, hi) {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i].startMs, b[j].startMs, lo);
    const e = Math.min(a[i].endMs, b[j].endMs, hi);
    if (e > s) total += e - s;
    if (a[i].endMs < b[j].endMs) i++;
    else j++;
  }
  return total;
}
var lengthMs = (a, lo, hi) => a.reduce((acc, s) => acc + Math.max(0, Math.min(s.endMs, hi) - Math.max(s.startMs, lo)), 0);
function openSpans(f, from, to) {
  const spans = [];
  for (let d = from; d <= to; d = addDaysStr(d, 1)) {
    const wd = weekdayOf(d);
    const base = localDayStart(d);
    for (const w of f.windows) {
      if (w.weekday !== wd) continue;
      const s = minutes(w.start);
      const e = minutes(w.end);
      if (e > s) spans.push({ startMs: base + s * 6e4, endMs: base + e * 6e4 });
    }
  }
  return subtract(union(spans), union(f.closures));
}
var round1 = (x) => Math.round(x * 10) / 10;
var rate = (num, den) => den > 0 ? Math.round(num / den * 1e3) / 1e3 : null;
function hours(openMs, bookedMs, usedMs) {
  return {
    openHours: round1(openMs / HOUR_MS),
    bookedHours: round1(bookedMs / HOUR_MS),
    usedHours: round1(usedMs / HOUR_MS),
    bookedRate: rate(bookedMs, openMs),
    usedRate: rate(usedMs, openMs)
  };
}
var newAcc = (n) => ({ open: 0, booked: 0, used: 0, series: Array.from({ length: n }, () => ({ open: 0, booked: 0, used: 0 })), facilities: 0, idle: 0 });
function computeUtilization(input) {
  const { from, to, by } = input;
  const periods = by === "week" ? weekPeriods(from, to) : termPeriods(from, to, input.terms);
  const bounds = periods.map((p) => [localDayStart(p.from), localDayStart(addDaysStr(p.to, 1))]);
  const lo = localDayStart(from);
  const hi = localDayStart(addDaysStr(to, 1));
  const byFacility = /* @__PURE__ */ new Map();
  for (const b of input.bookings) {
    const list = byFacility.get(b.facilityId);
    if (list) list.push(b);
    else byFacility.set(b.facilityId, [b]);
  }
  const total = newAcc(periods.length);
  const schools = /* @__PURE__ */ new Map();
  const types = /* @__PURE__ */ new Map();
  const facilities = [];
  for (const f of input.facilities) {
    const open = openSpans(f, from, to);
    const list = byFacility.get(f.id) ?? [];
    const booked = union(list);
    const used = union(list.filter((b) => b.used));
    const series = bounds.map(([s, e]) => ({ open: lengthMs(open, s, e), booked: overlapMs(open, booked, s, e), used: overlapMs(open, used, s, e) }));
    const o = lengthMs(open, lo, hi);
    const bk = overlapMs(open, booked, lo, hi);
    const us = overlapMs(open, used, lo, hi);
    const idle = o > 0 && us / o < IDLE_THRESHOLD;
    facilities.push({
      id: f.id,
      name: f.name,
      type: f.type,
      schoolId: f.schoolId,
      schoolName: f.schoolName,
      ...hours(o, bk, us),
      idle,
      series: series.map((x) => hours(x.open, x.booked, x.used))
    });
    const sKey = f.schoolId ?? "";
    if (!schools.has(sKey)) schools.set(sKey, { ...newAcc(periods.length), name: f.schoolName });
    if (!types.has(f.type)) types.set(f.type, newAcc(periods.length));
    for (const acc of [total, schools.get(sKey), types.get(f.type)]) {
      acc.open += o;
      acc.booked += bk;
      acc.used += us;
      acc.facilities++;
      if (idle) acc.idle++;
      series.forEach((x, i) => {
        acc.series[i].open += x.open;
        acc.series[i].booked += x.booked;
        acc.series[i].used += x.used;
      });
    }
  }
  const group = (key, name, a) => ({
    key,
    name,
    ...hours(a.open, a.booked, a.used),
    facilities: a.facilities,
    idleFacilities: a.idle,
    series: a.series.map((x) => hours(x.open, x.booked, x.used))
  });
  const totalHours = hours(total.open, total.booked, total.used);
  const byRate = (a, b) => (a.usedRate ?? -1) - (b.usedRate ?? -1);
  return {
    from,
    to,
    by,
    periods,
    total: { ...totalHours, facilities: total.facilities, idleFacilities: total.idle, series: total.series.map((x) => hours(x.open, x.booked, x.used)) },
    facilities: facilities.sort(byRate),
    schools: [...schools.entries()].map(([k, a]) => group(k, a.name, a)).sort(byRate),
    types: [...types.entries()].map(([k, a]) => group(k, null, a)).sort(byRate),
    idleThreshold: IDLE_THRESHOLD,
    goal: { baseline: GOAL_BASELINE, target: GOAL_TARGET, reached: (totalHours.usedRate ?? 0) >= GOAL_TARGET }
  };
}

// src/server/modules/facilities/utilization-routes.ts
var BOOKED = ["accepted", "checked_in", "no_show"];
var USED = /* @__PURE__ */ new Set(["checked_in"]);
var MAX_DAYS = 400;
var STAFF_ROLES = /* @__PURE__ */ new Set(["school_admin", "teacher", "reviewer", "partner", "alliance_admin"]);
var DateStr2 = z22.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), "invalid date");
var Query = z22.object({ from: DateStr2.optional(), to: DateStr2.optional(), by: z22.enum(["week", "term"]).default("week") });
var HoursOut = {
  openHours: z22.number(),
  bookedHours: z22.number(),
  usedHours: z22.number(),
  bookedRate: z22.number().nullable(),
  usedRate: z22.number().nullable()
};
var Hours = z22.object(HoursOut);
var Group = z22.object({ key: z22.string(), name: z22.string().nullable(), ...HoursOut, facilities: z22.number(), idleFacilities: z22.number(), series: z22.array(Hours) });
var Report = z22.object({
  scope: z22.object({ kind: z22.enum(["alliance", "school"]), id: z22.string(), name: z22.string() }),
  from: z22.string(),
  to: z22.string(),
  by: z22.enum(["week", "term"]),
  periods: z22.array(z22.object({ key: z22.string(), label: z22.string(), from: z22.string(), to: z22.string() })),
  total: z22.object({ ...HoursOut, facilities: z22.number(), idleFacilities: z22.number(), series: z22.array(Hours) }),
  facilities: z22.array(z22.object({
    id: z22.string(),
    name: z22.string(),
    type: z22.string(),
    schoolId: z22.string().nullable(),
    schoolName: z22.string().nullable(),
    ...HoursOut,
    idle: z22.boolean(),
    series: z22.array(Hours)
  })),
  schools: z22.array(Group),
  types: z22.array(Group),
  idleThreshold: z22.number(),
  goal: z22.object({ baseline: z22.number(), target: z22.number(), reached: z22.boolean() })
});
var isStaff = (a) => a.grants.some((g) => STAFF_ROLES.has(g.role));
function canSeeAllianceUtilization(a, al) {
  return a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.adminAlliances.has(al.id) || a.memberAlliances.has(al.id) && isStaff(a);
}
function canSeeSchoolUtilization(a, s, schoolAlliances) {
  return a.isPlatformAdmin || a.readRegions.has(s.region_id) || a.adminSchools.has(s.id) || a.schools.has(s.id) && isStaff(a) || schoolAlliances.some((id) => a.adminAlliances.has(id));
}
function range(q) {
  const to = q.to ?? todayIn();
  const from = q.from ?? addDaysStr(to, -83);
  if (from > to) throw badRequest([{ field: "to", code: "invalid", params: { reason: "\u7ED3\u675F\u65E5\u671F\u65E9\u4E8E\u5F00\u59CB\u65E5\u671F / ends before it starts" } }]);
  const days = (Date.parse(to) - Date.parse(from)) / 864e5;
  if (days > MAX_DAYS) throw badRequest([{ field: "from", code: "invalid", params: { reason: `\u8303\u56F4\u4E0D\u80FD\u8D85\u8FC7 ${MAX_DAYS} \u5929 / at most ${MAX_DAYS} days` } }]);
  return { from, to };
}
async function load(db, where, from, to) {
  const { schoolIds, partnerIds } = where;
  if (schoolIds.length === 0 && partnerIds.length === 0) return { facilities: [], bookings: [] };
  const rows = await db.selectFrom("facilities as f").leftJoin("schools as s", "s.id", "f.school_id").leftJoin("partners as p", "p.id", "f.partner_id").select(["f.id", "f.name", "f.type", "f.school_id", "f.partner_id", "s.name as school_name", "p.name as partner_name"]).where("f.status", "!=", "retired").where((eb) => {
    const ors = [];
    if (schoolIds.length) ors.push(eb("f.school_id", "in", schoolIds));
    if (partnerIds.length) ors.push(eb("f.partner_id", "in", partnerIds));
    return eb.or(ors);
  }).orderBy("f.id").execute();
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { facilities: [], bookings: [] };
  const lo = localDayStart(from);
  const hi = localDayStart(addDaysStr(to, 1));
  const [hours2, closures, bookings] = await Promise.all([
    db.selectFrom("facility_open_hours").select(["facility_id", "weekday", "open", "close"]).where("facility_id", "in", ids).execute(),
    db.selectFrom("closures").select(["facility_id", "school_id", "start_date", "end_date"]).where((eb) => eb.or([eb("facility_id", "in", ids), ...schoolIds.length ? [eb("school_id", "in", schoolIds)] : []])).where("start_date", "<=", to).where("end_date", ">=", from).execute(),
    db.selectFrom("bookings").select(["facility_id", "start_ms", "end_ms", "status"]).where("facility_id", "in", ids).where("status", "in", BOOKED).where("start_ms", "<", hi).where("end_ms", ">", lo).execute()
  ]);
  const facilities = rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    schoolId: r.school_id ?? (r.partner_id ? `partner:${r.partner_id}` : null),
    schoolName: r.school_name ?? r.partner_name ?? null,
    windows: hours2.filter((h) => h.facility_id === r.id).map((h) => ({ weekday: Number(h.weekday), start: h.open, end: h.close })),
    closures: closures.filter((c) => c.facility_id === r.id || c.facility_id == null && c.school_id != null && c.school_id === r.school_id).map((c) => ({ startMs: localDayStart(c.start_date), endMs: localDayStart(addDaysStr(c.end_date, 1)) }))
  }));
  return {
    facilities,
    bookings: bookings.map((b) => ({ facilityId: b.facility_id, startMs: Number(b.start_ms), endMs: Number(b.end_ms), used: USED.has(b.status) }))
  };
}
async function termsOf(db, schoolId, from, to) {
  if (!schoolId) return [];
  const rows = await db.selectFrom("school_terms").select(["name", "start_date", "end_date"]).where("school_id", "=", schoolId).where("start_date", "<=", to).where("end_date", ">=", from).orderBy("start_date").execute();
  return rows.map((r) => ({ name: r.name, from: r.start_date, to: r.end_date }));
}
async function utilizationRoutes(app, ctx) {
  const r = zapp(app);
  const db = ctx.database.db;
  const tags = ["\u8BBE\u65BD\u5229\u7528\u7387 utilization"];
  r.get("/api/alliances/:id/utilization", {
    config: { permission: "facility.read" },
    schema: {
      tags,
      summary: "\u8054\u76DF\u8BBE\u65BD\u5229\u7528\u7387\uFF08\u6309\u5468/\u5B66\u671F\uFF1B\u542B\u95F2\u7F6E\u8BBE\u65BD\u6807\u8BB0\u4E0E 35%\u219270% \u76EE\u6807\uFF09",
      params: z22.object({ id: z22.string().min(1).max(40) }),
      querystring: Query,
      response: { 200: Report }
    }
  }, async (req) => {
    const actor = actorOf(req);
    const al = await db.selectFrom("alliances").select(["id", "region_id", "name", "core_school_id"]).where("id", "=", req.params.id).executeTakeFirst();
    if (!al || !canSeeAllianceUtilization(actor, al)) throw notFound("alliance");
    const { from, to } = range(req.query);
    const [members, partners] = await Promise.all([
      db.selectFrom("alliance_members").select("school_id").where("alliance_id", "=", al.id).where("status", "=", "active").execute(),
      db.selectFrom("alliance_partners").select("partner_id").where("alliance_id", "=", al.id).execute()
    ]);
    const data = await load(db, { schoolIds: members.map((m) => m.school_id), partnerIds: partners.map((p) => p.partner_id) }, from, to);
    const terms = req.query.by === "term" ? await termsOf(db, al.core_school_id, from, to) : void 0;
    const report = computeUtilization({ from, to, by: req.query.by, terms, ...data });
    return { scope: { kind: "alliance", id: al.id, name: al.name }, ...report };
  });
  r.get("/api/schools/:id/utilization", {
    config: { permission: "facility.read" },
    schema: {
      tags,
      summary: "\u5B66\u6821\u8BBE\u65BD\u5229\u7528\u7387\uFF08\u6309\u5468/\u5B66\u671F\uFF09",
      params: z22.object({ id: z22.string().min(1).max(40) }),
      querystring: Query,
      response: { 200: Report }
    }
  }, async (req) => {
    const actor = actorOf(req);
    const s = await db.selectFrom("schools").select(["id", "region_id", "name"]).where("id", "=", req.params.id).executeTakeFirst();
    if (!s) throw notFound("school");
    const alliances = (await db.selectFrom("alliance_members").select("alliance_id").where("school_id", "=", s.id).where("status", "=", "active").execute()).map((x) => x.alliance_id);
    if (!canSeeSchoolUtilization(actor, s, alliances)) throw notFound("school");
    const { from, to } = range(req.query);
    const data = await load(db, { schoolIds: [s.id], partnerIds: [] }, from, to);
    const terms = req.query.by === "term" ? await termsOf(db, s.id, from, to) : void 0;
    const report = computeUtilization({ from, to, by: req.query.by, terms, ...data });
    return { scope: { kind: "school", id: s.id, name: s.name }, ...report };
  });
}

// src/server/modules/index.ts
async function registerModules(app, ctx) {
  await regionRoutes(app, ctx);
  await schoolRoutes(app, ctx);
  await allianceRoutes(app, ctx);
  await membershipRoutes(app, ctx);
  await userRoutes(app, ctx);
  await auditRoutes(app, ctx);
  await importRoutes(app, ctx);
  await facilityRoutes(app, ctx);
  await resourceRoutes(app, ctx);
  await creditRoutes(app, ctx);
  await utilizationRoutes(app, ctx);
}

// src/server/app.ts
var UNSAFE = /* @__PURE__ */ new Set(["POST", "PUT", "PATCH", "DELETE"]);
async function buildApp(config, opts = {}) {
  const database = opts.database ?? createDatabase(config);
  await ensureSchema(database, config.databaseSchema);
  if (opts.migrate !== false) await migrate(database);
  const storage = opts.storage ?? new LocalStorage(path6.join(config.dataDir, "files"));
  const ctx = { config, database, storage };
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    genReqId: (req) => {
      const h = req.headers["x-request-id"];
      return typeof h === "string" && /^[\w.-]{1,64}$/.test(h) ? h : newId();
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: void 0
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const auth = new AuthService(database.db, config);
  const routes = [];
  app.decorate("xl", { ...ctx, routes, auth });
  app.decorateRequest("actor", null);
  app.decorateRequest("lang", "zh");
  app.addHook("onRoute", (r) => {
    if (!r.url.startsWith("/api/") || r.url.startsWith("/api/docs")) return;
    const permission = r.config?.permission;
    if (!permission) throw new Error(`route ${r.method} ${r.url} declares no permission`);
    for (const m of [r.method].flat()) if (m !== "HEAD") routes.push({ method: m, url: r.url, permission });
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 20, fieldSize: 1e5 } });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "\u6821\u8054 xiaolian API", version: config.version, description: "\u6821\u9645\u8054\u76DF / \u6559\u80B2\u96C6\u56E2 \u8D44\u6E90\u5171\u4EAB\u4E0E\u534F\u540C\u5E73\u53F0" },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" }
        }
      }
    },
    transform: jsonSchemaTransform
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  const registry = installMetrics(app);
  app.addHook("onRequest", async (req) => {
    req.lang = langOf(req.headers["accept-language"]);
    const permission = req.routeOptions.config?.permission;
    if (!permission || permission === "public") return;
    const token = req.cookies[SESSION_COOKIE];
    const actor = token ? await auth.actorFromToken(token) : null;
    if (actor === "expired") throw new AppError(401, "session_expired");
    if (!actor) throw new AppError(401, "unauthenticated");
    req.actor = actor;
    if (UNSAFE.has(req.method)) {
      const sent = req.headers["x-csrf-token"];
      if (typeof sent !== "string" || sent !== actor.csrfToken) throw new AppError(403, "csrf_failed");
    }
    if (actor.mustChangePassword && !req.routeOptions.config?.allowBeforePasswordChange) {
      throw new AppError(403, "password_change_required");
    }
    if (!holds(actor, permission)) throw new AppError(403, "forbidden");
  });
  app.setErrorHandler((err, req, reply) => {
    const lang = req.lang ?? langOf(req.headers["accept-language"]);
    let status = 500;
    let code = "internal";
    let detail = message("internal", lang);
    let fields = [];
    if (err instanceof AppError) {
      status = err.status;
      code = err.code;
      detail = message(err.code, lang, err.params);
      fields = err.fields;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      code = "validation_failed";
      const where = err.validationContext;
      const prefix = where === "querystring" ? "query" : where === "params" ? "params" : where === "headers" ? "headers" : "";
      const input = where === "querystring" ? req.query : where === "params" ? req.params : where === "headers" ? req.headers : req.body;
      fields = err.validation.flatMap((v) => zodIssueToField(v, prefix)).map((f) => {
        const parts = (prefix ? f.field.slice(prefix.length + 1) : f.field).split(".").filter(Boolean);
        const value = parts.reduce((o, k) => o && typeof o === "object" ? o[k] : void 0, input);
        if (!f.field) return { ...f, field: "body" };
        return value === void 0 && f.code !== "unknown_field" && parts.length ? { field: f.field, code: "required" } : f;
      });
      detail = message("validation_failed", lang);
    } else if (err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || err instanceof SyntaxError && err.statusCode === 400) {
      status = 400;
      code = "malformed_json";
      detail = message("malformed_json", lang);
      fields = [{ field: "body", code: "invalid_format" }];
    } else if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      status = 415;
      code = "unsupported_media_type";
      detail = message("unsupported_media_type", lang);
    } else if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE" || err.code === "FST_REQ_FILE_TOO_LARGE" || err.statusCode === 413) {
      status = 413;
      code = "payload_too_large";
      detail = message("payload_too_large", lang);
    } else if (err.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
      status = 400;
      code = "validation_failed";
      detail = message("validation_failed", lang);
      fields = [{ field: "body", code: "required" }];
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      code = "validation_failed";
      detail = err.message;
    }
    if (status >= 500) req.log.error({ err, serialization: isResponseSerializationError(err) }, "request failed");
    reply.code(status).type("application/problem+json").send({
      type: `urn:xiaolian:error:${code}`,
      title: code,
      status,
      code,
      detail,
      instance: req.url,
      requestId: String(req.id),
      ...fields.length ? { errors: fields.map((f) => ({ field: f.field, code: f.code, message: fieldMessage(f.code, lang, f.params) })) } : {}
    });
  });
  const zr = app.withTypeProvider();
  zr.get("/healthz", {
    schema: {
      hide: true,
      response: { 200: z23.object({ status: z23.literal("ok"), database: z23.enum(["sqlite", "postgres"]), version: z23.string() }) }
    }
  }, async () => {
    await database.db.selectFrom("regions").select("id").limit(1).execute();
    return { status: "ok", database: database.dialect, version: config.version };
  });
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  app.get("/api/openapi.json", { config: { permission: "public" }, schema: { hide: true } }, async () => app.swagger());
  await authRoutes(app, ctx, auth);
  await registerModules(app, ctx);
  const webRoot = findWebRoot();
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/api/") || !webRoot || req.method !== "GET" && req.method !== "HEAD") {
      const lang = langOf(req.headers["accept-language"]);
      return reply.code(404).type("application/problem+json").send({
        type: "urn:xiaolian:error:route_not_found",
        title: "route_not_found",
        status: 404,
        code: "route_not_found",
        detail: message("route_not_found", lang),
        instance: req.url
      });
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").sendFile("index.html");
  });
  app.addHook("onClose", async () => {
    if (!opts.database) await database.close();
  });
  return app;
}
function findWebRoot() {
  const here = path6.dirname(fileURLToPath(import.meta.url));
  for (const p of [path6.resolve(here, "../web"), path6.resolve(here, "../../dist/web"), path6.resolve(process.cwd(), "dist/web")]) {
    if (fs5.existsSync(path6.join(p, "index.html")) && fs5.existsSync(path6.join(p, "assets"))) return p;
  }
  return null;
}

// src/server/main.ts
init_db();
var USAGE = `\u7528\u6CD5 usage: xiaolian <command>
  serve                         \u542F\u52A8\u670D\u52A1 (PORT, DATA_DIR, DATABASE_URL)
  migrate                       \u6267\u884C\u6570\u636E\u5E93\u8FC1\u79FB
  seed [--scale demo|province]  \u751F\u6210\u6F14\u793A\u6570\u636E (demo: \u4E34\u5DDD\u5E02\u6F14\u793A\u533A\u57DF; province: \u4E07\u6821\u89C4\u6A21, \u4F9B\u538B\u6D4B)
  backup <file>                 SQLite \u5728\u7EBF\u5907\u4EFD\u5230\u6587\u4EF6 (PostgreSQL \u89C1 docs/backup.md)
  restore <file>                \u4ECE\u5907\u4EFD\u6587\u4EF6\u6062\u590D SQLite \u6570\u636E\u5E93 (\u670D\u52A1\u9700\u505C\u6B62)
  check                         \u68C0\u67E5\u6570\u636E\u4E00\u81F4\u6027
  create-admin <username>       \u521B\u5EFA\u5E73\u53F0\u7BA1\u7406\u5458\uFF08\u6253\u5370\u4E00\u6B21\u6027\u521D\u59CB\u5BC6\u7801\uFF0C\u9996\u6B21\u767B\u5F55\u987B\u4FEE\u6539\uFF09`;
async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const config = loadConfig();
  switch (cmd) {
    case "serve": {
      const started = performance.now();
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const storage = new LocalStorage(path9.join(config.dataDir, "files"));
      if (config.seedOnStart) {
        const { seedDemo: seedDemo2, DEMO_ACCOUNTS: DEMO_ACCOUNTS2 } = await Promise.resolve().then(() => (init_seed(), seed_exports));
        const summary = await seedDemo2(database, storage, { password: config.demoPassword });
        if (!summary.skipped) console.log(`\u6F14\u793A\u6570\u636E\u5DF2\u751F\u6210 demo data seeded: ${summary.schools} \u6240\u5B66\u6821, ${summary.alliances} \u4E2A\u8054\u76DF (${summary.ms} ms)`);
        printAccounts(DEMO_ACCOUNTS2, config.demoPassword);
      }
      const app = await buildApp(config, { database, storage });
      const { AuthService: AuthService2 } = await Promise.resolve().then(() => (init_service(), service_exports));
      const auth = new AuthService2(database.db, config);
      const purge = setInterval(() => auth.purgeExpired().catch((err) => app.log.warn({ err }, "purge of expired sessions failed")), 10 * 6e4);
      purge.unref();
      const close = async () => {
        clearInterval(purge);
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.on("SIGINT", close);
      process.on("SIGTERM", close);
      await app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${app.server.address().port}`;
      console.log(`
\u6821\u8054 xiaolian ${config.version} \u5DF2\u542F\u52A8 (${database.dialect}, ${Math.round(performance.now() - started)} ms): ${url}
`);
      return;
    }
    case "migrate": {
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      const applied = await migrate(database);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      await database.close();
      return;
    }
    case "seed": {
      const scale = args.includes("--scale") ? args[args.indexOf("--scale") + 1] : "demo";
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const seed = await Promise.resolve().then(() => (init_seed(), seed_exports));
      const summary = scale === "province" ? await seed.seedProvince(database, { password: config.demoPassword }) : await seed.seedDemo(database, new LocalStorage(path9.join(config.dataDir, "files")), { password: config.demoPassword });
      console.log(JSON.stringify(summary));
      if (scale !== "province") printAccounts(seed.DEMO_ACCOUNTS, config.demoPassword);
      await database.close();
      return;
    }
    case "backup": {
      const file = args[0];
      if (!file) throw new Error("backup needs a target file");
      const { backupSqlite: backupSqlite2 } = await Promise.resolve().then(() => (init_backup(), backup_exports));
      const res = await backupSqlite2(config, path9.resolve(file));
      console.log(`backup written: ${res.file} (${res.bytes} bytes, ${res.ms} ms)`);
      return;
    }
    case "restore": {
      const file = args[0];
      if (!file || !fs8.existsSync(file)) throw new Error("restore needs an existing backup file");
      const { restoreSqlite: restoreSqlite2 } = await Promise.resolve().then(() => (init_backup(), backup_exports));
      const res = await restoreSqlite2(config, path9.resolve(file));
      console.log(`restored ${res.file} from ${file}`);
      return;
    }
    case "check": {
      const database = createDatabase(config);
      const { runChecks: runChecks2 } = await Promise.resolve().then(() => (init_check(), check_exports));
      const problems = await runChecks2(database);
      for (const p of problems) console.log(`\u2717 ${p}`);
      console.log(problems.length ? `${problems.length} problem(s)` : "\u2713 no problems found");
      await database.close();
      process.exitCode = problems.length ? 1 : 0;
      return;
    }
    case "create-admin": {
      const username = args[0];
      if (!username || !/^[A-Za-z0-9_.-]{3,64}$/.test(username)) throw new Error("create-admin needs a username of 3\u201364 letters, digits, _ . -");
      const database = createDatabase(config);
      await ensureSchema(database, config.databaseSchema);
      await migrate(database);
      const { initialPassword: initialPassword2 } = await Promise.resolve().then(() => (init_service(), service_exports));
      const { hashPassword: hashPassword2 } = await Promise.resolve().then(() => (init_passwords(), passwords_exports));
      const { newId: newId2 } = await Promise.resolve().then(() => (init_ids(), ids_exports));
      const { newUserRow: newUserRow2 } = await Promise.resolve().then(() => (init_service2(), service_exports2));
      const password = initialPassword2();
      const passwordHash = await hashPassword2(password);
      const now = (/* @__PURE__ */ new Date()).toISOString();
      const userId = newId2();
      await database.db.transaction().execute(async (tx) => {
        await tx.insertInto("users").values(
          newUserRow2({ id: userId, username, displayName: "\u5E73\u53F0\u7BA1\u7406\u5458", passwordHash, schoolId: null, regionId: null }, now)
        ).execute();
        await tx.insertInto("role_grants").values({
          id: newId2(),
          user_id: userId,
          role: "platform_admin",
          scope_type: "installation",
          scope_id: null,
          subject: null,
          granted_by: null,
          granted_at: now
        }).execute();
        await tx.insertInto("audit_log").values({
          at: now,
          actor_id: null,
          actor_name: "cli",
          ip: null,
          request_id: null,
          action: "user.create",
          entity_type: "user",
          entity_id: userId,
          region_id: null,
          alliance_id: null,
          school_id: null,
          detail: JSON.stringify({ username, role: "platform_admin", via: "create-admin" })
        }).execute();
      });
      console.log(`platform admin ${username} created; initial password (change it at first sign-in): ${password}`);
      await database.close();
      return;
    }
    default:
      console.log(USAGE);
      process.exitCode = cmd ? 2 : 0;
  }
}
function printAccounts(accounts, password) {
  console.log(`
\u6F14\u793A\u8D26\u53F7 demo accounts (\u5BC6\u7801 password: ${password === "Xiaolian@2026" ? "Xiaolian@2026 (DEMO_PASSWORD)" : "$DEMO_PASSWORD"}):`);
  for (const a of accounts) console.log(`  ${a.username.padEnd(12)} ${a.role.padEnd(16)} ${a.note}`);
}
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
//# sourceMappingURL=main.js.map
