// MobileGuard: one Durable Object per (tenant, hash bucket of the mobile), the only place per-mobile
// decisions are made: a mobile always hashes to the same bucket, so each mobile's sliding-window send
// limits, repeat-send detection and active verification codes live in exactly one object, while one
// object serves many mobiles (a new mobile creates no new database). Each RPC runs without awaiting
// between read and write, so the decision and its record are atomic under concurrency; one alarm
// purges expired codes and old send history so storage stays bounded.
import { DurableObject } from "cloudflare:workers";
import type { Kind } from "../store/columns";
import { CODE_RETAIN_MS, nextCodePurge, purgeCodes, storeCode, verifyCode, type VerifyOutcome } from "./codes";

export type { VerifyOutcome };

export interface AdmitRequest {
  /** The mobile (as stored on the message) whose history decides; the object holds its whole bucket. */
  mobile: string;
  kind: Kind;
  /** The message this send becomes once committed (codes are verified by it). */
  messageId: string;
  /** A verification code to hold for this message (hash of the code, and when it stops being valid). */
  code: { hash: string; expiresAt: number } | null;
  now: number;
  /** Sliding windows: at most `max` sends within `seconds` (the tenant settings' shape, validated there). */
  windows: Array<{ seconds: number; max: number }>;
  /** SHA-256 of the content, when repeat detection is on. */
  contentHash: string | null;
  repeatWindowSeconds: number;
  /** The mobile's history from its object of the tenant's earlier bucket count, while a move is recent (see history). */
  earlier?: History;
}

/** What a mobile's history is read for: its windows and its repeat window at `now`. */
export type HistoryRequest = Pick<AdmitRequest, "mobile" | "kind" | "now" | "windows" | "contentHash" | "repeatWindowSeconds">;

/** What one object has seen of a mobile within the longest window: what admit decides by. */
export interface History {
  /** Send times of the kind inside the longest window, newest first, at most the largest limit. */
  ats: number[];
  /** The newest send of the same content inside the repeat window, if any. */
  repeatAt: number | null;
}

export type AdmitDecision =
  | { ok: true; ticket: string }
  | { ok: false; reason: "rate_limited" | "repeat_send"; retryAfter: number };

// Append-only: a new step is a new array element, applied once in order.
const SCHEMA: string[] = [
  `CREATE TABLE sends (ticket TEXT PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, content_hash TEXT)`,
  `CREATE INDEX sends_kind_at ON sends (kind, at)`,
  `CREATE INDEX sends_hash_at ON sends (content_hash, at) WHERE content_hash IS NOT NULL`,
  // Which message a send became, so a released send also drops the code it brought.
  `ALTER TABLE sends ADD COLUMN message_id TEXT`,
  `CREATE TABLE codes (message_id TEXT PRIMARY KEY, hash TEXT NOT NULL, expires_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, used_at INTEGER)`,
  `CREATE INDEX codes_expires_at ON codes (expires_at)`,
  `CREATE INDEX sends_at ON sends (at)`,
  // Objects became buckets of mobiles (objects of the old per-mobile naming are no longer addressed).
  `ALTER TABLE sends ADD COLUMN mobile TEXT NOT NULL DEFAULT ''`,
  `DROP INDEX sends_kind_at`,
  `DROP INDEX sends_hash_at`,
  `CREATE INDEX sends_mobile_kind_at ON sends (mobile, kind, at)`,
  `CREATE INDEX sends_mobile_hash_at ON sends (mobile, content_hash, at) WHERE content_hash IS NOT NULL`,
];

/** Longest window any setting may use (tenant-settings caps windows at 7 days). */
const MAX_WINDOW_MS = 7 * 86400 * 1000;

export class MobileGuard extends DurableObject<Env> {
  /** The alarm as last read or set by this instance (undefined: not read yet). */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The schema steps are synchronous SQL, so they run here, before any call can reach the object;
    // wrapping them in blockConcurrencyWhile would leave its promise unawaited in the constructor.
    this.#migrate();
  }

  #migrate(): void {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)");
    const row = sql.exec<{ version: number }>("SELECT version FROM _schema").toArray()[0];
    const from = row?.version ?? 0;
    if (from >= SCHEMA.length) return;
    this.ctx.storage.transactionSync(() => {
      for (const step of SCHEMA.slice(from)) sql.exec(step);
      if (row) sql.exec("UPDATE _schema SET version = ?", SCHEMA.length);
      else sql.exec("INSERT INTO _schema (version) VALUES (?)", SCHEMA.length);
    });
  }

  /**
   * Decides whether one more send of `kind` may go to this mobile now, and records it if so,
   * together with the code it carries.
   */
  async admit(req: AdmitRequest): Promise<AdmitDecision> {
    const seen = this.#history(req);
    // After a move of the tenant's bucket count, sends from before it are in the other object: they
    // count too (that object takes no new sends, so what it answered cannot change meanwhile).
    const newest = req.earlier ? [...seen.ats, ...req.earlier.ats].sort((a, b) => b - a) : seen.ats;
    for (const w of req.windows) {
      // A window is full when its max-th newest send is inside it, and frees a slot when that send leaves it.
      const nth = newest[w.max - 1];
      if (nth !== undefined && nth > req.now - w.seconds * 1000) {
        return { ok: false, reason: "rate_limited", retryAfter: Math.max(1, Math.ceil((nth + w.seconds * 1000 - req.now) / 1000)) };
      }
    }
    const repeatAt = Math.max(seen.repeatAt ?? -Infinity, req.earlier?.repeatAt ?? -Infinity);
    if (repeatAt !== -Infinity) {
      return { ok: false, reason: "repeat_send", retryAfter: Math.max(1, Math.ceil((repeatAt + req.repeatWindowSeconds * 1000 - req.now) / 1000)) };
    }
    const ticket = crypto.randomUUID();
    const sql = this.ctx.storage.sql;
    sql.exec(
      "INSERT INTO sends (ticket, mobile, kind, at, content_hash, message_id) VALUES (?, ?, ?, ?, ?, ?)",
      ticket,
      req.mobile,
      req.kind,
      req.now,
      req.contentHash,
      req.messageId,
    );
    if (req.code) storeCode(sql, req.messageId, req.code.hash, req.code.expiresAt);
    // The alarm is never later than any older row's due time (see #armBy and alarm), so only the
    // rows just written can move it: no MIN() scan over the bucket's history per admission.
    await this.#armBy(Math.min(req.now + MAX_WINDOW_MS, req.code ? req.code.expiresAt + CODE_RETAIN_MS : Infinity));
    return { ok: true, ticket };
  }

  /**
   * What this object holds of a mobile for a decision made elsewhere: the object of the tenant's
   * new bucket count asks the one of the earlier count, while a window can still reach back before
   * the move (core/send.ts). Reads only.
   */
  async history(req: HistoryRequest): Promise<History> {
    return this.#history(req);
  }

  /**
   * One read serves every window: the mobile's newest sends of the kind within the longest window,
   * as many as the largest limit; and the newest send of the same content in the repeat window.
   */
  #history(req: HistoryRequest): History {
    const sql = this.ctx.storage.sql;
    let ats: number[] = [];
    if (req.windows.length > 0) {
      const longest = Math.max(...req.windows.map((w) => w.seconds));
      const most = Math.max(...req.windows.map((w) => w.max));
      ats = sql
        .exec<{ at: number }>(
          "SELECT at FROM sends WHERE mobile = ? AND kind = ? AND at > ? ORDER BY at DESC LIMIT ?",
          req.mobile,
          req.kind,
          req.now - longest * 1000,
          most,
        )
        .toArray()
        .map((r) => r.at);
    }
    let repeatAt: number | null = null;
    if (req.contentHash && req.repeatWindowSeconds > 0) {
      repeatAt =
        sql
          .exec<{ at: number }>(
            "SELECT at FROM sends WHERE mobile = ? AND content_hash = ? AND at > ? ORDER BY at DESC LIMIT 1",
            req.mobile,
            req.contentHash,
            req.now - req.repeatWindowSeconds * 1000,
          )
          .toArray()[0]?.at ?? null;
    }
    return { ats, repeatAt };
  }

  /** Gives back an admitted send that was never committed (e.g. the balance ran out), code included. */
  async release(ticket: string): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM codes WHERE message_id = (SELECT message_id FROM sends WHERE ticket = ?)", ticket);
    sql.exec("DELETE FROM sends WHERE ticket = ?", ticket);
  }

  /**
   * Checks a code's hash for a message: single use, valid until its expiry, dead after
   * MAX_WRONG_ATTEMPTS wrong guesses; hashes are compared in constant time.
   */
  async verify(messageId: string, codeHash: string, now: number): Promise<VerifyOutcome> {
    return verifyCode(this.ctx.storage.sql, messageId, codeHash, now);
  }

  /** When the earliest row becomes purgeable (send history past every window, codes past retention). */
  #nextDue(): number | null {
    const sql = this.ctx.storage.sql;
    const oldestSend = sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM sends").toArray()[0]?.at;
    const dues = [oldestSend == null ? null : oldestSend + MAX_WINDOW_MS, nextCodePurge(sql)].filter((d): d is number => d !== null);
    return dues.length > 0 ? Math.min(...dues) : null;
  }

  /** Moves the one alarm earlier when `due` comes before it; never later. */
  async #armBy(due: number): Promise<void> {
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt === null || due < this.#alarmAt) {
      this.#alarmAt = due;
      await this.ctx.storage.setAlarm(due);
    }
  }

  /** Drops what no decision can see any more; idempotent; re-armed to the next due row while any remain. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM sends WHERE at <= ?", now - MAX_WINDOW_MS);
    purgeCodes(sql, now);
    const next = this.#nextDue();
    this.#alarmAt = next === null ? null : Math.max(next, now + 1000);
    if (this.#alarmAt !== null) await this.ctx.storage.setAlarm(this.#alarmAt);
  }
}

/** GUARD_BUCKETS when unset: the count new tenants get; see docs/jpush.md ("MobileGuard buckets") for sizing. */
export const DEFAULT_GUARD_BUCKETS = 64;

/** GUARD_BUCKETS (1–65536): the count a tenant gets when it is created; a malformed value is a deployment error, said so loudly. */
export function guardBuckets(env: Pick<Env, "GUARD_BUCKETS">): number {
  const raw = env.GUARD_BUCKETS;
  if (raw === undefined || raw === "") return DEFAULT_GUARD_BUCKETS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65536) throw new Error(`GUARD_BUCKETS must be an integer 1–65536, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * The bucket of a mobile: FNV-1a over its stored form. Stable across deploys and isolates (never
 * seeded), which is what keeps each mobile's decisions in one object; not secret, and needs no
 * secrecy: a crafted set of mobiles in one bucket only shares that bucket's throughput.
 */
export function guardBucket(mobile: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < mobile.length; i++) {
    h ^= mobile.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/**
 * The object of `mobile` among a tenant's `buckets` objects. The count is part of the name, so two
 * counts never share an object: a tenant moved to another count (GuardLayout) starts on fresh ones.
 */
export const guardName = (tenantId: string, mobile: string, buckets: number): string =>
  `${tenantId}:guard:${guardBucket(mobile, buckets)}/${buckets}`;

/**
 * A tenant's bucket count (tenants.guard_buckets, migration 0020: GUARD_BUCKETS when the tenant was
 * created) and, once an operator moved it, the count before the move and its time: sends and codes
 * from before the move are in the objects of the earlier count.
 */
export interface GuardLayout {
  buckets: number;
  before: { buckets: number; movedAt: number } | null;
}

/** A tenant moves to another count at most once in this long: no window (or code) reaches back further. */
export const GUARD_MOVE_SPACING_MS = MAX_WINDOW_MS;

/**
 * The object of the earlier count that may still hold sends inside a window reaching `reachMs`
 * back from `now`, or null: no move, or one older than every window.
 */
export function earlierGuardName(tenantId: string, mobile: string, layout: GuardLayout, now: number, reachMs: number): string | null {
  const b = layout.before;
  return b && now - reachMs < b.movedAt ? guardName(tenantId, mobile, b.buckets) : null;
}

/**
 * Where a code sent at `sentAt` is held: the object of the count in force then. Around the move
 * (the sending isolate's clock may differ from the operator's by seconds) the other one is asked too.
 */
export function codeGuardNames(tenantId: string, mobile: string, layout: GuardLayout, sentAt: number): string[] {
  const b = layout.before;
  if (!b) return [guardName(tenantId, mobile, layout.buckets)];
  const [then, other] = sentAt < b.movedAt ? [b.buckets, layout.buckets] : [layout.buckets, b.buckets];
  const names = [guardName(tenantId, mobile, then)];
  if (Math.abs(sentAt - b.movedAt) < MOVE_CLOCK_SKEW_MS) names.push(guardName(tenantId, mobile, other));
  return names;
}

const MOVE_CLOCK_SKEW_MS = 60_000;
