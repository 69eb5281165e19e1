// Twilio Programmable Messaging calls: one Messages create per message (form-encoded, Basic auth),
// and, for a message whose submit outcome is unknown, a fetch by SID or the account's message list
// to the number around the submit time.
import { z } from "zod";
import type { OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "../types";
import { callProvider, lateResults, parseJsonText, pool, submitDeadline } from "../provider-http";
import { statusCode, submitVerdict } from "./errors";
import type { TwilioSettings } from "./settings";

/** Twilio refuses bodies over 1600 characters (21617). */
export const MAX_BODY = 1600;

const auth = (s: TwilioSettings): string =>
  `Basic ${btoa(s.apiKeySid ? `${s.apiKeySid}:${s.apiKeySecret}` : `${s.accountSid}:${s.authToken}`)}`;

const messagesUrl = (s: TwilioSettings, tail = ".json"): string => new URL(`/2010-04-01/Accounts/${s.accountSid}/Messages${tail}`, s.endpoint).toString();

/** The status callback of one message: the carrier's public callback URL with the edgesms id, so a report names it even when the SID was lost. */
export const statusCallbackUrl = (s: TwilioSettings, id: string): string => {
  const u = new URL(s.callbackUrl);
  u.searchParams.set("m", id);
  return u.toString();
};

const Created = z.looseObject({ sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/), status: z.string().optional() });
const Problem = z.looseObject({ code: z.number().int().optional(), message: z.string().optional() });

async function submitOne(s: TwilioSettings, m: OutboundMessage): Promise<SubmitResult> {
  if (m.channel === "voice") return { id: m.id, outcome: "transient", reason: "twilio: this carrier sends SMS only, not voice calls" };
  if ([...m.content].length > MAX_BODY) return { id: m.id, outcome: "permanent", reason: `twilio: body over ${MAX_BODY} characters`, code: "1" };
  const form = new URLSearchParams({ To: m.mobile, Body: m.content, StatusCallback: statusCallbackUrl(s, m.id) });
  const from = m.sourceAddr ?? s.from;
  if (s.messagingServiceSid && !m.sourceAddr) form.set("MessagingServiceSid", s.messagingServiceSid);
  else if (from) form.set("From", from);
  const res = await callProvider(
    messagesUrl(s),
    { method: "POST", headers: { authorization: auth(s), "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString() },
    s.timeoutMs,
  );
  if (res.kind !== "answer") return { id: m.id, outcome: res.kind === "not_sent" ? "transient" : "unknown", reason: `twilio: ${res.reason}` };
  const body = parseJsonText(res.text);
  if (res.status === 201 || res.status === 200) {
    const c = Created.safeParse(body);
    // Created, but no SID to read: the message exists at Twilio; the query finds it by number and time.
    return c.success ? { id: m.id, outcome: "sent", refs: [c.data.sid] } : { id: m.id, outcome: "unknown", reason: "twilio: created without a readable SID" };
  }
  const p = Problem.safeParse(body);
  const code = p.success ? p.data.code : undefined;
  const reason = `twilio: HTTP ${res.status}${code ? ` ${code}` : ""} ${p.success ? (p.data.message ?? "") : ""}`.trim();
  const v = submitVerdict(code, res.status);
  return v.outcome === "permanent" ? { id: m.id, outcome: "permanent", reason, code: v.code } : { id: m.id, outcome: v.outcome, reason };
}

export async function submit(s: TwilioSettings, messages: OutboundMessage[]): Promise<SubmitResult[]> {
  return pool(messages, s.concurrency, (m) => submitOne(s, m), { until: submitDeadline(), late: (m) => lateResults("twilio", [m])[0]! });
}

const Msg = z.looseObject({
  sid: z.string(),
  status: z.string(),
  to: z.string().nullish(),
  direction: z.string().nullish(),
  date_created: z.string().nullish(),
  error_code: z.union([z.number(), z.string()]).nullish(),
});
const List = z.looseObject({ messages: z.array(Msg) });

const errorCodeOf = (m: z.infer<typeof Msg>): number | undefined => (m.error_code === null || m.error_code === undefined ? undefined : Number(m.error_code));

function resultOf(id: string, m: z.infer<typeof Msg>): QueryResult {
  const code = statusCode(m.status, errorCodeOf(m));
  return code === null ? { id, state: "pending", refs: [m.sid] } : { id, state: "final", code, refs: [m.sid] };
}

/** How long after a submit a created message may carry its date_created (the call's own deadline plus slack). */
const WINDOW_MS = 5 * 60_000;
/** Twilio creates the message before it answers; a minute later the list has it if it exists. */
export const LISTING_DELAY_MS = 60_000;

async function get(s: TwilioSettings, url: string) {
  return callProvider(url, { method: "GET", headers: { authorization: auth(s), accept: "application/json" } }, s.timeoutMs);
}

async function queryOne(s: TwilioSettings, t: QueryTarget, now: number): Promise<QueryResult> {
  const sid = t.refs[0];
  if (sid) {
    const res = await get(s, messagesUrl(s, `/${encodeURIComponent(sid)}.json`));
    if (res.kind !== "answer" || res.status !== 200) return { id: t.id, state: "pending" };
    const m = Msg.safeParse(parseJsonText(res.text));
    return m.success ? resultOf(t.id, m.data) : { id: t.id, state: "pending" };
  }
  const url = new URL(messagesUrl(s));
  url.searchParams.set("To", t.mobile);
  url.searchParams.set("PageSize", "100");
  const res = await get(s, url.toString());
  if (res.kind !== "answer" || res.status !== 200) return { id: t.id, state: "pending" };
  const list = List.safeParse(parseJsonText(res.text));
  if (!list.success) return { id: t.id, state: "pending" };
  // The list carries no id of ours: a message to this number created around the submit is taken as
  // this one (a mistake here can only prevent a resubmit, never cause a duplicate).
  const hit = list.data.messages.find((m) => {
    if (m.direction && !m.direction.startsWith("outbound")) return false;
    const created = m.date_created ? Date.parse(m.date_created) : NaN;
    return Number.isFinite(created) && created >= t.submittedAt - 60_000 && created <= t.submittedAt + WINDOW_MS;
  });
  if (hit) return resultOf(t.id, hit);
  // A full page that does not reach back to the submit proves nothing about older messages.
  const oldest = Math.min(...list.data.messages.map((m) => (m.date_created ? Date.parse(m.date_created) : Infinity)));
  if (list.data.messages.length >= 100 && !(oldest < t.submittedAt - 60_000)) return { id: t.id, state: "pending" };
  return now - t.submittedAt >= LISTING_DELAY_MS ? { id: t.id, state: "not_found" } : { id: t.id, state: "pending" };
}

export async function query(s: TwilioSettings, targets: QueryTarget[]): Promise<QueryResult[]> {
  const now = Date.now();
  return pool(targets, s.concurrency, (t) => queryOne(s, t, now));
}

/** Reachability and credentials, read-only: the first page (one message) of the account's list. */
export async function probe(s: TwilioSettings): Promise<{ ok: boolean; answer: string }> {
  const url = new URL(messagesUrl(s));
  url.searchParams.set("PageSize", "1");
  const res = await get(s, url.toString());
  if (res.kind !== "answer") return { ok: false, answer: res.reason };
  if (res.status === 200) return { ok: true, answer: "OK" };
  const p = Problem.safeParse(parseJsonText(res.text));
  return { ok: false, answer: `HTTP ${res.status}${p.success && p.data.code ? ` ${p.data.code}` : ""}` };
}
