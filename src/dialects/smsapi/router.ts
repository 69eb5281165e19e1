// The smsapi v1 dialect's routes, each declared once with its documentation; every answer,
// refusals included, is the {code, message, data} envelope.
import { dialectRouter, type Route } from "../../http/router";
import { onError, refuse, SMSAPI_OWN } from "./errors";
import { industryRoute } from "./industry";
import { personalityRoute } from "./personality";
import { batchRoute } from "./batch";
import { cancelRoute } from "./cancel";
import { statusRoutes } from "./status";

const ROUTES: Route[] = [industryRoute, personalityRoute, batchRoute, cancelRoute, ...statusRoutes];

export const { router, docs } = dialectRouter(
  {
    name: "smsapi",
    notFound: (req) => refuse(SMSAPI_OWN.notFound, `no route for ${req.method} ${new URL(req.url).pathname}`).response,
    methodNotAllowed: (req, allowed) =>
      refuse(SMSAPI_OWN.methodNotAllowed, `method ${req.method} is not allowed; use ${allowed.join(", ")}`, null, { allow: allowed.join(", ") }).response,
    onError,
  },
  ROUTES,
);
