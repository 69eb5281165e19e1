// /simulator/v1: the carrier simulator's handset inbox and reply injection. (Delivery-engine issue.)
import { dialectRouter } from "../http/router";
import { json } from "../http/respond";
import type { RouteDoc } from "../openapi/registry";

export const router = dialectRouter("/simulator/v1", {
  name: "simulator",
  notFound: () => json({ error: { code: "not_found", message: "not found" } }, 404),
  methodNotAllowed: () => json({ error: { code: "method_not_allowed", message: "method not allowed" } }, 405),
  onError: () => json({ error: { code: "server_error", message: "server error" } }, 500),
});

export const docs: RouteDoc[] = [];
