// POST /webhooks/carriers/{carrier}: delivery reports and replies from a carrier, applied
// idempotently. A carrier type with its own push format (a provider's status and reply callbacks)
// verifies and parses it itself; every other carrier posts the edgesms JSON below, authenticated
// by the shared X-Carrier-Secret (constant-time).
import { z } from "zod";
import { dialectRouter, type DialectShapes, type Handler } from "../http/router";
import { json } from "../http/respond";
import { digestsEqual, sha256Hex } from "../core/crypto";
import { applyCarrierEvents } from "../core/delivery";
import { CarrierEvents } from "../core/carrier-events";
import { loadCarrierConfig } from "./config";
import { carrierKind } from "./registry";
import { errorJson, onRouteError, parseJson } from "./http";

const shapes: DialectShapes = {
  name: "carriers",
  notFound: () => errorJson(404, "not_found", "not found"),
  methodNotAllowed: (_req, allowed) => errorJson(405, "method_not_allowed", `allowed: ${allowed.join(", ")}`),
  onError: onRouteError("carriers"),
};

/** Both sides hashed first, so the comparison is constant-time whatever their lengths. */
async function secretOk(env: Env, presented: string | null): Promise<boolean> {
  const expected = env.CARRIER_CALLBACK_SECRET;
  if (!expected || presented === null) return false;
  return digestsEqual(await sha256Hex(presented), await sha256Hex(expected));
}

const CallbackResult = z.object({
  reports: z.object({ applied: z.number().int(), receipts: z.number().int(), ignored: z.number().int() }),
  replies: z.object({ stored: z.number().int(), duplicates: z.number().int(), unroutable: z.number().int(), optOuts: z.number().int() }),
});

const receive: Handler = async (req, env) => {
  const carrier = req.params.carrier!;
  const config = /^[a-z0-9][a-z0-9_-]{0,31}$/.test(carrier) ? await loadCarrierConfig(env, carrier) : null;
  const native = config ? carrierKind(config.type)?.callback : undefined;
  if (config && native) {
    // The provider's own authentication (its signature) comes first inside its parser.
    const parsed = await native(req, env, config);
    if (parsed instanceof Response) return parsed;
    await applyCarrierEvents(env, carrier, parsed.events);
    return parsed.ack;
  }
  // Authenticate before anything else: an unauthenticated caller learns not even which carriers exist.
  if (!(await secretOk(env, req.headers.get("x-carrier-secret")))) return errorJson(401, "unauthorized", "missing or wrong X-Carrier-Secret");
  if (!config) return errorJson(404, "unknown_carrier", `no carrier named "${carrier}"`);
  const events = await parseJson(req, CarrierEvents);
  if (events instanceof Response) return events;
  if (events.reports.length === 0 && events.replies.length === 0) return errorJson(400, "invalid_input", "no reports and no replies");
  return json(await applyCarrierEvents(env, carrier, events));
};

export const { router, docs } = dialectRouter(shapes, [
  {
    doc: {
      method: "post",
      path: "/webhooks/carriers/{carrier}",
      tag: "carriers",
      summary: "Delivery reports and replies from a carrier",
      description:
        "Carriers whose type has its own callback format (Aliyun, Tencent Cloud, Twilio) post that format here, authenticated the provider's way. Every other carrier posts this JSON with the X-Carrier-Secret header. Idempotent: a report only moves a submitted message, a receipt by reference is stored once (a message is final when all its parts have one; an early receipt waits for its reference), a reply is stored once per carrier ref.",
      body: CarrierEvents,
      response: CallbackResult,
      errors: {
        "400": "invalid_input: the body does not match the schema (issues lists each problem)",
        "401": "unauthorized: missing or wrong X-Carrier-Secret",
        "404": "unknown_carrier: no carrier of that name",
        "413": "too_large: body over 2 MB",
        "415": "unsupported_media_type",
      },
      security: "carrierSecret",
    },
    handle: receive,
  },
]);
