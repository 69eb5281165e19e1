// The operator API's edge: bearer-token check, zod parsing of params/query/body into 400s that name
// each bad field, and the one error shape {"error":{"code","message","issues"?}} for every refusal.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { CoreError, type CoreErrorCode } from "../core/errors";
import { digestsEqual, sha256Hex } from "../core/crypto";
import { InvalidUtf8, queryParams, readBody } from "../http/body";
import { json, logFault } from "../http/respond";
import { getTenant } from "../store/tenants";
import type { Tenant } from "../core/types";
import type { RouteDoc } from "../openapi/registry";
import { tenantDb } from "../store/db";
import { toTenant } from "../core/tenants";
import type { Route } from "../http/router";

export interface Issue {
  path: string;
  message: string;
}

/** A refusal of the operator API itself, already carrying its status and code. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }
}

export const errorResponse = (status: number, code: string, message: string, issues?: Issue[]): Response =>
  json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);

const unauthorized = (message: string): Response =>
  errorResponse(401, "unauthorized", message, undefined);

/**
 * Middleware: refuses unless `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so
 * the comparison is constant-time over equal-length digests whatever the presented length.
 */
export async function requireAdmin(req: IRequest, env: Env): Promise<Response | undefined> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  if (!m) return unauthorized("send Authorization: Bearer <ADMIN_TOKEN>");
  // An unset or empty secret must never match an empty or guessed token.
  if (!env.ADMIN_TOKEN) return unauthorized("the operator API is not configured (ADMIN_TOKEN is unset)");
  const [given, expected] = await Promise.all([sha256Hex(m[1]!), sha256Hex(env.ADMIN_TOKEN)]);
  return digestsEqual(given, expected) ? undefined : unauthorized("wrong admin token");
}

const joinPath = (parts: PropertyKey[]): string => parts.map(String).join(".") || "(body)";

/** One issue per bad field; an unknown key is reported at its own path so the caller sees which. */
const issuesOf = (e: z.ZodError, prefix: string[] = []): Issue[] =>
  e.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ path: joinPath([...prefix, ...i.path, k]), message: "unknown field" }))
      : [{ path: joinPath([...prefix, ...i.path]), message: i.message }],
  );

export const invalid = (message: string, issues: Issue[]): AdminError => new AdminError(400, "invalid_input", message, issues);

/** Validates a value, or throws a 400 listing every bad field (paths prefixed with `prefix`). */
export function check<S extends z.ZodType>(schema: S, value: unknown, prefix: string[] = []): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid("the request has invalid fields", issuesOf(r.error, prefix));
  return r.data;
}

export async function parseBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const body = await readBody(req);
  switch (body.kind) {
    case "json":
      return check(schema, body.value);
    case "empty":
      return check(schema, {});
    case "too_large":
      throw new AdminError(413, "too_large", "the body is too large");
    case "malformed":
      throw invalid("the body is not valid JSON", [{ path: "(body)", message: body.reason }]);
    default:
      throw new AdminError(415, "unsupported_media_type", "send the body as application/json");
  }
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  let query: Record<string, string>;
  try {
    query = queryParams(req.url);
  } catch (e) {
    if (e instanceof InvalidUtf8) throw invalid("the query string is not valid UTF-8", [{ path: "(query)", message: e.message }]);
    throw e;
  }
  return check(schema, query);
}

/** Path parameters that do not parse name nothing that could exist: 404, like an unknown id. */
export function parseParams<S extends z.ZodType>(req: IRequest, schema: S): z.output<S> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw new AdminError(404, "not_found", "no such resource");
  return r.data;
}

export async function requireTenant(env: Env, id: string): Promise<Tenant> {
  const row = await getTenant(tenantDb(env, id));
  if (!row) throw new AdminError(404, "not_found", `tenant ${id} does not exist`);
  return toTenant(row);
}

const NOT_FOUND: ReadonlySet<CoreErrorCode> = new Set(["not_found", "template_not_found", "signature_not_found"]);
const CONFLICT: ReadonlySet<CoreErrorCode> = new Set(["insufficient_balance", "app_cap_exceeded", "not_cancelable"]);
/** Core's finer codes, answered with the operator API's documented ones (409 conflict, 400 invalid_input). */
const AS_CODE: Partial<Record<CoreErrorCode, { status: number; code: string }>> = {
  signature_name_taken: { status: 409, code: "conflict" },
  signature_in_use: { status: 409, code: "conflict" },
  template_locked: { status: 409, code: "conflict" },
  template_changed: { status: 409, code: "conflict" },
  tenant_exists: { status: 409, code: "conflict" },
  too_many_access_keys: { status: 409, code: "conflict" },
  invalid_placeholder: { status: 400, code: "invalid_input" },
};

/** A core refusal as the operator sees it: a missing id named in the body is a bad field, not a 404. */
function coreResponse(e: CoreError): Response {
  const field = e.detail.field;
  const issues = field ? [{ path: field, message: e.message }] : undefined;
  if (NOT_FOUND.has(e.code)) return field ? errorResponse(400, e.code, e.message, issues) : errorResponse(404, e.code, e.message);
  if (CONFLICT.has(e.code)) return errorResponse(409, e.code, e.message, issues);
  const as = AS_CODE[e.code];
  if (as) return errorResponse(as.status, as.code, e.message, issues);
  return errorResponse(400, e.code, e.message, issues);
}

export function onAdminError(e: unknown, req: Request): Response {
  if (e instanceof AdminError) return errorResponse(e.status, e.code, e.message, e.issues);
  if (e instanceof CoreError) return coreResponse(e);
  logFault("admin", req, e);
  return errorResponse(500, "server_error", "server error");
}

const COMMON_ERRORS = {
  "400": "invalid_input: error.issues lists each bad field by path",
  "401": "unauthorized: missing or wrong bearer token",
  "404": "not_found: unknown id, or another tenant's",
};

export const adminRoute = (
  doc: Omit<RouteDoc, "tag" | "security"> & { tag?: string },
  handle: (req: IRequest, env: Env) => Promise<Response>,
): Route => ({
  doc: { tag: "admin", security: "adminBearer", ...doc, errors: { ...COMMON_ERRORS, ...doc.errors } },
  handle,
});
