// The Huawei dialect's routes: IAM under /v3 (Keystone error shape) and SMN SMS under /v2 (SMN
// error shape), each declared once with its documentation; refusals are mapped in errors.ts.
import { dialectRouter, type Route } from "../../http/router";
import { hashSignedPayload } from "./auth";
import { iamError, isIam, onError, SMN_OWN, smnErrorResponse } from "./errors";
import { authTokensRoute } from "./iam-tokens";
import { projectsRoute } from "./projects";
import { batchSmsRoute, smsRoute } from "./sms-publish";
import { smsStatusRoute } from "./sms-status";

const ROUTES: Route[] = [authTokensRoute, smsRoute, batchSmsRoute, smsStatusRoute, projectsRoute];

// The guard, first on every route: a request signed with AK/SK has its body hashed for the signature check.
export const { router, docs } = dialectRouter(
  {
    name: "huawei",
    notFound: (req) => (isIam(req) ? iamError(404, "Could not find the requested resource.") : smnErrorResponse(SMN_OWN.notFound)),
    methodNotAllowed: (req, allowed) => {
      const res = isIam(req)
        ? iamError(405, `Use ${allowed.join(", ")}.`)
        : smnErrorResponse(SMN_OWN.methodNotAllowed, `Method ${req.method} is not allowed; use ${allowed.join(", ")}.`);
      res.headers.set("allow", allowed.join(", "));
      return res;
    },
    onError,
  },
  ROUTES,
  hashSignedPayload,
);
