// /simulator/v1: the carrier simulator's handset inbox (read what a mobile received, e.g. a
// verification code) and reply injection. Mounted only while SIMULATOR is "true".
import { z } from "zod";
import { dialectRouter, type DialectShapes, type Handler } from "../http/router";
import { json } from "../http/respond";
import { randomHex } from "../core/crypto";
import { normalizeMobile } from "../core/phone";
import { applyReplies } from "../core/delivery";
import { SIMULATOR } from "../carriers/simulator";
import { errorJson, onRouteError, parseJson } from "../carriers/http";
import { listInbox } from "../store/simulator";
import { directoryDb } from "../store/db";

const shapes: DialectShapes = {
  name: "simulator",
  notFound: () => errorJson(404, "not_found", "not found"),
  methodNotAllowed: (_req, allowed) => errorJson(405, "method_not_allowed", `allowed: ${allowed.join(", ")}`),
  onError: onRouteError("simulator"),
};

const InboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const InboxResponse = z.object({
  mobile: z.string(),
  messages: z.array(z.object({ message_id: z.string(), channel: z.enum(["sms", "voice"]), content: z.string(), received_at: z.number() })),
});

const inbox: Handler = async (req, env) => {
  let raw = req.params.mobile!;
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // A malformed escape is left as typed; normalizeMobile refuses it with a clear message.
  }
  const mobile = normalizeMobile(raw);
  const q = InboxQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return errorJson(400, "invalid_input", "limit must be an integer from 1 to 100");
  const rows = await listInbox(directoryDb(env), mobile, q.data.limit);
  return json({
    mobile,
    messages: rows.map((r) => ({ message_id: r.messageId, channel: r.channel, content: r.content, received_at: r.receivedAt })),
  });
};

const ReplyRequest = z
  .object({
    mobile: z.string().min(1).max(32),
    content: z.string().trim().min(1).max(1000),
    signature: z.string().min(1).max(64).optional(),
    extension: z.string().regex(/^\d{1,20}$/).optional(),
  })
  .refine((r) => r.signature !== undefined || r.extension !== undefined, { message: "signature or extension is required" });
const ReplyResponse = z.object({ ref: z.string(), stored: z.boolean(), opt_out: z.boolean() });

const reply: Handler = async (req, env) => {
  const body = await parseJson(req, ReplyRequest);
  if (body instanceof Response) return body;
  normalizeMobile(body.mobile);
  const ref = `sim-mo-${randomHex(8)}`;
  const out = await applyReplies(env, SIMULATOR, [{ ref, ...body }]);
  if (out.unroutable > 0) {
    return errorJson(404, "unroutable", "no tenant owns an approved signature of that name (or with that extension)");
  }
  return json({ ref, stored: out.stored === 1, opt_out: out.optOuts === 1 });
};

export const { router, docs } = dialectRouter(shapes, [
  {
    doc: {
      method: "get",
      path: "/simulator/v1/inbox/{mobile}",
      tag: "simulator",
      summary: "What a mobile received from the simulator carrier, newest first",
      description: "Any mobile spelling is accepted (13900001234, +86 139 0000 1234, 008613900001234). Only while SIMULATOR is \"true\".",
      query: InboxQuery,
      response: InboxResponse,
      errors: { "400": "invalid_mobile / invalid_input", "404": "not_found (the simulator is switched off)" },
    },
    handle: inbox,
  },
  {
    doc: {
      method: "post",
      path: "/simulator/v1/replies",
      tag: "simulator",
      summary: "Injects a reply (MO) from a mobile to a signature or extension",
      description: "Routed like a carrier's reply; TD, T, R, N or 退订 opts the mobile out of the tenant's marketing.",
      body: ReplyRequest,
      response: ReplyResponse,
      errors: { "400": "invalid_input / invalid_mobile", "404": "unroutable: no tenant owns that signature or extension" },
    },
    handle: reply,
  },
]);
