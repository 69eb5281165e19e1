// The paasw dialect's routes. (Filled in by its issue; until then every path answers 404.)
import { dialectRouter } from "../../http/router";
import { json } from "../../http/respond";
import type { RouteDoc } from "../../openapi/registry";

export const router = dialectRouter("", {
  name: "paasw",
  notFound: () => json({ error: "not found" }, 404),
  methodNotAllowed: () => json({ error: "method not allowed" }, 405),
  onError: () => json({ error: "server error" }, 500),
});

export const docs: RouteDoc[] = [];
