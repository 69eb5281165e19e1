// Tencent Cloud SMS (API 2021-01-11) calls: SendSms (one template and parameter set to up to 200
// numbers, one result per number) and PullSmsSendStatusByPhoneNumber for messages whose submit
// outcome is unknown.
import { z } from "zod";
import type { OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "../types";
import { allOf, callProvider, groupCalls, idBlock, idInTag, idTag, lateResults, notForTemplated, parseJsonText, pool, submitInCalls } from "../provider-http";
import { CONTENT_TYPE, tc3Authorization } from "./sign";
import { receiptCode, submitVerdict } from "./errors";
import type { TencentSettings } from "./settings";

export const SEND_SMS_MAX = 200;
const VERSION = "2021-01-11";

const ErrorAnswer = z.looseObject({ Response: z.looseObject({ Error: z.looseObject({ Code: z.string(), Message: z.string().optional() }) }) });

async function call(s: TencentSettings, action: string, body: Record<string, unknown>) {
  const payload = JSON.stringify(body);
  const url = new URL("/", s.endpoint);
  const timestamp = Math.floor(Date.now() / 1000);
  const authorization = await tc3Authorization({ secretId: s.secretId, secretKey: s.secretKey, service: "sms", host: url.host, payload, timestamp });
  return callProvider(
    url.toString(),
    {
      method: "POST",
      headers: {
        authorization,
        "content-type": CONTENT_TYPE,
        "x-tc-action": action,
        "x-tc-timestamp": String(timestamp),
        "x-tc-version": VERSION,
        "x-tc-region": s.region,
      },
      body: payload,
    },
    s.timeoutMs,
  );
}

/**
 * The positional TemplateParamSet: in the mapping's order where it names one; else numeric names
 * ("1", "2"…) in numeric order, as Tencent's templates number their variables.
 */
export function paramSet(m: OutboundMessage): string[] {
  const params = m.params ?? {};
  const order = m.providerTemplate?.params ?? Object.keys(params).sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  return order.map((k) => params[k] ?? "");
}

/** Mainland and international numbers may not share a call (UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber). */
const region = (m: OutboundMessage): string => (m.mobile.startsWith("+86") ? "cn" : "intl");

export function planCalls(messages: OutboundMessage[]): OutboundMessage[][] {
  return groupCalls(
    messages,
    (m) => JSON.stringify([idBlock(m.id), region(m), m.providerTemplate!.code, m.providerTemplate!.signName, paramSet(m), m.extension]),
    SEND_SMS_MAX,
  );
}

const Status = z.looseObject({ SerialNo: z.string().optional(), PhoneNumber: z.string(), Code: z.string(), Message: z.string().optional() });
const SendAnswer = z.looseObject({ Response: z.looseObject({ SendStatusSet: z.array(Status), RequestId: z.string().optional() }) });

async function submitCall(s: TencentSettings, messages: OutboundMessage[], until: number): Promise<SubmitResult[]> {
  const first = messages[0]!;
  const body: Record<string, unknown> = {
    PhoneNumberSet: messages.map((m) => m.mobile),
    SmsSdkAppId: s.smsSdkAppId,
    TemplateId: first.providerTemplate!.code,
    SignName: first.providerTemplate!.signName,
    TemplateParamSet: paramSet(first),
    SessionContext: idTag(messages.map((m) => m.id)),
  };
  if (first.extension) body.ExtendCode = first.extension;
  if (s.senderId && region(first) === "intl") body.SenderId = s.senderId;
  const res = await call(s, "SendSms", body);
  if (res.kind !== "answer") return allOf(messages, res.kind === "not_sent" ? "transient" : "unknown", `tencent SendSms: ${res.reason}`);
  const json = parseJsonText(res.text);
  const err = ErrorAnswer.safeParse(json);
  if (err.success) {
    const { Code, Message } = err.data.Response.Error;
    const v = submitVerdict(Code);
    const reason = `tencent SendSms: ${Code} ${Message ?? ""}`.trim();
    if (v.outcome === "permanent" && messages.length > 1 && v.code !== "5") {
      // A refused call sent nothing: each message goes again alone, so only a bad number is refused
      // (a blocked word is in the text every message of the call shares: no point).
      return (await pool(messages, s.concurrency, (m) => submitCall(s, [m], until), { until, late: (m) => lateResults("tencent", [m]) })).flat();
    }
    if (v.outcome === "permanent") return messages.map((m) => ({ id: m.id, outcome: "permanent", reason, code: v.code }));
    return allOf(messages, v.outcome, reason);
  }
  const ok = SendAnswer.safeParse(json);
  if (!ok.success) return allOf(messages, res.status >= 500 || res.status === 200 ? "unknown" : "transient", `tencent SendSms: HTTP ${res.status} without a Tencent answer`);
  const byPhone = new Map(ok.data.Response.SendStatusSet.map((st) => [st.PhoneNumber, st]));
  return messages.map((m): SubmitResult => {
    const st = byPhone.get(m.mobile);
    // Each number was in the call; an answer that leaves one out says nothing about it.
    if (!st) return { id: m.id, outcome: "unknown", reason: "tencent SendSms: no status for this number" };
    if (st.Code === "Ok" && st.SerialNo) return { id: m.id, outcome: "sent", refs: [st.SerialNo] };
    const reason = `tencent SendSms: ${st.Code} ${st.Message ?? ""}`.trim();
    const v = st.Code === "Ok" ? ({ outcome: "unknown" } as const) : submitVerdict(st.Code);
    return v.outcome === "permanent" ? { id: m.id, outcome: "permanent", reason, code: v.code } : { id: m.id, outcome: v.outcome, reason };
  });
}

function precheck(s: TencentSettings, m: OutboundMessage): SubmitResult | null {
  const why = notForTemplated(m);
  if (why) return { id: m.id, outcome: "transient", reason: `tencent: ${why}` };
  if (s.maxParamLength !== null) {
    for (const v of paramSet(m)) {
      if ([...v].length > s.maxParamLength) return { id: m.id, outcome: "permanent", reason: `tencent: a parameter is longer than ${s.maxParamLength} characters`, code: "1" };
    }
  }
  return null;
}

export async function submit(s: TencentSettings, messages: OutboundMessage[]): Promise<SubmitResult[]> {
  return submitInCalls("tencent", messages, {
    precheck: (m) => precheck(s, m),
    plan: planCalls,
    messagesOf: (c) => c,
    call: (c, until) => submitCall(s, c, until),
    concurrency: s.concurrency,
  });
}

const Pulled = z.looseObject({
  SerialNo: z.string().optional(),
  ReportStatus: z.string(),
  Description: z.string().nullish(),
  SessionContext: z.string().nullish(),
});
const PullAnswer = z.looseObject({ Response: z.looseObject({ PullSmsSendStatusSet: z.array(Pulled).default([]) }) });

/**
 * Tencent lists receipts, not submits: a message found there is final; one not (yet) found may
 * still have been sent, so the answer is never "not_found" and the gateway never resubmits.
 */
async function queryOne(s: TencentSettings, t: QueryTarget): Promise<QueryResult> {
  const begin = Math.floor(t.submittedAt / 1000) - 60;
  const res = await call(s, "PullSmsSendStatusByPhoneNumber", {
    BeginTime: begin,
    EndTime: Math.max(begin + 1, Math.floor(Date.now() / 1000)),
    Offset: 0,
    Limit: 100,
    PhoneNumber: t.mobile,
    SmsSdkAppId: s.smsSdkAppId,
  });
  if (res.kind !== "answer") return { id: t.id, state: "pending" };
  const a = PullAnswer.safeParse(parseJsonText(res.text));
  if (!a.success) return { id: t.id, state: "pending" };
  const hit = a.data.Response.PullSmsSendStatusSet.find((r) => (r.SerialNo && t.refs.includes(r.SerialNo)) || idInTag(t.id, r.SessionContext));
  if (!hit) return { id: t.id, state: "pending" };
  return { id: t.id, state: "final", code: receiptCode(hit.ReportStatus, hit.Description), ...(hit.SerialNo ? { refs: [hit.SerialNo] } : {}) };
}

export async function query(s: TencentSettings, targets: QueryTarget[]): Promise<QueryResult[]> {
  return pool(targets, s.concurrency, (t) => queryOne(s, t));
}

/** Reachability and credentials, read-only: one pull of an empty minute. */
export async function probe(s: TencentSettings): Promise<{ ok: boolean; answer: string }> {
  const now = Math.floor(Date.now() / 1000);
  const res = await call(s, "PullSmsSendStatusByPhoneNumber", { BeginTime: now - 60, EndTime: now, Offset: 0, Limit: 1, PhoneNumber: "+8613800000000", SmsSdkAppId: s.smsSdkAppId });
  if (res.kind !== "answer") return { ok: false, answer: res.reason };
  const json = parseJsonText(res.text);
  const err = ErrorAnswer.safeParse(json);
  if (err.success) return { ok: false, answer: err.data.Response.Error.Code };
  return PullAnswer.safeParse(json).success ? { ok: true, answer: "OK" } : { ok: false, answer: `HTTP ${res.status} without a Tencent answer` };
}
