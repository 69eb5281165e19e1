// The Huawei dialect's routes: IAM login under /v3 (Keystone error shape) and SMN SMS under /v2
// (SMN error shape), each refusal mapped through errors.ts.
import { dialectRouter, logUnexpected } from "../../http/router";
import { isCoreError } from "../../core/errors";
import type { RouteDoc } from "../../openapi/registry";
import { iamError, SMN_OWN, smnCoreError, smnErrorResponse } from "./errors";
import { postAuthTokens } from "./iam-tokens";
import { postSms } from "./sms-publish";
import { hashSignedPayload } from "./aksk-auth";
import { getProjects, ProjectsResponse } from "./projects";
import { getSmsStatus, SmsStatusQuery, SmsStatusResponse } from "./sms-status";
import { IamTokenRequest, IamTokenResponse, SmsPublishRequest, SmsPublishResponse } from "./schemas";

const isIam = (req: Request): boolean => new URL(req.url).pathname.startsWith("/v3/");

export const { router } = dialectRouter({
  name: "huawei",
  notFound: (req) =>
    isIam(req) ? iamError(404, "Could not find the requested resource.") : smnErrorResponse(SMN_OWN.notFound),
  methodNotAllowed: (req, allowed) => {
    const res = isIam(req) ? iamError(405, `Use ${allowed.join(", ")}.`) : smnErrorResponse(SMN_OWN.methodNotAllowed, `Method ${req.method} is not allowed; use ${allowed.join(", ")}.`);
    res.headers.set("allow", allowed.join(", "));
    return res;
  },
  onError: (e, req) => {
    if (isCoreError(e)) return smnCoreError(e);
    logUnexpected("huawei", req, e);
    return isIam(req) ? iamError(500, "An unexpected error prevented the server from fulfilling your request.") : smnErrorResponse(SMN_OWN.server);
  },
}, []);

// First on every route: a request signed with AK/SK has its body hashed for the signature check.
router.all("*", hashSignedPayload);
router.post("/v3/auth/tokens", postAuthTokens);
router.get("/v3/projects", getProjects);
router.post("/v2/:project_id/notifications/sms", postSms);
router.post("/v2/:project_id/notifications/batch_sms", postSms);
router.get("/v2/:project_id/notifications/sms", getSmsStatus);

const SMN_ERRORS_DOC = {
  "400": "SMN.0012 / SMN.0024 / SMN.0159 / SMN.0160 / SMN.0261 / SMN.99xx: bad body, 1000+ items, bad endpoint or message, balance (see docs/huawei.md)",
  "401": "APIGW.0301: missing, unknown or expired X-Auth-Token; AK/SK signature malformed, wrong, unknown access key, or X-Sdk-Date more than 15 minutes off",
  "403": "APIGW.0302: the path's project (or X-Project-Id) is not the token's, app blocked or IP not allowed; SMN.9910 kind not allowed",
  "413": "SMN.9413: body too large",
  "429": "SMN.9429 / SMN.9430: per-mobile limit or repeated content (single form)",
};

const publishDescription =
  "Three body forms: `sms_message` (different texts, fewer than 1000 items, per-item results in request order), " +
  "`endpoints` (one text to at most 1000 numbers, per-item results) and a single `endpoint` ({request_id, message_id}). " +
  "message_include_sign_flag false: sign_id (the signature's 32-hex id) is prefixed as 【name】; true: the message must carry an approved 【signature】.";

export const docs: RouteDoc[] = [
  {
    method: "post",
    path: "/v3/auth/tokens",
    tag: "Huawei SMN",
    summary: "IAM password login (token in the X-Subject-Token header, valid 24 h)",
    body: IamTokenRequest,
    response: IamTokenResponse,
    status: 201,
    errors: { "400": "malformed body", "401": "wrong user name or password, or a project this user does not own", "403": "app blocked or IP not allowed" },
  },
  ...(["sms", "batch_sms"] as const).map(
    (p): RouteDoc => ({
      method: "post",
      path: `/v2/{project_id}/notifications/${p}`,
      tag: "Huawei SMN",
      summary: p === "sms" ? "Send SMS (single, one text to many, or different texts)" : "Send different texts (the Go SDK's path; same forms as /sms)",
      description: publishDescription,
      body: SmsPublishRequest,
      response: SmsPublishResponse,
      errors: SMN_ERRORS_DOC,
      security: "huaweiToken",
    }),
  ),
  {
    method: "get",
    path: "/v2/{project_id}/notifications/sms",
    tag: "Huawei SMN",
    summary: "Status of sent SMS by the publish answer's request_id and/or message_id (comma-separated)",
    description: "SMN's list convention: offset (default 0), limit (1–100, default 100); sms_count is the total matched. Another tenant's ids match nothing.",
    query: SmsStatusQuery,
    response: SmsStatusResponse,
    errors: { "400": "SMN.9900: neither request_id nor message_id, or a malformed one", "401": SMN_ERRORS_DOC["401"], "403": "APIGW.0302: the path's project is not the credential's" },
    security: "huaweiToken",
  },
  {
    method: "get",
    path: "/v3/projects",
    tag: "Huawei SMN",
    summary: "The credential's project (Keystone list), by region name: what AK/SK clients look up first",
    description: "`name` a region id (cn-north-4 …) or the project id lists the one project under that name; another name lists none. AK/SK (SDK-HMAC-SHA256) or X-Auth-Token.",
    response: ProjectsResponse,
    errors: { "400": "bad query (IAM shape)", "401": "APIGW.0301 (see the SMN routes)", "403": "APIGW.0302: credential blocked, IP not allowed" },
    security: "huaweiToken",
  },
];
