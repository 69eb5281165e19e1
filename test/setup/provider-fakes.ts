// vitest globalSetup (runs in Node): loopback fakes of the three HTTP providers' APIs — Aliyun
// dysmsapi, Tencent Cloud SMS, Twilio Messaging. Each checks a request the way the provider does
// (signature recomputed here with Node's crypto, independently of src/, required fields, limits)
// and records it. Ports are handed to the tests with provide("providerFakes").
//
// Credentials: a key's secret is derived from the key, so any test can invent fresh ones:
//   Aliyun AccessKeySecret = "secret-" + AccessKeyId; Tencent SecretKey = "secret-" + SecretId;
//   Twilio Auth Token = "token-" + AccountSid, API key secret = "keysecret-" + SK sid.
// Outcomes by the last four digits of a number (like the simulator's reserved block):
//   0001 invalid number · 0002 per-number frequency limit · 0003 server error (unknown)
//   0004 no answer in time, but sent · 0005 no answer in time, never sent · 0006 account problem
//   0007 rate limited · 0008 HTTP 502 from a proxy · 0009 sent, then undelivered
//   0011 Tencent refuses the whole call for this number (others: sent) · else sent, delivered
// GET /__fake/requests?key=K on any fake lists what it received for key K.
import type { TestProject } from "vitest/node";

// The project's types are the Workers runtime's (no @types/node): the few Node APIs used here are
// typed locally and imported by a specifier TypeScript does not resolve.
interface IncomingMessage extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface ServerResponse {
  writeHead(status: number, headers?: Record<string, string>): this;
  end(body?: string): void;
  destroyed: boolean;
}
interface Server {
  listen(port: number, host: string, cb: () => void): this;
  address(): { port: number } | string | null;
  close(cb?: (err?: Error) => void): this;
  closeAllConnections(): void;
}
interface Hmac {
  update(data: string): Hmac;
  digest(encoding: "hex" | "base64"): string;
  digest(): Uint8Array;
}
const nodeHttp = "node:http";
const nodeCrypto = "node:crypto";
const { createServer } = (await import(nodeHttp)) as { createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server };
const { createHash, createHmac, randomBytes, randomUUID } = (await import(nodeCrypto)) as {
  createHmac(alg: string, key: string | Uint8Array): Hmac;
  createHash(alg: string): { update(data: string): { digest(encoding: "hex"): string } };
  randomBytes(n: number): { toString(encoding: "hex"): string };
  randomUUID(): string;
};

declare module "vitest" {
  export interface ProvidedContext {
    providerFakes: { aliyun: number; tencent: number; twilio: number };
  }
}

/** Longer than any test's client timeout, short enough not to hold the suite. */
const HANG_MS = 2500;

type Rule = "ok" | "invalid" | "frequency" | "server" | "hang_sent" | "hang_lost" | "account" | "rate" | "proxy" | "undelivered" | "refuse_call";
const RULES: Record<string, Rule> = {
  "0001": "invalid",
  "0002": "frequency",
  "0003": "server",
  "0004": "hang_sent",
  "0005": "hang_lost",
  "0006": "account",
  "0007": "rate",
  "0008": "proxy",
  "0009": "undelivered",
  "0011": "refuse_call",
};
const ruleOf = (phone: string): Rule => RULES[phone.slice(-4)] ?? "ok";
/** The rule of a call: the first special number decides for the whole call. */
const callRule = (phones: string[]): Rule => phones.map(ruleOf).find((r) => r !== "ok") ?? "ok";

interface Recorded {
  key: string;
  action: string;
  at: number;
  params: Record<string, unknown>;
  headers: Record<string, string>;
  refused?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of req) chunks.push(c);
  let size = 0;
  for (const c of chunks) size += c.length;
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return new TextDecoder().decode(all);
}

const header = (req: IncomingMessage, name: string): string => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : (v ?? "");
};

function send(res: ServerResponse, status: number, body: unknown, type = "application/json;charset=utf-8"): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** A server with the shared /__fake/requests listing around a provider handler. */
function fake(records: Recorded[], handle: (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>) {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      if (url.pathname === "/__fake/requests") {
        const key = url.searchParams.get("key");
        send(res, 200, records.filter((r) => r.key === key));
        return;
      }
      const body = await readBody(req);
      try {
        await handle(req, res, body);
      } catch (e) {
        send(res, 500, { fakeError: String(e) });
      }
    })();
  });
}

// ---------------------------------------------------------------- Aliyun dysmsapi 2017-05-25

/** RFC 3986 as Aliyun's documentation spells it out: unreserved kept, the rest %XX upper-case. */
function aliyunEncode(s: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const query = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort()
    .map((k) => `${aliyunEncode(k)}=${aliyunEncode(params[k]!)}`)
    .join("&");
  const toSign = `${method}&${aliyunEncode("/")}&${aliyunEncode(query)}`;
  return createHmac("sha1", secret + "&").update(toSign).digest("base64");
}

interface AliyunSend {
  key: string;
  phone: string;
  bizId: string;
  outId: string;
  templateCode: string;
  at: number;
  rule: Rule;
}

const chinaDay = (t: number): string => new Date(t + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");
const chinaStamp = (t: number): string => new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");

function aliyunFake(records: Recorded[]) {
  const sends: AliyunSend[] = [];
  const nonces = new Set<string>();
  const err = (res: ServerResponse, status: number, Code: string, Message = Code) => send(res, status, { Code, Message, RequestId: randomUUID() });
  return fake(records, async (req, res, body) => {
    if (req.method !== "POST" || !header(req, "content-type").startsWith("application/x-www-form-urlencoded")) return err(res, 400, "InvalidParameter", "POST form only");
    const p = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    for (const k of ["AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "Signature"]) {
      if (!p[k]) return err(res, 400, `Missing${k}`, `${k} is mandatory`);
    }
    if (p.Version !== "2017-05-25" || p.SignatureMethod !== "HMAC-SHA1" || p.SignatureVersion !== "1.0") return err(res, 400, "InvalidParameter");
    if (p.Format !== "JSON") return err(res, 400, "InvalidParameter", "this fake answers JSON only");
    if (Math.abs(Date.parse(p.Timestamp!) - Date.now()) > 15 * 60_000 || !/Z$/.test(p.Timestamp!)) return err(res, 400, "InvalidTimeStamp.Expired");
    if (aliyunSignature("POST", p, `secret-${p.AccessKeyId}`) !== p.Signature) {
      // Kept, marked refused: a test can tell "tried and refused" from "never tried".
      records.push({ key: p.AccessKeyId!, action: p.Action!, at: Date.now(), params: p, headers: {}, refused: "SignatureDoesNotMatch" });
      return err(res, 400, "SignatureDoesNotMatch");
    }
    if (nonces.has(p.SignatureNonce!)) return err(res, 400, "SignatureNonceUsed");
    nonces.add(p.SignatureNonce!);
    const key = p.AccessKeyId!;
    records.push({ key, action: p.Action!, at: Date.now(), params: p, headers: {} });

    if (p.Action === "QuerySendDetails") {
      if (!p.PhoneNumber || !/^\d{8}$/.test(p.SendDate ?? "") || !p.PageSize || !p.CurrentPage) return err(res, 200, "isv.INVALID_PARAMETERS");
      if (Number(p.PageSize) > 50) return err(res, 200, "isv.INVALID_PARAMETERS", "PageSize at most 50");
      // Newest first, one page of PageSize at CurrentPage, TotalCount of the whole listing.
      const found = sends.filter((s) => s.key === key && s.phone === p.PhoneNumber && chinaDay(s.at) === p.SendDate && (!p.BizId || s.bizId === p.BizId)).reverse();
      const size = Number(p.PageSize);
      const page = found.slice((Number(p.CurrentPage) - 1) * size, Number(p.CurrentPage) * size);
      const dto = page.map((s) => ({
        PhoneNum: s.phone,
        SendStatus: s.rule === "hang_sent" ? 1 : s.rule === "undelivered" ? 2 : 3,
        ErrCode: s.rule === "undelivered" ? "UNDELIV" : s.rule === "hang_sent" ? "" : "DELIVERED",
        TemplateCode: s.templateCode,
        Content: "",
        SendDate: chinaStamp(s.at),
        ReceiveDate: chinaStamp(s.at),
        OutId: s.outId,
      }));
      return send(res, 200, { Code: "OK", Message: "OK", RequestId: randomUUID(), TotalCount: found.length, SmsSendDetailDTOs: { SmsSendDetailDTO: dto } });
    }

    let phones: string[];
    const templateCode = p.TemplateCode;
    if (p.Action === "SendSms") {
      if (!p.PhoneNumbers) return err(res, 400, "MissingPhoneNumbers");
      if (!p.SignName) return err(res, 400, "MissingSignName");
      phones = p.PhoneNumbers.split(",");
      if (phones.length > 1000) return err(res, 200, "isv.MOBILE_COUNT_OVER_LIMIT");
      if (p.TemplateParam !== undefined) {
        try {
          JSON.parse(p.TemplateParam);
        } catch {
          return err(res, 200, "isv.INVALID_JSON_PARAM");
        }
      }
    } else if (p.Action === "SendBatchSms") {
      let signs: unknown, params: unknown;
      try {
        phones = JSON.parse(p.PhoneNumberJson ?? "null");
        signs = JSON.parse(p.SignNameJson ?? "null");
        params = p.TemplateParamJson === undefined ? undefined : JSON.parse(p.TemplateParamJson);
      } catch {
        return err(res, 200, "isv.INVALID_JSON_PARAM");
      }
      if (!Array.isArray(phones) || !Array.isArray(signs)) return err(res, 400, "MissingPhoneNumberJson");
      if (phones.length > 100) return err(res, 200, "isv.MOBILE_COUNT_OVER_LIMIT");
      if (signs.length !== phones.length || (params !== undefined && (!Array.isArray(params) || params.length !== phones.length))) return err(res, 200, "isv.INVALID_PARAMETERS", "array lengths differ");
    } else {
      return err(res, 404, "InvalidAction.NotFound");
    }
    if (!templateCode) return err(res, 400, "MissingTemplateCode");
    if ((p.OutId ?? "").length >= 256) return err(res, 200, "isv.INVALID_PARAMETERS", "OutId too long");
    for (const ph of phones) if (!/^\d{5,20}$/.test(ph)) return err(res, 200, "isv.MOBILE_NUMBER_ILLEGAL");
    const rule = callRule(phones);
    const bizId = `${Date.now()}${randomBytes(4).toString("hex")}^0`;
    const record = () => {
      for (const ph of phones) sends.push({ key, phone: ph, bizId, outId: p.OutId ?? "", templateCode: templateCode!, at: Date.now(), rule: ruleOf(ph) });
    };
    switch (rule) {
      case "invalid":
        return err(res, 200, "isv.MOBILE_NUMBER_ILLEGAL");
      case "frequency":
        return err(res, 200, "isv.BUSINESS_LIMIT_CONTROL");
      case "server":
        return err(res, 500, "isp.SYSTEM_ERROR");
      case "account":
        return err(res, 200, "isv.AMOUNT_NOT_ENOUGH");
      case "rate":
        return err(res, 400, "Throttling.User");
      case "proxy":
        return send(res, 502, "<html>Bad Gateway</html>", "text/html");
      case "hang_sent":
        record();
        await sleep(HANG_MS);
        return send(res, 200, { Code: "OK", Message: "OK", BizId: bizId, RequestId: randomUUID() });
      case "hang_lost":
        await sleep(HANG_MS);
        return err(res, 500, "isp.SYSTEM_ERROR");
      default:
        record();
        return send(res, 200, { Code: "OK", Message: "OK", BizId: bizId, RequestId: randomUUID() });
    }
  });
}

// ---------------------------------------------------------------- Tencent Cloud SMS 2021-01-11

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function tc3(secretKey: string, host: string, contentType: string, payload: string, timestamp: number, service: string): string {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${sha256(payload)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const kDate = createHmac("sha256", "TC3" + secretKey).update(date).digest();
  const kService = createHmac("sha256", kDate).update(service).digest();
  const kSigning = createHmac("sha256", kService).update("tc3_request").digest();
  return createHmac("sha256", kSigning).update(toSign).digest("hex");
}

interface TencentSend {
  key: string;
  phone: string;
  serialNo: string;
  session: string;
  at: number;
  rule: Rule;
}

function tencentFake(records: Recorded[]) {
  const sends: TencentSend[] = [];
  const fail = (res: ServerResponse, Code: string, Message = Code) => send(res, 200, { Response: { Error: { Code, Message }, RequestId: randomUUID() } });
  return fake(records, async (req, res, body) => {
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(header(req, "authorization"));
    if (req.method !== "POST" || !auth) return fail(res, "AuthFailure.SignatureFailure", "malformed Authorization");
    const [, secretId, , service, signed, signature] = auth;
    const ts = Number(header(req, "x-tc-timestamp"));
    if (!Number.isInteger(ts) || Math.abs(ts - Date.now() / 1000) > 300) return fail(res, "AuthFailure.SignatureExpire");
    if (header(req, "x-tc-version") !== "2021-01-11" || !header(req, "x-tc-region")) return fail(res, "InvalidParameter", "X-TC-Version / X-TC-Region");
    if (signed !== "content-type;host" || service !== "sms") return fail(res, "AuthFailure.SignatureFailure", "this fake expects content-type;host for sms");
    if (tc3(`secret-${secretId}`, header(req, "host"), header(req, "content-type"), body, ts, service!) !== signature) return fail(res, "AuthFailure.SignatureFailure");
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(body);
    } catch {
      return fail(res, "FailedOperation.JsonParseFail");
    }
    const action = header(req, "x-tc-action");
    const key = secretId!;
    records.push({ key, action, at: Date.now(), params: p, headers: { "x-tc-region": header(req, "x-tc-region") } });
    if (typeof p.SmsSdkAppId !== "string" || !/^\d+$/.test(p.SmsSdkAppId)) return fail(res, "InvalidParameterValue.SdkAppIdNotExist");

    if (action === "PullSmsSendStatusByPhoneNumber") {
      if (typeof p.BeginTime !== "number" || typeof p.PhoneNumber !== "string" || typeof p.Limit !== "number" || typeof p.Offset !== "number") return fail(res, "MissingParameter");
      if (p.Limit > 100) return fail(res, "InvalidParameterValue", "Limit at most 100");
      const set = sends
        .filter((s) => s.key === key && s.phone === p.PhoneNumber && s.at >= (p.BeginTime as number) * 1000 && s.rule !== "hang_lost")
        .map((s) => ({
          UserReceiveTime: chinaStamp(s.at),
          CountryCode: "86",
          SubscriberNumber: s.phone.slice(3),
          PhoneNumber: s.phone,
          SerialNo: s.serialNo,
          ReportStatus: s.rule === "undelivered" ? "FAIL" : "SUCCESS",
          Description: s.rule === "undelivered" ? "UNDELIV" : "DELIVRD",
          SessionContext: s.session,
        }));
      return send(res, 200, { Response: { PullSmsSendStatusSet: set, RequestId: randomUUID() } });
    }
    if (action !== "SendSms") return fail(res, "InvalidAction", "no such action");
    const phones = p.PhoneNumberSet;
    if (!Array.isArray(phones) || phones.length === 0) return fail(res, "MissingParameter.EmptyPhoneNumberSet");
    if (phones.length > 200) return fail(res, "LimitExceeded.PhoneNumberCountLimit");
    if (typeof p.TemplateId !== "string" || !p.TemplateId) return fail(res, "MissingParameter", "TemplateId");
    if (!Array.isArray(p.TemplateParamSet) || p.TemplateParamSet.some((v) => typeof v !== "string")) return fail(res, "InvalidParameterValue.TemplateParameterFormatError");
    if (typeof p.SessionContext === "string" && p.SessionContext.length > 512) return fail(res, "InvalidParameterValue", "SessionContext over 512");
    const domestic = phones.filter((x) => String(x).startsWith("+86"));
    if (domestic.length > 0 && domestic.length < phones.length) return fail(res, "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber");
    if (domestic.length > 0 && typeof p.SignName !== "string") return fail(res, "MissingParameter", "SignName is required for mainland numbers");
    const rule = callRule(phones as string[]);
    const session = typeof p.SessionContext === "string" ? p.SessionContext : "";
    const statusSet = () =>
      (phones as string[]).map((ph) => {
        const r = ruleOf(ph);
        if (!/^\+\d{6,16}$/.test(ph) || r === "invalid") return { SerialNo: "", PhoneNumber: ph, Fee: 0, SessionContext: session, Code: "InvalidParameterValue.IncorrectPhoneNumber", Message: "incorrect number", IsoCode: "" };
        if (r === "frequency") return { SerialNo: "", PhoneNumber: ph, Fee: 0, SessionContext: session, Code: "LimitExceeded.PhoneNumberThirtySecondLimit", Message: "30 s limit", IsoCode: "CN" };
        const serialNo = `2433:${randomBytes(8).toString("hex")}`;
        sends.push({ key, phone: ph, serialNo, session, at: Date.now(), rule: r });
        return { SerialNo: serialNo, PhoneNumber: ph, Fee: 1, SessionContext: session, Code: "Ok", Message: "send success", IsoCode: "CN" };
      });
    switch (rule) {
      case "refuse_call":
        return fail(res, "InvalidParameterValue.IncorrectPhoneNumber", "a number of the call is not valid");
      case "server":
        return fail(res, "InternalError.Timeout");
      case "account":
        return fail(res, "FailedOperation.InsufficientBalanceInSmsPackage");
      case "rate":
        return fail(res, "RequestLimitExceeded");
      case "proxy":
        return send(res, 502, "Bad Gateway", "text/plain");
      case "hang_sent": {
        const set = statusSet();
        await sleep(HANG_MS);
        return send(res, 200, { Response: { SendStatusSet: set, RequestId: randomUUID() } });
      }
      case "hang_lost":
        await sleep(HANG_MS);
        return fail(res, "InternalError.Timeout");
      default:
        return send(res, 200, { Response: { SendStatusSet: statusSet(), RequestId: randomUUID() } });
    }
  });
}

// ---------------------------------------------------------------- Twilio Messaging 2010-04-01

interface TwilioMessage {
  key: string;
  sid: string;
  to: string;
  from: string | null;
  body: string;
  status: string;
  errorCode: number | null;
  created: number;
  statusCallback: string | null;
}

function twilioFake(records: Recorded[]) {
  const messages: TwilioMessage[] = [];
  const problem = (res: ServerResponse, status: number, code: number, message: string) =>
    send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  const view = (m: TwilioMessage) => ({
    sid: m.sid,
    account_sid: m.key,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: "outbound-api",
    error_code: m.errorCode,
    date_created: new Date(m.created).toUTCString().replace("GMT", "+0000"),
    api_version: "2010-04-01",
  });
  return fake(records, async (req, res, body) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages(?:\/((?:SM|MM)[0-9a-f]{32}))?\.json$/.exec(url.pathname);
    if (!m) return problem(res, 404, 20404, "The requested resource was not found");
    const account = m[1]!;
    const basic = /^Basic (.+)$/.exec(header(req, "authorization"));
    const [user, pass] = basic ? atob(basic[1]!).split(":") : [];
    const ok = (user === account && pass === `token-${account}`) || (/^SK[0-9a-f]{32}$/.test(user ?? "") && pass === `keysecret-${user}`);
    if (!ok) return problem(res, 401, 20003, "Authenticate");
    if (req.method === "GET") {
      records.push({ key: account, action: m[2] ? "FetchMessage" : "ListMessages", at: Date.now(), params: Object.fromEntries(url.searchParams), headers: {} });
      if (m[2]) {
        const found = messages.find((x) => x.key === account && x.sid === m[2]);
        return found ? send(res, 200, view(found)) : problem(res, 404, 20404, "not found");
      }
      const to = url.searchParams.get("To");
      const size = Math.min(1000, Number(url.searchParams.get("PageSize") ?? "50"));
      const list = messages.filter((x) => x.key === account && (!to || x.to === to)).sort((a, b) => b.created - a.created).slice(0, size);
      return send(res, 200, { messages: list.map(view), page: 0, page_size: size });
    }
    if (req.method !== "POST" || m[2]) return problem(res, 405, 20004, "Method not allowed");
    if (!header(req, "content-type").startsWith("application/x-www-form-urlencoded")) return problem(res, 400, 20001, "form body required");
    const p = Object.fromEntries(new URLSearchParams(body));
    records.push({ key: account, action: "CreateMessage", at: Date.now(), params: p, headers: { authorization: header(req, "authorization") } });
    if (!p.To) return problem(res, 400, 21604, "A 'To' phone number is required.");
    if (!/^\+[1-9]\d{6,14}$/.test(p.To)) return problem(res, 400, 21211, `The 'To' number ${p.To} is not a valid phone number.`);
    if (!p.From && !p.MessagingServiceSid) return problem(res, 400, 21603, "A 'From' phone number is required.");
    if (!p.Body) return problem(res, 400, 21602, "Message body is required.");
    if ([...p.Body].length > 1600) return problem(res, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (p.StatusCallback !== undefined && !/^https?:\/\//.test(p.StatusCallback)) return problem(res, 400, 21609, "Invalid StatusCallback");
    const rule = ruleOf(p.To);
    const create = (status: string, errorCode: number | null): TwilioMessage => {
      const msg = { key: account, sid: `SM${randomBytes(16).toString("hex")}`, to: p.To!, from: p.From ?? null, body: p.Body!, status, errorCode, created: Date.now(), statusCallback: p.StatusCallback ?? null };
      messages.push(msg);
      return msg;
    };
    switch (rule) {
      case "invalid":
        return problem(res, 400, 21211, "Invalid 'To' Phone Number");
      case "frequency":
        return problem(res, 400, 21610, "Attempt to send to unsubscribed recipient");
      case "server":
        return problem(res, 500, 20500, "Internal Server Error");
      case "account":
        return problem(res, 400, 21408, "Permission to send an SMS has not been enabled for the region");
      case "rate":
        return problem(res, 429, 20429, "Too Many Requests");
      case "proxy":
        return send(res, 502, "Bad Gateway", "text/plain");
      case "hang_sent": {
        const msg = create("sent", null);
        await sleep(HANG_MS);
        return send(res, 201, view(msg));
      }
      case "hang_lost":
        await sleep(HANG_MS);
        return problem(res, 500, 20500, "Internal Server Error");
      case "undelivered":
        return send(res, 201, view(create("undelivered", 30003)));
      default:
        return send(res, 201, view(create("delivered", null)));
    }
  });
}

export default async function setup(project: TestProject) {
  const records: Recorded[] = [];
  const servers = { aliyun: aliyunFake(records), tencent: tencentFake(records), twilio: twilioFake(records) };
  const ports = { aliyun: 0, tencent: 0, twilio: 0 };
  for (const [name, server] of Object.entries(servers)) {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    ports[name as keyof typeof ports] = typeof addr === "object" && addr ? addr.port : 0;
  }
  project.provide("providerFakes", ports);
  return async () => {
    for (const server of Object.values(servers)) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  };
}
