// Owns the front half of every paasw endpoint: merged parameters → schema → (for all but /api/token)
// the token, resolved to its app and tenant. Refusals come back as ready envelopes; core refusals
// (token invalid/expired, app blocked, IP) are thrown and answered by the router's catch.
import type { z } from "zod";
import { authenticateAndRead, type PrefetchPlan } from "../../core/prefetch";
import { resolveToken } from "../../core/tokens";
import type { App, Tenant } from "../../core/types";
import { clientIp } from "../../http/respond";
import { PAASW_OWN, paaswErrorResponse } from "./errors";
import { readParams } from "./params";
import { parseParams, type Parsed } from "./schemas";

export async function readInput<T>(req: Request, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const read = await readParams(req);
  if (!read.ok) {
    return { ok: false, response: paaswErrorResponse(read.reason === "too_large" ? PAASW_OWN.bodyTooLarge : PAASW_OWN.badParam, read.message) };
  }
  return parseParams(schema, read.params);
}

export type Authed<T> = { ok: true; data: T; app: App; tenant: Tenant } | { ok: false; response: Response };

export async function readAuthed<T extends { token: string }>(req: Request, env: Env, schema: z.ZodType<T>): Promise<Authed<T>> {
  const input = await readInput(req, schema);
  if (!input.ok) return input;
  const { app, tenant } = await resolveToken(env, "paasw", input.data.token, clientIp(req));
  return { ok: true, data: input.data, app, tenant };
}

/** readAuthed plus what `plan` declares from the parameters (core/prefetch), in the token's D1 round trip (read only for a valid token). */
export async function readAuthedWith<T extends { token: string }, X>(
  req: Request,
  env: Env,
  schema: z.ZodType<T>,
  plan: (data: T) => PrefetchPlan<X>,
): Promise<(Authed<T> & { ok: false }) | { ok: true; data: T; app: App; tenant: Tenant; extra: X }> {
  const input = await readInput(req, schema);
  if (!input.ok) return input;
  const p = plan(input.data);
  const { app, tenant, read } = await authenticateAndRead(env, { dialect: "paasw", token: input.data.token, ip: clientIp(req) }, p.prefetch);
  return { ok: true, data: input.data, app, tenant, extra: p.take(read) };
}
