// The smsapi v1 dialect's routes; every answer, refusals included, is the {code, message, data} envelope.
import { dialectRouter, logUnexpected } from "../../http/router";
import { isCoreError } from "../../core/errors";
import type { RouteDoc } from "../../openapi/registry";
import { fail, failCore, SMSAPI_OWN } from "./errors";
import { postBatch } from "./batch";
import { postCancel } from "./cancel";
import { postIndustry } from "./industry";
import { postPersonality } from "./personality";
import { handleStatus, StatusRequest, StatusResponse } from "./status";
import { BatchRequest, CancelRequest, CancelResponse, IndustryRequest, PersonalityRequest, SendResponse } from "./schemas";

export const { router } = dialectRouter({
  name: "smsapi",
  notFound: (req) => fail(SMSAPI_OWN.notFound, `no route for ${req.method} ${new URL(req.url).pathname}`),
  methodNotAllowed: (req, allowed) => fail(SMSAPI_OWN.methodNotAllowed, `method ${req.method} is not allowed; use ${allowed.join(", ")}`, null, { allow: allowed.join(", ") }),
  onError: (e, req) => {
    if (isCoreError(e)) return failCore(e);
    logUnexpected("smsapi", req, e);
    return fail(SMSAPI_OWN.server, "internal server error");
  },
}, []);

router.post("/smsapi/v1/sms/industry", postIndustry);
router.post("/smsapi/v1/sms/personality", postPersonality);
router.post("/smsapi/v1/sms/batch", postBatch);
router.post("/smsapi/v1/sms/cancel", postCancel);
router.get("/smsapi/v1/sms/status", handleStatus);
router.post("/smsapi/v1/sms/status", handleStatus);

const AUTH = "smsapiBearer";
const COMMON = {
  "400": "40000 bad body, 40001 invalid value (e.g. sendTime), 40002 invalid mobile, 40004 over 1000 recipients, 40006–40009 signature, 40011 blocked word, 40013 repeated mobile",
  "401": "40100 missing or wrong API key",
  "402": "40200 balance too low (nothing is sent)",
  "403": "40300 tenantId is not the key's tenant; 40301 key blocked; 40302 IP not allowed; 40303 SMS disabled; 40304 kind not allowed",
  "413": "41300 body too large",
  "429": "42900 per-mobile limit, 42901 same content repeated",
};

export const docs: RouteDoc[] = [
  {
    method: "post",
    path: "/smsapi/v1/sms/industry",
    tag: "smsapi",
    summary: "Verification / notification SMS to one mobile",
    description: "The content must carry an approved 【signature】 of the tenant, or the API key's default signature is prefixed.",
    body: IndustryRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: SendResponse,
    errors: COMMON,
    security: AUTH,
  },
  {
    method: "post",
    path: "/smsapi/v1/sms/personality",
    tag: "smsapi",
    summary: "A different text per mobile (up to 1000), now or scheduled",
    description: "Refused items are listed with their code and cost nothing; the others are accepted and billed together.",
    body: PersonalityRequest,
    response: SendResponse,
    errors: COMMON,
    security: AUTH,
  },
  {
    method: "post",
    path: "/smsapi/v1/sms/batch",
    tag: "smsapi",
    summary: "One text to a comma-separated list of mobiles (up to 1000), now or scheduled",
    body: BatchRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: SendResponse,
    errors: COMMON,
    security: AUTH,
  },
  {
    method: "post",
    path: "/smsapi/v1/sms/cancel",
    tag: "smsapi",
    summary: "Cancel scheduled messages (refunded); answers per id",
    body: CancelRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: CancelResponse,
    errors: { "400": "40000 bad body, 40001 no id", "401": "40100 missing or wrong API key", "403": "40300 tenantId is not the key's tenant" },
    security: AUTH,
  },
  ...(["get", "post"] as const).map(
    (method): RouteDoc => ({
      method,
      path: "/smsapi/v1/sms/status",
      tag: "smsapi",
      summary: "Status of messages by ids (at most 1000) or by batchId; repeatable",
      description: "GET takes ids/batchId in the query, POST in a JSON or form body. Ids of another tenant (or unknown) are listed in notFound.",
      ...(method === "get" ? { query: StatusRequest } : { body: StatusRequest, contentTypes: ["application/json", "application/x-www-form-urlencoded"] }),
      response: StatusResponse,
      errors: { "400": "40000 bad body, 40001 neither ids nor batchId, 40004 over 1000 ids", "401": "40100 missing or wrong API key", "403": "40300 tenantId is not the key's tenant" },
      security: AUTH,
    }),
  ),
];
