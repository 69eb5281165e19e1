// JPush status callbacks (JPush's callback document, not the generic push): one event per
// form-encoded POST with nonce, timestamp (ms), signature = lowercase hex SHA-1 of
// "appKey=…&appMasterSecret=…&nonce=…&timestamp=…", type SMS_REPORT / SMS_REPLY / SMS_TEMPLATE /
// SMS_SIGN, and data as a JSON string; retried after 3 min, 1 h and 12 h; a callback URL is
// accepted only after it echoes an 8-character `echostr`. Signing needs the masterSecret itself:
// it is kept AES-GCM encrypted (apps.secret_enc).
import type { PushFormat, PushTopic, ReplyItem, ReportItem, ReviewItem } from "../../core/push";
import { decryptSecret, randomAlnum, randomBytes, secretsKey, sha1Hex } from "../../core/crypto";
import { isChinaMobile, nationalNumber } from "../../core/phone";

/** Our delivery codes (paasw's list) → JPush's SMS_REPORT status. */
export const JPUSH_REPORT_STATUS: Record<string, number> = {
  "10000": 4001, // delivered
  "7": 4002, // black/white list → on the carrier's blacklist
  "4": 4003, // failed at the handset (powered off, suspended…)
  "8": 4006, // over frequency
  "1": 4100, // submit failed
  "5": 4010, // blocked word: "敏感词拦截" in JPush's current status table (receipt API, callbacks)
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

/** JPush's review status: 1 approved, 2 rejected (as GET /v1/templates and /v1/sign show it). */
const REVIEW_STATUS = { approved: 1, rejected: 2 } as const;

function event(topic: PushTopic, item: ReportItem | ReplyItem | ReviewItem): { type: string; data: Record<string, unknown> } {
  if (topic === "reports") {
    const r = item as ReportItem;
    return { type: "SMS_REPORT", data: { msgId: r.messageId, status: JPUSH_REPORT_STATUS[r.code] ?? 4100, receiveTime: r.reportedAt, phone: phone(r.mobile) } };
  }
  if (topic === "replies") {
    const r = item as ReplyItem;
    return { type: "SMS_REPLY", data: { phone: phone(r.mobile), replyTime: r.receivedAt, content: r.content } };
  }
  const r = item as ReviewItem;
  const verdict = { status: REVIEW_STATUS[r.status], refuseReason: r.status === "rejected" ? (r.note ?? "") : null };
  return r.subject === "template" ? { type: "SMS_TEMPLATE", data: { tempId: r.id, ...verdict } } : { type: "SMS_SIGN", data: { signId: r.id, ...verdict } };
}

const ECHO_TIMEOUT_MS = 5_000;

/** JPush's URL check: a GET with an 8-character echostr that the receiver must answer verbatim. */
async function verifyEchostr(url: string): Promise<string | null> {
  const echostr = randomAlnum(8);
  const target = new URL(url);
  target.searchParams.set("echostr", echostr);
  try {
    const res = await fetch(target.toString(), { method: "GET", redirect: "manual", signal: AbortSignal.timeout(ECHO_TIMEOUT_MS) });
    const text = (await res.text()).slice(0, 1024).trim();
    if (res.status < 200 || res.status >= 300) return `the echostr check got HTTP ${res.status}`;
    return text === echostr ? null : "the echostr check was not answered with the echostr value";
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    return name === "TimeoutError" ? `the echostr check timed out after ${ECHO_TIMEOUT_MS / 1000} s` : "the echostr check could not reach the URL";
  }
}
export const jpushPushFormat: PushFormat = {
  maxItems: 1,
  topics: ["reports", "replies", "reviews"],
  // "最多重试三次。重试回调的时间间隔分别是 3 分钟、1 小时、12 小时。"
  retryDelays: [180, 3600, 43200],
  verifyUrl: (_env, url) => verifyEchostr(url),
  async build(topic, items, { env, app }) {
    if (!app.secretEnc) throw new Error(`app ${app.id} has no recoverable masterSecret`);
    const { type, data } = event(topic, items[0]!);
    const n = nonce();
    const timestamp = String(Date.now());
    const signature = await callbackSignature(app.key, await decryptSecret(secretsKey(env), app.secretEnc), n, timestamp);
    const body = new URLSearchParams({
      nonce: n,
      signature,
      timestamp,
      type,
      data: JSON.stringify(data),
    });
    return { contentType: "application/x-www-form-urlencoded;charset=utf-8", body: body.toString() };
  },
};
