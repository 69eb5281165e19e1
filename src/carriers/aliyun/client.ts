// Aliyun SMS (dysmsapi 2017-05-25) calls: SendSms (one template, sign and parameters to up to 1000
// numbers), SendBatchSms (up to 100 numbers, each with its own sign and parameters), and
// QuerySendDetails (by number and day) for messages whose submit outcome is unknown.
import { z } from "zod";
import type { DeliveryCode } from "../../core/types";
import type { OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "../types";
import { allOf, callProvider, groupCalls, idBlock, idInTag, idTag, lateResults, notForTemplated, parseJsonText, pool, submitInCalls } from "../provider-http";
import { signedBody } from "./sign";
import { receiptCode, submitVerdict } from "./errors";
import type { AliyunSettings } from "./settings";

/** Per-call limits Aliyun documents. */
export const SEND_SMS_MAX = 1000;
export const SEND_BATCH_MAX = 100;

/** A mainland number goes without "+86" (as Aliyun's examples do); others as country code + number. */
export const aliyunPhone = (e164: string): string => (e164.startsWith("+86") ? e164.slice(3) : e164.replace(/^\+/, ""));

/** The per-message reference: BizId is per call, so the number makes it unique (receipts carry both). */
export const aliyunRef = (bizId: string, phone: string): string => `${bizId}:${phone}`;

const Answer = z.looseObject({ Code: z.string(), Message: z.string().optional(), BizId: z.string().optional(), RequestId: z.string().optional() });

type Call = { action: "SendSms" | "SendBatchSms"; messages: OutboundMessage[] };

async function post(s: AliyunSettings, action: string, params: Record<string, string>) {
  const body = await signedBody(action, params, s, Date.now(), crypto.randomUUID());
  return callProvider(
    new URL("/", s.endpoint).toString(),
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body },
    s.timeoutMs,
  );
}

const paramsJson = (m: OutboundMessage): string => JSON.stringify(m.params ?? {});


/**
 * Groups a dispatch batch into calls. Identical template, sign, parameters and extension share a
 * SendSms; other messages of one template share a SendBatchSms; verification codes always go
 * alone in a SendSms, as Aliyun recommends for their latency.
 */
export function planCalls(messages: OutboundMessage[]): Call[] {
  const calls: Call[] = [];
  const codes = messages.filter((m) => m.kind === "verification");
  for (const m of codes) calls.push({ action: "SendSms", messages: [m] });
  const rest = messages.filter((m) => m.kind !== "verification");
  const same = groupCalls(rest, (m) => JSON.stringify([idBlock(m.id), m.providerTemplate!.code, m.providerTemplate!.signName, paramsJson(m), m.extension]), SEND_SMS_MAX);
  const singles: OutboundMessage[] = [];
  for (const g of same) (g.length > 1 ? calls.push({ action: "SendSms", messages: g }) : singles.push(g[0]!));
  for (const g of groupCalls(singles, (m) => JSON.stringify([idBlock(m.id), m.providerTemplate!.code, m.extension !== null]), SEND_BATCH_MAX)) {
    calls.push({ action: g.length > 1 ? "SendBatchSms" : "SendSms", messages: g });
  }
  return calls;
}

function callParams(c: Call): Record<string, string> {
  const first = c.messages[0]!;
  const out: Record<string, string> = { TemplateCode: first.providerTemplate!.code, OutId: idTag(c.messages.map((m) => m.id)) };
  if (c.action === "SendSms") {
    out.PhoneNumbers = c.messages.map((m) => aliyunPhone(m.mobile)).join(",");
    out.SignName = first.providerTemplate!.signName;
    if (first.params && Object.keys(first.params).length > 0) out.TemplateParam = paramsJson(first);
    if (first.extension) out.SmsUpExtendCode = first.extension;
  } else {
    out.PhoneNumberJson = JSON.stringify(c.messages.map((m) => aliyunPhone(m.mobile)));
    out.SignNameJson = JSON.stringify(c.messages.map((m) => m.providerTemplate!.signName));
    out.TemplateParamJson = JSON.stringify(c.messages.map((m) => m.params ?? {}));
    if (first.extension) out.SmsUpExtendCodeJson = JSON.stringify(c.messages.map((m) => m.extension));
  }
  return out;
}

async function submitCall(s: AliyunSettings, c: Call, until: number): Promise<SubmitResult[]> {
  const res = await post(s, c.action, callParams(c));
  if (res.kind !== "answer") return allOf(c.messages, res.kind === "not_sent" ? "transient" : "unknown", `aliyun ${c.action}: ${res.reason}`);
  const parsed = Answer.safeParse(parseJsonText(res.text));
  if (!parsed.success) {
    // No Aliyun answer to read: a gateway error in front of it. 5xx may have reached the service.
    const outcome = res.status >= 500 ? "unknown" : "transient";
    return allOf(c.messages, outcome, `aliyun ${c.action}: HTTP ${res.status} without an Aliyun answer`);
  }
  const a = parsed.data;
  if (a.Code === "OK" && a.BizId) return c.messages.map((m) => ({ id: m.id, outcome: "sent", refs: [aliyunRef(a.BizId!, aliyunPhone(m.mobile))] }));
  const reason = `aliyun ${c.action}: ${a.Code} ${a.Message ?? ""}`.trim();
  const v = a.Code === "OK" ? ({ outcome: "unknown" } as const) : submitVerdict(a.Code);
  if (v.outcome === "permanent" && c.messages.length > 1 && !(c.action === "SendSms" && v.code === "5")) {
    // Aliyun refuses a whole call for one bad number or parameter set, and a refused call sent
    // nothing: each message goes again alone, so only the bad one is refused (a blocked word in a
    // SendSms is in the text every message of the call shares: no point).
    const alone = await pool(c.messages, s.concurrency, (m) => submitCall(s, { action: "SendSms", messages: [m] }, until), { until, late: (m) => lateResults("aliyun", [m]) });
    return alone.flat();
  }
  if (v.outcome === "permanent") return c.messages.map((m) => ({ id: m.id, outcome: "permanent", reason, code: v.code }));
  return allOf(c.messages, v.outcome, reason);
}

/** Refusals before any call: no mapping, voice, a parameter over the provider's length. */
function precheck(s: AliyunSettings, m: OutboundMessage): SubmitResult | null {
  const why = notForTemplated(m);
  if (why) return { id: m.id, outcome: "transient", reason: `aliyun: ${why}` };
  for (const [k, v] of Object.entries(m.params ?? {})) {
    if ([...v].length > s.maxParamLength) return { id: m.id, outcome: "permanent", reason: `aliyun: parameter "${k}" is longer than ${s.maxParamLength} characters`, code: "1" };
  }
  return null;
}

export async function submit(s: AliyunSettings, messages: OutboundMessage[]): Promise<SubmitResult[]> {
  return submitInCalls("aliyun", messages, {
    precheck: (m) => precheck(s, m),
    plan: planCalls,
    messagesOf: (c) => c.messages,
    call: (c, until) => submitCall(s, c, until),
    concurrency: s.concurrency,
  });
}

const Detail = z.looseObject({
  PhoneNum: z.string().optional(),
  SendStatus: z.coerce.number(),
  ErrCode: z.string().optional(),
  OutId: z.string().nullish(),
});
const QueryAnswer = z.looseObject({
  Code: z.string(),
  TotalCount: z.coerce.number().int().optional(),
  SmsSendDetailDTOs: z.looseObject({ SmsSendDetailDTO: z.array(Detail).default([]) }).optional(),
});

/** QuerySendDetails pages at most 50 records; a number with more in one day is read this far, then left pending. */
const PAGE_SIZE = 50;
const MAX_PAGES = 20;

/** The day (yyyyMMdd, China time) of an instant: QuerySendDetails lists one day at a time. */
const chinaDay = (t: number): string => new Date(t + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");

/** Records are listed shortly after a submit, not at once: before this, absence proves nothing. */
export const LISTING_DELAY_MS = 60_000;

async function queryOne(s: AliyunSettings, t: QueryTarget, now: number): Promise<QueryResult> {
  const bizId = t.refs[0]?.split(":")[0];
  // The submit may have landed up to a call's timeout after submittedAt: look at both days around midnight.
  const days = [...new Set([chinaDay(t.submittedAt), chinaDay(t.submittedAt + 15 * 60_000)])];
  for (const day of days) {
    for (let page = 1; ; page++) {
      const params: Record<string, string> = { PhoneNumber: aliyunPhone(t.mobile), SendDate: day, PageSize: String(PAGE_SIZE), CurrentPage: String(page) };
      if (bizId) params.BizId = bizId;
      const res = await post(s, "QuerySendDetails", params);
      if (res.kind !== "answer") return { id: t.id, state: "pending" };
      const a = QueryAnswer.safeParse(parseJsonText(res.text));
      if (!a.success || a.data.Code !== "OK") return { id: t.id, state: "pending" };
      const records = a.data.SmsSendDetailDTOs?.SmsSendDetailDTO ?? [];
      const hit = records.find((d) => idInTag(t.id, d.OutId));
      if (hit) {
        // SendStatus: 1 waiting for the receipt, 2 failed, 3 delivered.
        if (hit.SendStatus === 1) return { id: t.id, state: "pending" };
        const code: DeliveryCode = hit.SendStatus === 3 ? "10000" : receiptCode(hit.ErrCode, false);
        return { id: t.id, state: "final", code };
      }
      const total = a.data.TotalCount ?? records.length;
      if (page * PAGE_SIZE >= total || records.length === 0) break;
      // Too many records that day to read them all: absence is not proven.
      if (page >= MAX_PAGES) return { id: t.id, state: "pending" };
    }
  }
  // Only a listing old enough to be complete, for every day asked, says "never got it".
  return now - t.submittedAt >= LISTING_DELAY_MS ? { id: t.id, state: "not_found" } : { id: t.id, state: "pending" };
}

export async function query(s: AliyunSettings, targets: QueryTarget[]): Promise<QueryResult[]> {
  const now = Date.now();
  return pool(targets, s.concurrency, (t) => queryOne(s, t, now));
}

/** Reachability and credentials, read-only: a QuerySendDetails for no one in particular. */
export async function probe(s: AliyunSettings): Promise<{ ok: boolean; answer: string }> {
  const res = await post(s, "QuerySendDetails", { PhoneNumber: "13800000000", SendDate: chinaDay(Date.now()), PageSize: "1", CurrentPage: "1" });
  if (res.kind !== "answer") return { ok: false, answer: res.reason };
  const a = Answer.safeParse(parseJsonText(res.text));
  if (!a.success) return { ok: false, answer: `HTTP ${res.status} without an Aliyun answer` };
  return { ok: a.data.Code === "OK", answer: a.data.Code };
}
