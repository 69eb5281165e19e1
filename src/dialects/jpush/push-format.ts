// JPush status callbacks (JPush's callback document, not the generic push): one event per
// form-encoded POST with nonce, timestamp (ms), signature = lowercase hex SHA-1 of
// "appKey=…&appMasterSecret=…&nonce=…&timestamp=…", type SMS_REPORT / SMS_REPLY, and data as a
// JSON string. Signing needs the masterSecret itself: it is kept AES-GCM encrypted (apps.secret_enc).
import type { PushFormat, ReplyItem, ReportItem } from "../../core/push";
import { decryptSecret, randomBytes, sha1Hex } from "../../core/crypto";
import { isChinaMobile, nationalNumber } from "../../core/phone";

/** Our delivery codes (paasw's list) → JPush's SMS_REPORT status. */
export const JPUSH_REPORT_STATUS: Record<string, number> = {
  "10000": 4001, // delivered
  "7": 4002, // black/white list → on the carrier's blacklist
  "4": 4003, // failed at the handset (powered off, suspended…)
  "8": 4006, // over frequency
  "1": 4100, // submit failed
  "5": 4100, // blocked word
  "6": 4100, // rejected
  "9": 4100, // unknown
};

const phone = (e164: string): string => (isChinaMobile(e164) ? nationalNumber(e164) : e164);

/** A signed 64-bit decimal, as JPush's Java sender draws with Random.nextLong(). */
function nonce(): string {
  let v = 0n;
  for (const b of randomBytes(8)) v = (v << 8n) | BigInt(b);
  return BigInt.asIntN(64, v).toString();
}

export async function callbackSignature(appKey: string, masterSecret: string, nonceValue: string, timestamp: string): Promise<string> {
  return sha1Hex(`appKey=${appKey}&appMasterSecret=${masterSecret}&nonce=${nonceValue}&timestamp=${timestamp}`);
}

export const jpushPushFormat: PushFormat = {
  maxItems: 1,
  async build(topic, items, { env, app }) {
    if (!app.secretEnc) throw new Error(`app ${app.id} has no recoverable masterSecret`);
    const item = items[0]!;
    const data =
      topic === "reports"
        ? (() => {
            const r = item as ReportItem;
            return { msgId: r.messageId, status: JPUSH_REPORT_STATUS[r.code] ?? 4100, receiveTime: r.reportedAt, phone: phone(r.mobile) };
          })()
        : (() => {
            const r = item as ReplyItem;
            return { phone: phone(r.mobile), replyTime: r.receivedAt, content: r.content };
          })();
    const n = nonce();
    const timestamp = String(Date.now());
    const signature = await callbackSignature(app.key, await decryptSecret(env.SECRETS_KEY, app.secretEnc), n, timestamp);
    const body = new URLSearchParams({
      nonce: n,
      signature,
      timestamp,
      type: topic === "reports" ? "SMS_REPORT" : "SMS_REPLY",
      data: JSON.stringify(data),
    });
    return { contentType: "application/x-www-form-urlencoded;charset=utf-8", body: body.toString() };
  },
};
