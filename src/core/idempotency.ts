// Idempotency-Key for every operation that moves money (sends, schedules, balance changes), in every
// dialect: the key is read and the request hashed once by the router (src/http/router.ts), the
// operation reserves the key in the same D1 batch as its debit, and the router stores the answer.
// A retry with the same key and the same request within 24 h gets that answer again (same ids, no
// second debit); the same key with another request is refused as invalid input (each dialect's
// invalid-request error). Keys are per credential: the scope is the app (or the operator token).
import { CoreError } from "./errors";
import { sha256Hex } from "./crypto";
import { getIdempotencyRow, isReservationConflict, reserveStatements, storeIdempotentResponse } from "../store/idempotency";
import { tenantDb } from "../store/db";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** Printable ASCII, at most 255 characters: what Stripe-style clients send (UUIDs, ULIDs, hashes). */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** Methods whose requests can change something; the header is ignored on the others. */
const CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Headers of a stored answer that are replayed (the rest are per-response: dates, request ids). */
const KEPT_HEADERS = ["content-type", "location"];

/** A request that carries a key: what an operation needs to reserve it, and what it reserved. */
export interface IdempotencyContext {
  key: string;
  /** SHA-256 of method, path, query and body: "the same request". */
  requestHash: string;
  /** Set by the operation once its batch (with the reservation) committed. */
  reserved?: { scope: string; tenantId: string };
}

/** Thrown by an operation whose key already has an answer: the router answers with it. */
export class IdempotentReplay extends Error {
  constructor(readonly response: Response) {
    super("idempotent replay");
  }
}

const contexts = new WeakMap<Request, IdempotencyContext>();

/** Whether the request carries a key the operation must honour (a changing method with the header). */
export const wantsIdempotency = (req: Request): boolean => CHANGING.has(req.method) && req.headers.has(IDEMPOTENCY_HEADER);

/**
 * Registers the key of a changing request with the hash of the request (`body`: its bytes, read
 * from a clone by the router, so the handler reads the body as usual). A malformed key is refused as
 * invalid input before anything is done.
 */
export async function beginIdempotency(req: Request, body: Uint8Array): Promise<void> {
  const key = req.headers.get(IDEMPOTENCY_HEADER);
  if (key === null || !CHANGING.has(req.method)) return;
  if (!KEY.test(key)) throw new CoreError("invalid_input", `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters`, { field: IDEMPOTENCY_HEADER });
  const url = new URL(req.url);
  // Hex of the body keeps any bytes (even invalid UTF-8) exact in the hashed text.
  const bodyHex = Array.from(body, (b) => b.toString(16).padStart(2, "0")).join("");
  contexts.set(req, { key, requestHash: await sha256Hex(`${req.method} ${url.pathname}${url.search}\n${bodyHex}`) });
}

/** The request's key, for the operation's options (undefined without one). */
export const idempotencyOf = (req: Request): IdempotencyContext | undefined => contexts.get(req);

/**
 * Before any work: an earlier request with this key answers now (IdempotentReplay), or refuses a
 * different request, or one still in progress. Nothing found: the caller goes on and reserves.
 */
export async function checkIdempotency(db: D1Database, ctx: IdempotencyContext | undefined, scope: string, now: number): Promise<void> {
  if (!ctx) return;
  const row = await getIdempotencyRow(db, scope, ctx.key, now);
  if (!row) return;
  if (row.request_hash !== ctx.requestHash) {
    throw new CoreError("invalid_input", `${IDEMPOTENCY_HEADER} ${ctx.key} was already used for a different request`, { field: IDEMPOTENCY_HEADER });
  }
  if (row.status === null || row.response === null) {
    throw new CoreError("invalid_input", `a request with ${IDEMPOTENCY_HEADER} ${ctx.key} is still being processed; retry later`, { field: IDEMPOTENCY_HEADER });
  }
  const stored = JSON.parse(row.response) as { headers: Record<string, string>; body: string };
  throw new IdempotentReplay(new Response(stored.body, { status: row.status, headers: { ...stored.headers, "idempotent-replayed": "true" } }));
}

/** The reservation statements to put first in the operation's db.batch (none without a key). */
export function reservation(db: D1Database, ctx: IdempotencyContext | undefined, scope: string, tenantId: string, now: number): D1PreparedStatement[] {
  if (!ctx) return [];
  return reserveStatements(db, { scope, key: ctx.key, tenantId, requestHash: ctx.requestHash, now, expiresAt: now + IDEMPOTENCY_TTL_MS });
}

/**
 * Runs the operation's batch with the reservation first. A concurrent duplicate that committed first
 * makes this batch fail on the key: nothing of it was written, and the duplicate's outcome (its
 * answer, a different-request refusal, or "in progress") is thrown instead.
 */
export async function batchWithReservation(
  db: D1Database,
  ctx: IdempotencyContext | undefined,
  scope: string,
  tenantId: string,
  now: number,
  statements: D1PreparedStatement[],
): Promise<D1Result[]> {
  const reserve = reservation(db, ctx, scope, tenantId, now);
  try {
    const res = await db.batch([...reserve, ...statements]);
    if (ctx) ctx.reserved = { scope, tenantId };
    return res.slice(reserve.length);
  } catch (e) {
    if (ctx && isReservationConflict(e)) {
      await checkIdempotency(db, ctx, scope, now);
    }
    throw e;
  }
}

/** After the handler: the answer of a request that reserved its key is stored for its retries. */
export async function finishIdempotency(env: Env, req: Request, res: Response): Promise<void> {
  const ctx = contexts.get(req);
  if (!ctx?.reserved) return;
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  const body = await res.clone().text();
  await storeIdempotentResponse(tenantDb(env, ctx.reserved.tenantId).db, ctx.reserved.scope, ctx.key, res.status, JSON.stringify({ headers, body }));
}

export const replayOf = (e: unknown): Response | null => (e instanceof IdempotentReplay ? e.response : null);

/** The scope of an app's keys, and of the operator API's. */
export const appScope = (appId: string): string => `app:${appId}`;
export const ADMIN_SCOPE = "admin";
