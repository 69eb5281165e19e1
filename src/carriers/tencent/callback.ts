// Tencent Cloud SMS pushes: status reports (a JSON array of {sid, mobile, nationcode,
// report_status, errmsg, user_receive_time…}) and replies ({mobile, nationcode, text, sign,
// extend, time}, one object or an array). Tencent does not sign them, so the callback URL set in
// the Tencent console carries the carrier's token (?token=…). Tencent expects {"result":0,"errmsg":"OK"}.
import { z } from "zod";
import { json } from "../../http/respond";
import { sha256Hex } from "../../core/crypto";
import type { CarrierEvents, CarrierReply, CarrierReport } from "../../core/carrier-events";
import { errorJson } from "../http";
import { callbackText, chinaTime, parseJsonText, replyRoute, singleIdOf, tokenOk } from "../provider-http";
import { receiptCode } from "./errors";
import type { TencentSettings } from "./settings";

const Report = z.looseObject({
  sid: z.string().min(1).max(128),
  mobile: z.string().max(32).nullish(),
  report_status: z.string().min(1).max(16),
  errmsg: z.string().max(64).nullish(),
  user_receive_time: z.string().nullish(),
  // Newer pushes echo the SessionContext here.
  ext: z.union([z.string(), z.looseObject({ msg: z.string().nullish() })]).nullish(),
});

const Reply = z.looseObject({
  mobile: z.string().regex(/^\d{1,20}$/),
  nationcode: z.union([z.string().regex(/^\d{1,4}$/), z.number().int()]).default("86"),
  text: z.string().min(1).max(1000),
  sign: z.string().max(64).nullish(),
  extend: z.string().max(20).nullish(),
  time: z.union([z.number().int(), z.string().regex(/^\d+$/)]).nullish(),
});

export const ACK = (): Response => json({ result: 0, errmsg: "OK" });

const sessionOf = (ext: z.infer<typeof Report>["ext"]): string | undefined => (typeof ext === "string" ? ext : (ext?.msg ?? undefined));

export async function tencentCallback(req: Request, s: TencentSettings): Promise<{ events: CarrierEvents; ack: Response } | Response> {
  if (!(await tokenOk(req, s.callbackToken))) return errorJson(401, "unauthorized", "missing or wrong token in the callback URL");
  const text = await callbackText(req);
  if (text === null) return errorJson(413, "too_large", "the body is larger than 1 MB");
  const body = parseJsonText(text);
  if (!body || typeof body !== "object") return errorJson(400, "invalid_input", "expected Tencent's JSON status report array or reply");
  const items: unknown[] = Array.isArray(body) ? body : [body];
  const reports: CarrierReport[] = [];
  const replies: CarrierReply[] = [];
  for (const [i, item] of items.entries()) {
    if (item && typeof item === "object" && "report_status" in item) {
      const r = Report.safeParse(item);
      if (!r.success) return errorJson(400, "invalid_input", `item ${i}: not a status report (${r.error.issues[0]?.message})`);
      const messageId = singleIdOf(sessionOf(r.data.ext));
      const at = chinaTime(r.data.user_receive_time);
      reports.push({ ref: r.data.sid, ...(messageId ? { message_id: messageId } : {}), code: receiptCode(r.data.report_status, r.data.errmsg), ...(at ? { reported_at: at } : {}) });
      continue;
    }
    const r = Reply.safeParse(item);
    if (!r.success) return errorJson(400, "invalid_input", `item ${i}: not a status report or a reply (${r.error.issues[0]?.message})`);
    const mobile = `+${r.data.nationcode}${r.data.mobile}`;
    const time = r.data.time === null || r.data.time === undefined ? undefined : Number(r.data.time);
    // A reply push has no id of its own: its content, sender and time identify a retried push.
    const ref = `up:${(await sha256Hex(JSON.stringify([mobile, r.data.text, r.data.extend ?? "", time ?? ""]))).slice(0, 40)}`;
    replies.push({ ref, mobile, content: r.data.text, ...replyRoute(r.data.extend, r.data.sign), ...(time ? { received_at: time * 1000 } : {}) });
  }
  if (reports.length > 5000 || replies.length > 1000) return errorJson(413, "too_large", "at most 5000 reports and 1000 replies per push");
  return { events: { reports, replies }, ack: ACK() };
}
