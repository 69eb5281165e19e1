// The JPush SMS v1 dialect's routes (/v1/…); every refusal, unknown routes and faults included,
// is the document's `{"error": {"code", "message"}}` with the code table's HTTP status.
import { dialectRouter, logUnexpected } from "../../http/router";
import type { RouteDoc } from "../../openapi/registry";
import { errorResponse, explainError, fail, JPUSH } from "./errors";
import { AppBalanceResponse, DevBalanceResponse, getAppBalance, getDevBalance } from "./accounts";
import { postBatch } from "./batch";
import { deleteTemplate, getTemplateView, postTemplate, putTemplate, TemplateRequest, TempIdResponse, TemplateView } from "./template-api";
import { postCodes } from "./codes";
import { postMessages } from "./messages";
import {
  deleteScheduleView,
  getScheduleView,
  postSchedule,
  postScheduleBatch,
  putSchedule,
  putScheduleBatch,
  ScheduleBatchRequestDoc,
  ScheduleBatchResponse,
  ScheduleIdResponse,
  ScheduleRequest,
  ScheduleView,
} from "./schedule";
import { postValid } from "./valid";
import { deleteSign, getSign, postSign, SignForm, SignIdResponse, SignInfo, updateSign } from "./sign-api";
import { postVoiceCodes } from "./voice-codes";
import { getReply, getReport, INQUIRE_LIMIT, ReplyRecord, ReportRecord } from "./inquire";
import { z } from "zod";
import {
  BatchRequestDoc,
  BatchResponse,
  CodesRequest,
  MessagesRequest,
  MsgIdResponse,
  ValidRequest,
  ValidResponse,
  VoiceCodesRequest,
} from "./schemas";

export const { router } = dialectRouter({
  name: "jpush",
  notFound: (req) => fail("apiNotFound", `no API at ${req.method} ${new URL(req.url).pathname}`),
  methodNotAllowed: (req, allowed) => {
    const res = fail("methodNotSupported", `${req.method} is not supported here; use ${allowed.join(", ")}`);
    res.headers.set("allow", allowed.join(", "));
    return res;
  },
  onError: (e, req) => {
    const known = explainError(e);
    if (known) return errorResponse(known);
    logUnexpected("jpush", req, e);
    return errorResponse({ error: JPUSH.serverError, message: "server error" });
  },
}, []);

router.post("/v1/codes", postCodes);
router.post("/v1/voice_codes", postVoiceCodes);
router.post("/v1/codes/:msg_id/valid", postValid);
router.post("/v1/messages", postMessages);
router.post("/v1/messages/batch", postBatch);
router.post("/v1/schedule", postSchedule);
router.post("/v1/schedule/batch", postScheduleBatch);
router.put("/v1/schedule/batch/:schedule_id", putScheduleBatch);
router.put("/v1/schedule/:schedule_id", putSchedule);
router.get("/v1/schedule/:schedule_id", getScheduleView);
router.delete("/v1/schedule/:schedule_id", deleteScheduleView);
router.post("/v1/templates", postTemplate);
router.get("/v1/templates/:temp_id", getTemplateView);
router.put("/v1/templates/:temp_id", putTemplate);
router.delete("/v1/templates/:temp_id", deleteTemplate);
router.post("/v1/sign", postSign);
// The SDKs update with POST; JPush's English document says PUT.
router.post("/v1/sign/:sign_id", updateSign);
router.put("/v1/sign/:sign_id", updateSign);
router.get("/v1/sign/:sign_id", getSign);
router.delete("/v1/sign/:sign_id", deleteSign);
router.get("/v1/accounts/app", getAppBalance);
router.get("/v1/accounts/dev", getDevBalance);
router.get("/v1/report", getReport);
router.get("/v1/reply", getReply);

const AUTH = "jpushBasic";
const code = (...names: Array<keyof typeof JPUSH>): string => names.map((n) => `${JPUSH[n].code} ${JPUSH[n].text}`).join("; ");
const COMMON = {
  "400": code("missingAuth", "missingBody", "missingMobile"),
  "401": code("authFailed"),
  "404": code("apiNotFound"),
  "405": code("methodNotSupported"),
  "415": code("mediaNotSupported"),
  "500": code("serverError"),
};
const SEND_403 = ["invalidMobile", "invalidBody", "noSmsAuth", "outOfFreq", "noMoney", "repeatSend", "illegalIp", "appInBlack", "blackWord"] as const;
const TEMPLATE_403 = [
  "invalidTempId",
  "templateAuditing",
  "templateNotPass",
  "paramsNotAllReplaced",
  "paramsEmpty",
  "wrongTemplateType",
  "signatureNotSet",
  "invalidSignId",
] as const;

export const docs: RouteDoc[] = [
  {
    method: "get",
    path: "/v1/report",
    tag: "jpush",
    summary: `SMS receipt API: delivery reports not handed out yet (at most ${INQUIRE_LIMIT}, each once, reports of the last 3 days)`,
    description: "At most one call per appKey every 5 seconds (50009). Reports of an app with a report callback URL are pushed, never listed here.",
    response: z.array(ReportRecord),
    errors: { ...COMMON, "403": code("outOfFreq", "illegalIp", "appInBlack", "noSmsAuth") },
    security: AUTH,
  },
  {
    method: "get",
    path: "/v1/reply",
    tag: "jpush",
    summary: `SMS receipt API: replies (uplink SMS) not handed out yet (at most ${INQUIRE_LIMIT}, each once)`,
    description: "At most one call per appKey every 5 seconds (50009). Replies pushed to a reply callback URL are never listed here.",
    response: z.array(ReplyRecord),
    errors: { ...COMMON, "403": code("outOfFreq", "illegalIp", "appInBlack", "noSmsAuth") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/templates",
    tag: "jpush",
    summary: "Create a template (pending review)",
    body: TemplateRequest,
    response: TempIdResponse,
    errors: { ...COMMON, "403": code("invalidBody", "templateEmpty", "templateTooLong", "templateParamInvalid", "remarkTooLong", "invalidTtl", "templateSpecialSymbol") },
    security: AUTH,
  },
  {
    method: "put",
    path: "/v1/templates/{temp_id}",
    tag: "jpush",
    summary: "Change a template that is not approved (back to review)",
    body: TemplateRequest,
    response: TempIdResponse,
    errors: { ...COMMON, "403": code("invalidTempId", "templateModifyNotAllowed", "templateEmpty", "templateTooLong", "templateParamInvalid", "remarkTooLong", "invalidTtl") },
    security: AUTH,
  },
  { method: "get", path: "/v1/templates/{temp_id}", tag: "jpush", summary: "A template and its review status", response: TemplateView, errors: { ...COMMON, "403": code("invalidTempId") }, security: AUTH },
  { method: "delete", path: "/v1/templates/{temp_id}", tag: "jpush", summary: "Delete a template (200, empty body)", errors: { ...COMMON, "403": code("invalidTempId") }, security: AUTH },
  {
    method: "post",
    path: "/v1/sign",
    tag: "jpush",
    summary: "Create a signature (pending review)",
    description: "multipart/form-data only. Images are checked by their bytes (JPEG, PNG, GIF, BMP); the first is kept for review. Refused while another signature of the tenant is under review (50103).",
    body: SignForm,
    contentTypes: ["multipart/form-data"],
    response: SignIdResponse,
    errors: { ...COMMON, "403": code("invalidBody", "remarkTooLong", "invalidImage", "signInAudit", "invalidSignature") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/sign/{sign_id}",
    tag: "jpush",
    summary: "Change a signature (back to review); PUT is accepted too",
    description: "Fields not sent (type, remark, images) stay as they are.",
    body: SignForm,
    contentTypes: ["multipart/form-data"],
    response: SignIdResponse,
    errors: { ...COMMON, "403": code("invalidBody", "remarkTooLong", "invalidImage", "invalidSignId", "signInAudit", "invalidSignature") },
    security: AUTH,
  },
  { method: "get", path: "/v1/sign/{sign_id}", tag: "jpush", summary: "A signature and its review status", response: SignInfo, errors: { ...COMMON, "403": code("invalidSignId") }, security: AUTH },
  {
    method: "delete",
    path: "/v1/sign/{sign_id}",
    tag: "jpush",
    summary: "Delete a signature (200, empty body)",
    description: "Refused (50105) while a template or an app's default uses it.",
    errors: { ...COMMON, "403": code("invalidSignId", "signUndeletable") },
    security: AUTH,
  },
  {
    method: "get",
    path: "/v1/accounts/app",
    tag: "jpush",
    summary: "This app's balance, as a count of SMS",
    description: "How many one-segment notification SMS the tenant's balance buys at its notification price; for an app with spending caps, what its caps leave of that balance.",
    response: AppBalanceResponse,
    errors: { ...COMMON, "403": code("noSmsAuth", "illegalIp", "appInBlack") },
    security: AUTH,
  },
  {
    method: "get",
    path: "/v1/accounts/dev",
    tag: "jpush",
    summary: "The developer account's balance (Basic devKey:devSecret), as a count of SMS",
    response: DevBalanceResponse,
    errors: { ...COMMON, "403": code("noSmsAuth", "illegalIp", "appInBlack") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/codes",
    tag: "jpush",
    summary: "Send a text verification code",
    description:
      "Generates the code (the template's length, 4–8 digits), renders the approved verification-code template's {{code}} and holds the code until it is validated or its ttl passes. Per-mobile limits apply (default 1/min, 5/h, 10/day).",
    body: CodesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { ...COMMON, "400": code("missingAuth", "missingBody", "missingMobile", "missingTempId"), "403": code(...SEND_403, ...TEMPLATE_403, "invalidTtl") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/voice_codes",
    tag: "jpush",
    summary: "Send a voice verification code",
    description: "The caller's code (4–8 digits) or a generated 6-digit one, read out in voice_lang (0 Chinese, 1 English, 2 both); valid for ttl seconds (default 60, at most 86400).",
    body: VoiceCodesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { ...COMMON, "403": code(...SEND_403, "invalidCodeLength", "invalidCodeType", "invalidVoiceLang", "invalidTtl") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/codes/{msg_id}/valid",
    tag: "jpush",
    summary: "Validate a code (single use; dead after 5 wrong attempts)",
    body: ValidRequest,
    contentTypes: ["application/json", "text/plain"],
    response: ValidResponse,
    errors: {
      ...COMMON,
      "400": code("missingAuth", "missingBody", "missingCode"),
      "403": `${code("invalidCode", "expiredCode", "verifiedCode", "wrongMsgId", "invalidBody")} (body: {"is_valid": false, "error": {...}})`,
    },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/messages",
    tag: "jpush",
    summary: "Send one template SMS (notification or marketing)",
    body: MessagesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { ...COMMON, "400": code("missingAuth", "missingBody", "missingMobile", "missingTempId"), "403": code(...SEND_403, ...TEMPLATE_403, "unsubscribed") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/messages/batch",
    tag: "jpush",
    summary: "Send one template to 1–1000 recipients",
    description: "Refused recipients are listed with error_code (a string) and cost nothing; the others are billed and queued in one atomic batch.",
    body: BatchRequestDoc,
    contentTypes: ["application/json", "text/plain"],
    response: BatchResponse,
    errors: { ...COMMON, "400": code("missingAuth", "missingBody", "missingTempId"), "403": code("invalidBody", "noSmsAuth", "noMoney", "recipientsEmpty", "tooManyRecipients", ...TEMPLATE_403) },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/schedule",
    tag: "jpush",
    summary: "Schedule one template SMS at send_time (the tenant's local time)",
    description: "Billed at acceptance; the cron sends it when due. Any refusal refuses the request, as /v1/messages.",
    body: ScheduleRequest,
    contentTypes: ["application/json", "text/plain"],
    response: ScheduleIdResponse,
    errors: { ...COMMON, "400": code("missingAuth", "missingBody", "missingMobile", "missingTempId"), "403": code(...SEND_403, ...TEMPLATE_403, "unsubscribed", "invalidSendTime") },
    security: AUTH,
  },
  {
    method: "post",
    path: "/v1/schedule/batch",
    tag: "jpush",
    summary: "Schedule one template to 1–1000 recipients at send_time",
    description: "Refused recipients are listed (as /v1/messages/batch) and cost nothing; the others are billed and stored in one atomic batch.",
    body: ScheduleBatchRequestDoc,
    contentTypes: ["application/json", "text/plain"],
    response: ScheduleBatchResponse,
    errors: { ...COMMON, "400": code("missingAuth", "missingBody", "missingTempId"), "403": code("invalidBody", "noSmsAuth", "noMoney", "recipientsEmpty", "tooManyRecipients", "invalidSendTime", ...TEMPLATE_403) },
    security: AUTH,
  },
  {
    method: "put",
    path: "/v1/schedule/{schedule_id}",
    tag: "jpush",
    summary: "Replace a schedule before it fires (single-recipient body)",
    description: "Atomic: the old messages are canceled and refunded and the new one billed in one D1 batch; the schedule_id stays. Once the cron released it (or it was deleted): 50029, nothing changes.",
    body: ScheduleRequest,
    contentTypes: ["application/json", "text/plain"],
    response: ScheduleIdResponse,
    errors: {
      ...COMMON,
      "400": code("missingAuth", "missingBody", "missingMobile", "missingTempId"),
      "403": code(...SEND_403, ...TEMPLATE_403, "unsubscribed", "invalidSendTime", "invalidScheduleId", "wrongScheduleStatus"),
    },
    security: AUTH,
  },
  {
    method: "put",
    path: "/v1/schedule/batch/{schedule_id}",
    tag: "jpush",
    summary: "Replace a schedule before it fires (batch body)",
    description: "As PUT /v1/schedule/{schedule_id}; refused recipients are listed. With no recipient accepted nothing changes.",
    body: ScheduleBatchRequestDoc,
    contentTypes: ["application/json", "text/plain"],
    response: ScheduleBatchResponse,
    errors: {
      ...COMMON,
      "400": code("missingAuth", "missingBody", "missingTempId"),
      "403": code("invalidBody", "noSmsAuth", "noMoney", "recipientsEmpty", "tooManyRecipients", "invalidSendTime", "invalidScheduleId", "wrongScheduleStatus", ...TEMPLATE_403),
    },
    security: AUTH,
  },
  { method: "get", path: "/v1/schedule/{schedule_id}", tag: "jpush", summary: "A schedule: send_time, temp_id and its recipients", response: ScheduleView, errors: { ...COMMON, "403": code("invalidScheduleId") }, security: AUTH },
  {
    method: "delete",
    path: "/v1/schedule/{schedule_id}",
    tag: "jpush",
    summary: "Delete a schedule before it fires: its messages are canceled and refunded (200, empty body)",
    errors: { ...COMMON, "403": code("invalidScheduleId", "wrongScheduleStatus") },
    security: AUTH,
  },
];
