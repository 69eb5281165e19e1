// The paasw gateway v1 routes (/api/token, /sms/*). Every endpoint answers GET and POST alike and
// reads its parameters from the query, a form or a JSON body (params.ts); every refusal is the
// envelope {"code","message"} with HTTP 200 (errors.ts), unknown paths 404 in the same envelope.
import { dialectRouter, logUnexpected, type Handler } from "../../http/router";
import { isCoreError } from "../../core/errors";
import type { RouteDoc } from "../../openapi/registry";
import { z } from "zod";
import { errorTable, PAASW_OWN, paaswCoreError, paaswErrorResponse, PaaswRefusal } from "./errors";
import { getToken } from "./token";
import { postSend } from "./send";
import { postSendTemplate } from "./send-template";
import { getDeliver } from "./deliver";
import { getSmsUp } from "./sms-up";
import { getBalance } from "./balance";
import { getQuery, QueryParams, QueryResponse } from "./query";
import {
  BalanceResponse,
  DeliverResponse,
  ErrorResponse,
  PullParams,
  SendParams,
  SendResponse,
  SendTemplateParams,
  SmsUpResponse,
  TokenOnlyParams,
  TokenParams,
  TokenResponse,
} from "./schemas";

export const { router } = dialectRouter({
  name: "paasw",
  notFound: (req) => paaswErrorResponse(PAASW_OWN.notFound, `${req.method} ${new URL(req.url).pathname}`, 404),
  methodNotAllowed: (req, allowed) => {
    const res = paaswErrorResponse(PAASW_OWN.methodNotAllowed, `${req.method}; use ${allowed.join(" or ")}`, 405);
    res.headers.set("allow", allowed.join(", "));
    return res;
  },
  // HTTP 200 even for a fault: the Java SDK reads nothing from a non-200, and an HTTP client that
  // retries 5xx on its own could repeat a send whose batch had already been committed.
  onError: (e, req) => {
    if (isCoreError(e)) return paaswCoreError(e);
    if (e instanceof PaaswRefusal) return paaswErrorResponse(e.error, e.message);
    logUnexpected("paasw", req, e);
    return paaswErrorResponse(PAASW_OWN.server);
  },
}, []);

const ROUTES: Array<[string, Handler]> = [
  ["/api/token", getToken],
  ["/sms/send", postSend],
  ["/sms/sendTemplate", postSendTemplate],
  ["/sms/deliver", getDeliver],
  ["/sms/smsUp", getSmsUp],
  ["/sms/balance", getBalance],
  ["/sms/query", getQuery],
];

for (const [path, handler] of ROUTES) {
  router.get(path, handler);
  router.post(path, handler);
}

const ERRORS_DOC = {
  default: `Refusals are HTTP 200 with {"code","message"} and a code other than "10000": ${errorTable()
    .map((x) => `${x.code} ${x.label}`)
    .join("; ")} (docs/paasw.md)`,
  "404": `unknown path: {"code":"${PAASW_OWN.notFound.code}","message":"…"}`,
};

const PARAMS_NOTE = "Parameters may come in the query string, a form body or a JSON body (body values override query values); GET and POST are both accepted.";

function doc(method: "get" | "post", path: string, summary: string, params: z.ZodType, response: z.ZodType, description: string, auth = true): RouteDoc {
  return {
    method,
    path,
    tag: "paasw gateway v1",
    summary,
    description: `${description} ${PARAMS_NOTE}`,
    ...(method === "get" ? { query: params } : { body: params, contentTypes: ["application/x-www-form-urlencoded", "application/json"] }),
    // Refusals are HTTP 200 too (the vendor's rule): the 200 answer is the success shape or {code, message}.
    response: z.union([response, ErrorResponse]),
    errors: ERRORS_DOC,
    ...(auth ? { security: "paaswToken" } : {}),
  };
}

export const docs: RouteDoc[] = [
  doc("get", "/api/token", "Get a token (valid 7200 s; the same token while valid)", TokenParams, TokenResponse, "Resetting the app's secret invalidates its tokens at once (code 20003: fetch a new one).", false),
  doc("post", "/sms/send", "Send one text to up to 1000 numbers (one bizId)", SendParams, SendResponse, "Any invalid number refuses the whole request (30001 names every one); duplicates are sent once; billed atomically."),
  doc("post", "/sms/sendTemplate", "Send an approved template to up to 1000 numbers", SendTemplateParams, SendResponse, "paramJson: one object for every number, or an array with one object per listed number (length must match)."),
  doc("get", "/sms/deliver", "Pull delivery reports (each once, ≤ 500 per call, oldest first)", PullParams, DeliverResponse, "Reports delivered by push are not returned here."),
  doc("get", "/sms/smsUp", "Pull replies (each once, ≤ 500 per call, oldest first)", PullParams, SmsUpResponse, "Without sign, every reply of the tenant is returned."),
  doc("get", "/sms/query", "Status of a send by bizId (optionally one phoneNumber), repeatable", QueryParams, QueryResponse, "Reads the current state (nothing is handed out, unlike /sms/deliver); another tenant's bizId gives an empty list."),
  doc("get", "/sms/balance", "Balance in yuan, two decimals", TokenOnlyParams, BalanceResponse, "The balance is rounded down to the fen."),
];
