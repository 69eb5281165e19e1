// paasw's push bodies: a JSON array of reports (or replies) exactly as its document shows, several
// per push, and its acknowledgement rule: a 2xx whose JSON body has code "10000" or 10000 (the
// document shows the number for reports and the string for replies); anything else is retried.
import type { PushFormat, ReplyItem, ReportItem } from "../../core/push";
import { replyJson, reportJson } from "./items";

export function acknowledged(status: number, body: string): boolean {
  if (status < 200 || status > 299) return false;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return code === "10000" || code === 10000;
}

export const paaswPushFormat: PushFormat = {
  async build(topic, items, { tenant }) {
    const body =
      topic === "reports"
        ? (items as ReportItem[]).map((r) => reportJson(r, tenant.timezone))
        : (items as ReplyItem[]).map((r) => replyJson(r, tenant.timezone, true));
    return { contentType: "application/json;charset=utf-8", body: JSON.stringify(body) };
  },
  acknowledged,
};
