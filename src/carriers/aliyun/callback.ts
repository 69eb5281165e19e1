// Aliyun's HTTP batch pushes (消息回执 HTTP 批量推送): SmsReport (delivery receipts) and SmsUp
// (replies), each a JSON array. Aliyun does not sign them, so the push URL configured in the
// Aliyun console carries the carrier's callback token (?token=…), compared in constant time.
// The answer Aliyun expects is {"code":0,"msg":"成功"}; anything else makes it push again.
import { z } from "zod";
import { json } from "../../http/respond";
import type { CarrierEvents, CarrierReply, CarrierReport } from "../../core/carrier-events";
import { errorJson } from "../http";
import { callbackText, chinaTime, parseJsonText, replyRoute, singleIdOf, tokenOk } from "../provider-http";
import { aliyunRef } from "./client";
import { receiptCode } from "./errors";
import type { AliyunSettings } from "./settings";

const SmsReport = z.looseObject({
  phone_number: z.string().min(1).max(32),
  success: z.union([z.boolean(), z.enum(["true", "false"]).transform((s) => s === "true")]),
  biz_id: z.string().min(1).max(64),
  out_id: z.string().max(256).nullish(),
  err_code: z.string().max(64).nullish(),
  report_time: z.string().nullish(),
  sms_size: z.union([z.string(), z.number()]).nullish(),
});

const SmsUp = z.looseObject({
  phone_number: z.string().min(1).max(32),
  content: z.string().min(1).max(1000),
  sign_name: z.string().max(64).nullish(),
  dest_code: z.string().max(20).nullish(),
  send_time: z.string().nullish(),
  sequence_id: z.union([z.string().min(1).max(64), z.number().int()]),
});

/** A mainland number comes as 11 digits; anything else already carries its country code. */
const e164 = (phone: string): string => (/^1\d{10}$/.test(phone) ? `+86${phone}` : `+${phone.replace(/^(\+|00)/, "")}`);

export const ACK = (): Response => json({ code: 0, msg: "成功" });

export async function aliyunCallback(req: Request, s: AliyunSettings): Promise<{ events: CarrierEvents; ack: Response } | Response> {
  if (!(await tokenOk(req, s.callbackToken))) return errorJson(401, "unauthorized", "missing or wrong token in the push URL");
  const text = await callbackText(req);
  if (text === null) return errorJson(413, "too_large", "the body is larger than 1 MB");
  const body = parseJsonText(text);
  if (!Array.isArray(body)) return errorJson(400, "invalid_input", "expected Aliyun's JSON array of SmsReport or SmsUp");
  const reports: CarrierReport[] = [];
  const replies: CarrierReply[] = [];
  for (const [i, item] of body.entries()) {
    // The two pushes share nothing but phone_number: a report has biz_id, a reply has content.
    if (item && typeof item === "object" && "biz_id" in item) {
      const r = SmsReport.safeParse(item);
      if (!r.success) return errorJson(400, "invalid_input", `item ${i}: not an SmsReport (${r.error.issues[0]?.message})`);
      const messageId = singleIdOf(r.data.out_id);
      reports.push({
        ref: aliyunRef(r.data.biz_id, r.data.phone_number),
        ...(messageId ? { message_id: messageId } : {}),
        code: receiptCode(r.data.err_code ?? undefined, r.data.success),
        ...(chinaTime(r.data.report_time) ? { reported_at: chinaTime(r.data.report_time) } : {}),
      });
    } else {
      const r = SmsUp.safeParse(item);
      if (!r.success) return errorJson(400, "invalid_input", `item ${i}: not an SmsReport or SmsUp (${r.error.issues[0]?.message})`);
      replies.push({
        ref: `up:${r.data.sequence_id}`,
        mobile: e164(r.data.phone_number),
        content: r.data.content,
        ...replyRoute(r.data.dest_code, r.data.sign_name),
        ...(chinaTime(r.data.send_time) ? { received_at: chinaTime(r.data.send_time) } : {}),
      });
    }
  }
  if (reports.length > 5000 || replies.length > 1000) return errorJson(413, "too_large", "at most 5000 reports and 1000 replies per push");
  return { events: { reports, replies }, ack: ACK() };
}
