// /admin/v1: the operator API. Registers every endpoint behind the ADMIN_TOKEN check, with the
// operator's own 404/405/error shapes; each route's doc comes from the schemas that validate it.
import { dialectRouter, type Route } from "../http/router";
import { errorResponse, onAdminError, requireAdmin } from "./http";
import { createTenantRoute } from "./tenants/create";
import { getTenantRoute, listTenantsRoute } from "./tenants/read";
import { updateTenantRoute } from "./tenants/update";
import { rotateWebhookSecretRoute } from "./tenants/webhook-secret";
import { changeBalanceRoute, listLedgerRoute } from "./tenants/balance";
import { getPricesRoute, putPricesRoute } from "./tenants/prices";
import { createAppRoute } from "./apps/create";
import { getAppRoute, listAppsRoute } from "./apps/read";
import { updateAppRoute } from "./apps/update";
import { rotateAppRoute } from "./apps/rotate";
import { createAccessKeyRoute, deleteAccessKeyRoute, listAccessKeysRoute } from "./apps/access-keys";
import { createSignatureRoute, getSignatureRoute, listSignaturesRoute, reviewSignatureRoute } from "./signatures";
import { createTemplateRoute, getTemplateRoute, listTemplatesRoute, reviewTemplateRoute } from "./templates";
import { getMessageRoute, listBatchMessagesRoute, listMessagesRoute } from "./messages";
import { addOptOutRoute, deleteOptOutRoute, getOptOutRoute, listOptOutsRoute } from "./opt-outs";
import { listDeadLettersRoute, listDeliveriesRoute } from "./deliveries";
import { statsRoute } from "./stats";
import { metricsRoute } from "./metrics";
import { messageTimelineRoute } from "./timeline";
import { reviewQueueRoute } from "./review-queue";
import { carrierStatusRoute, createCarrierRoute, deleteCarrierRoute, getCarrierRoute, listCarriersRoute, updateCarrierRoute } from "./carriers";
import { listCarrierTemplatesRoute, putCarrierTemplatesRoute } from "./carrier-templates";
import { getRoutesRoute, putRoutesRoute } from "./carrier-routes";

const ROUTES: Route[] = [
  createTenantRoute, listTenantsRoute, getTenantRoute, updateTenantRoute, rotateWebhookSecretRoute,
  changeBalanceRoute, listLedgerRoute, getPricesRoute, putPricesRoute,
  createAppRoute, listAppsRoute, getAppRoute, updateAppRoute, rotateAppRoute,
  createAccessKeyRoute, listAccessKeysRoute, deleteAccessKeyRoute,
  createSignatureRoute, listSignaturesRoute, getSignatureRoute, reviewSignatureRoute,
  createTemplateRoute, listTemplatesRoute, getTemplateRoute, reviewTemplateRoute,
  getMessageRoute, listBatchMessagesRoute, listMessagesRoute,
  listOptOutsRoute, getOptOutRoute, addOptOutRoute, deleteOptOutRoute,
  listDeliveriesRoute, listDeadLettersRoute,
  statsRoute, metricsRoute, messageTimelineRoute, reviewQueueRoute,
  createCarrierRoute, listCarriersRoute, getCarrierRoute, updateCarrierRoute, deleteCarrierRoute, carrierStatusRoute,
  listCarrierTemplatesRoute, putCarrierTemplatesRoute,
  getRoutesRoute, putRoutesRoute,
];

// Every path, known or not, is behind the token: an unauthenticated caller learns nothing.
export const { router, docs } = dialectRouter(
  {
    name: "admin",
    notFound: (req) => errorResponse(404, "not_found", `no route for ${req.method} ${new URL(req.url).pathname}`),
    methodNotAllowed: (_req, allowed) => errorResponse(405, "method_not_allowed", `allowed: ${allowed.join(", ")}`),
    onError: onAdminError,
  },
  ROUTES,
  requireAdmin,
);
