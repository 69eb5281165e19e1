// POST /webhooks/carriers/{carrier}: delivery reports and replies from the configured carrier,
// authenticated by a shared secret (constant-time), validated, and applied idempotently.
import { z } from "zod";
import { dialectRouter } from "../http/router";
import { json } from "../http/respond";
import type { RouteDoc } from "../openapi/registry";
import { digestsEqual, sha256Hex } from "../core/crypto";
import { applyCarrierEvents } from "../core/delivery";
import { CarrierEvents } from "./events";
import { isConfiguredCarrier } from "./index";
import { errorJson, onRouteError, parseJson } from "./http";

export const router = dialectRouter("/webhooks/carriers", {
  name: "carriers",
  notFound: () => errorJson(404, "not_found", "not found"),
  methodNotAllowed: (_req, allowed) => errorJson(405, "method_not_allowed", `allowed: ${allowed.join(", ")}`),
  onError: onRouteError("carriers"),
});

/** Both sides hashed first, so the comparison is constant-time whatever their lengths. */
async function secretOk(env: Env, presented: string | null): Promise<boolean> {
  const expected = env.CARRIER_CALLBACK_SECRET;
  if (!expected || presented === null) return false;
  return digestsEqual(await sha256Hex(presented), await sha256Hex(expected));
}

const CallbackResult = z.object({
  reports: z.object({ applied: z.number().int(), ignored: z.number().int() }),
  replies: z.object({ stored: z.number().int(), duplicates: z.number().int(), unroutable: z.number().int(), optOuts: z.number().int() }),
});

router.post("/:carrier", async (req, env) => {
  // Authenticate before anything else: an unauthenticated caller learns not even which carriers exist.
  if (!(await secretOk(env, req.headers.get("x-carrier-secret")))) return errorJson(401, "unauthorized", "missing or wrong X-Carrier-Secret");
  const carrier = req.params.carrier!;
  if (!isConfiguredCarrier(env, carrier)) return errorJson(404, "unknown_carrier", `carrier "${carrier}" is not configured here`);
  const events = await parseJson(req, CarrierEvents);
  if (events instanceof Response) return events;
  if (events.reports.length === 0 && events.replies.length === 0) return errorJson(400, "invalid_input", "no reports and no replies");
  return json(await applyCarrierEvents(env, carrier, events));
});

export const docs: RouteDoc[] = [
  {
    method: "post",
    path: "/webhooks/carriers/{carrier}",
    tag: "carriers",
    summary: "Delivery reports and replies from a carrier",
    description:
      "Authenticated with the X-Carrier-Secret header. Idempotent: a report only moves a submitted message, a reply is stored once per carrier ref.",
    body: CarrierEvents,
    response: CallbackResult,
    errors: {
      "400": "invalid_input: the body does not match the schema (issues lists each problem)",
      "401": "unauthorized: missing or wrong X-Carrier-Secret",
      "404": "unknown_carrier: not the configured carrier",
      "413": "too_large: body over 2 MB",
      "415": "unsupported_media_type",
    },
    security: "carrierSecret",
  },
];
