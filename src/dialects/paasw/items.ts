// Owns the JSON shape of one delivery report and one reply as the paasw document shows them, shared
// by the pull endpoints and the push format so that both can never drift apart.
import { isChinaMobile, nationalNumber } from "../../core/phone";
import type { ReplyItem, ReportItem } from "../../core/push";
import { formatLocalDateTime } from "../../core/time";

/** The document's labels for its receipt codes (success shows "请求成功" in its example). */
export const REPORT_MESSAGES: Record<string, string> = {
  "10000": "请求成功",
  "1": "提交失败",
  "4": "失败",
  "5": "屏蔽词",
  "6": "审核驳回",
  "7": "黑/白名单",
  "8": "超频",
  "9": "未知",
};

/** Mainland numbers as the document shows them (11 digits, no +86); others keep their E.164 form. */
export const phoneNumberOf = (e164: string): string => (isChinaMobile(e164) ? nationalNumber(e164) : e164);

export interface ReportJson {
  phoneNumber: string;
  sendTime: string;
  reportTime: string;
  success: boolean;
  code: string;
  message: string;
  smsSize: string;
  bizId: string;
  /** Present when the send carried an outId. */
  outId?: string;
}

export function reportJson(r: ReportItem, timeZone: string): ReportJson {
  return {
    phoneNumber: phoneNumberOf(r.mobile),
    sendTime: formatLocalDateTime(r.sentAt, timeZone),
    reportTime: formatLocalDateTime(r.reportedAt, timeZone),
    success: r.code === "10000",
    code: r.code,
    message: REPORT_MESSAGES[r.code] ?? r.message,
    smsSize: String(r.segments),
    bizId: r.batchId,
    ...(r.customerRef ? { outId: r.customerRef } : {}),
  };
}

export interface ReplyJson {
  phoneNumber: string;
  sendTime: string;
  content: string;
  sign?: string;
  sequenceId: number;
}

/** The pull shape has no sign (the client asked by sign); the push shape carries it, before sequenceId as documented. */
export function replyJson(r: ReplyItem, timeZone: string, withSign: boolean): ReplyJson {
  const head = { phoneNumber: phoneNumberOf(r.mobile), sendTime: formatLocalDateTime(r.receivedAt, timeZone), content: r.content };
  return withSign ? { ...head, sign: r.signature ?? "", sequenceId: r.replyId } : { ...head, sequenceId: r.replyId };
}
