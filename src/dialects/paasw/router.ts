// The paasw gateway v1 routes (/api/token, /sms/*). Every endpoint answers GET and POST alike and
// reads its parameters from the query, a form or a JSON body (input.ts); every refusal is the
// envelope {"code","message"} with HTTP 200 (errors.ts), unknown paths 404 in the same envelope.
import { dialectRouter, type Route } from "../../http/router";
import { onError, PAASW_OWN, paaswErrorResponse } from "./errors";
import { tokenRoutes } from "./token";
import { sendRoutes } from "./send";
import { sendTemplateRoutes } from "./send-template";
import { deliverRoutes } from "./deliver";
import { smsUpRoutes } from "./sms-up";
import { queryRoutes } from "./query";
import { balanceRoutes } from "./balance";

const ROUTES: Route[] = [...tokenRoutes, ...sendRoutes, ...sendTemplateRoutes, ...deliverRoutes, ...smsUpRoutes, ...queryRoutes, ...balanceRoutes];

export const { router, docs } = dialectRouter(
  {
    name: "paasw",
    notFound: (req) => paaswErrorResponse(PAASW_OWN.notFound, `${req.method} ${new URL(req.url).pathname}`, 404),
    methodNotAllowed: (req, allowed) => {
      const res = paaswErrorResponse(PAASW_OWN.methodNotAllowed, `${req.method}; use ${allowed.join(" or ")}`, 405);
      res.headers.set("allow", allowed.join(", "));
      return res;
    },
    onError,
  },
  ROUTES,
);
