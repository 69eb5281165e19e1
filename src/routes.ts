// Which router owns which path. Each dialect answers its own "not found" inside its prefix.
import { json, logFault } from "./http/respond";
import { dialectOfHost, dialectOfPrefix, unmount, withoutMountHeader, type MountedDialect } from "./http/mounts";
import type { DialectRouter } from "./http/router";
import { router as admin, docs as adminDocs } from "./admin/router";
import { router as jpush, docs as jpushDocs } from "./dialects/jpush/router";
import { router as paasw, docs as paaswDocs } from "./dialects/paasw/router";
import { router as huawei, docs as huaweiDocs } from "./dialects/huawei/router";
import { router as smsapi, docs as smsapiDocs } from "./dialects/smsapi/router";
import { router as carrierCallbacks, docs as carrierDocs } from "./carriers/callbacks";
import { router as simulator, docs as simulatorDocs } from "./simulator/router";
import { openApiDocument } from "./openapi/document";
import { serveConsole } from "./admin/console";
import { simulatorEnabled } from "./carriers/config";

const MOUNTS: Array<[prefix: string, router: DialectRouter]> = [
  ["/admin/", admin],
  ["/v1/", jpush],
  ["/api/token", paasw],
  ["/sms/", paasw],
  ["/v2/", huawei],
  ["/v3/", huawei],
  ["/smsapi/", smsapi],
  ["/webhooks/carriers/", carrierCallbacks],
];

/** Each dialect's router for its own prefix (/jpush, /paasw, /huawei, /smsapi) and host (DIALECT_HOSTS). */
const DIALECT_ROUTERS: Record<MountedDialect, DialectRouter> = { jpush, paasw, huawei, smsapi };

let openapi: string | null = null;

export async function route(incoming: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const req = withoutMountHeader(incoming);
  const url = new URL(req.url);
  const path = url.pathname;
  if (path === "/healthz") return json({ ok: true });
  let hostDialect: MountedDialect | null;
  try {
    hostDialect = dialectOfHost(env, url.hostname);
  } catch (e) {
    logFault("routes", req, e);
    return json({ error: { code: "server_error", message: "server error" } }, 500);
  }
  // A dialect's own host serves that dialect at the root, every path included.
  if (hostDialect) return DIALECT_ROUTERS[hostDialect].fetch(req, env, ctx);
  if (path === "/openapi.json") {
    // A browser viewer on another origin may load the document (it holds nothing secret).
    const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-max-age": "86400" };
    if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: { ...cors, "access-control-allow-headers": req.headers.get("access-control-request-headers") ?? "*" } });
    openapi ??= JSON.stringify(
      openApiDocument([...adminDocs, ...jpushDocs, ...paaswDocs, ...huaweiDocs, ...smsapiDocs, ...carrierDocs, ...simulatorDocs]),
    );
    return new Response(openapi, { headers: { "content-type": "application/json;charset=utf-8", ...cors } });
  }
  if (path === "/" || path === "/console" || path.startsWith("/console/")) return serveConsole(req, env);
  if (path.startsWith("/simulator/") && simulatorEnabled(env)) return simulator.fetch(req, env, ctx);
  const prefixed = dialectOfPrefix(path);
  if (prefixed) return DIALECT_ROUTERS[prefixed].fetch(unmount(req, prefixed), env, ctx);
  for (const [prefix, router] of MOUNTS) {
    if (path.startsWith(prefix)) return router.fetch(req, env, ctx);
  }
  return json({ error: { code: "not_found", message: `no route for ${req.method} ${path}` } }, 404);
}
