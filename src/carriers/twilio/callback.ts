// Twilio's webhooks at /webhooks/carriers/{name}: status callbacks (MessageStatus of a message we
// sent; the StatusCallback URL carries our id as ?m=) and incoming messages (replies), both form
// posts signed with X-Twilio-Signature over the URL Twilio requested and the sorted parameters.
import { z } from "zod";
import type { CarrierEvents, CarrierReply, CarrierReport } from "../../core/carrier-events";
import { errorJson } from "../http";
import { callbackText } from "../provider-http";
import { statusCode } from "./errors";
import { signatureValid } from "./sign";
import type { TwilioSettings } from "./settings";

const Sid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/);
const Status = z.looseObject({ MessageSid: Sid, MessageStatus: z.string().min(1).max(32), ErrorCode: z.string().regex(/^\d{1,6}$/).optional(), AccountSid: z.string() });
const Incoming = z.looseObject({ MessageSid: Sid, From: z.string().min(1).max(32), Body: z.string().max(1600), AccountSid: z.string() });

/** The empty TwiML answer: acknowledged, no automatic reply. */
const twiml = (): Response => new Response('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', { headers: { "content-type": "text/xml" } });

/**
 * The URL Twilio signed: the carrier's public callback origin (what Twilio was told) with the
 * path and query this request arrived with, so a proxy or a local address does not change it.
 */
export const signedUrl = (s: TwilioSettings, req: Request): string => {
  const u = new URL(req.url);
  return `${new URL(s.callbackUrl).origin}${u.pathname}${u.search}`;
};

export async function twilioCallback(req: Request, s: TwilioSettings): Promise<{ events: CarrierEvents; ack: Response } | Response> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return errorJson(415, "unsupported_media_type", "Twilio posts application/x-www-form-urlencoded");
  const text = await callbackText(req);
  if (text === null) return errorJson(413, "too_large", "the body is larger than 1 MB");
  const pairs = [...new URLSearchParams(text).entries()];
  // Verify before reading anything: an unsigned caller learns nothing.
  if (!(await signatureValid(s.authToken, signedUrl(s, req), pairs, req.headers.get("x-twilio-signature")))) {
    return errorJson(403, "forbidden", "missing or wrong X-Twilio-Signature");
  }
  const params = Object.fromEntries(pairs);
  if (params.AccountSid !== s.accountSid) return errorJson(403, "forbidden", "AccountSid is not this carrier's account");
  const reports: CarrierReport[] = [];
  const replies: CarrierReply[] = [];
  if (params.MessageStatus !== undefined && params.MessageStatus !== "received") {
    const st = Status.safeParse(params);
    if (!st.success) return errorJson(400, "invalid_input", `not a status callback: ${st.error.issues[0]?.path.join(".")} ${st.error.issues[0]?.message}`);
    const code = statusCode(st.data.MessageStatus, st.data.ErrorCode === undefined ? undefined : Number(st.data.ErrorCode));
    const id = new URL(req.url).searchParams.get("m");
    if (code !== null) reports.push({ ref: st.data.MessageSid, ...(id && /^\d{1,24}$/.test(id) ? { message_id: id } : {}), code });
  } else {
    const inc = Incoming.safeParse(params);
    if (!inc.success) return errorJson(400, "invalid_input", `not an incoming message: ${inc.error.issues[0]?.path.join(".")} ${inc.error.issues[0]?.message}`);
    // Twilio names no signature or extension: a reply goes to the configured signature's tenant,
    // else to the tenant that last messaged that mobile through this carrier. A media-only message has no text to keep.
    if (inc.data.Body.trim() !== "") {
      replies.push({ ref: inc.data.MessageSid, mobile: inc.data.From, content: inc.data.Body, ...(s.replySignature ? { signature: s.replySignature } : {}) });
    }
  }
  return { events: { reports, replies }, ack: twiml() };
}
