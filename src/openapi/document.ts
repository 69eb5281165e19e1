// Builds the OpenAPI 3.1 document from every module's RouteDoc list.
import { z } from "zod";
import type { RouteDoc } from "./registry";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: "any", io: "input" });

/** A stable operationId from method and path: POST /v1/codes/{msg_id}/valid → postV1CodesByMsgIdValid. */
export function operationId(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .flatMap((seg) => {
      const param = /^\{(\w+)\}$/.exec(seg);
      return (param ? ["by", ...param[1]!.split(/[_-]/)] : seg.split(/[^A-Za-z0-9]+/)).filter(Boolean);
    });
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

export function openApiDocument(routes: RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Set<string>();
  for (const r of routes) {
    let id = operationId(r.method, r.path);
    for (let n = 2; ids.has(id); n++) id = `${operationId(r.method, r.path)}${n}`;
    ids.add(id);
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (r.query) {
      const q = schema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) {
        params.push({ name, in: "query", required: (q.required ?? []).includes(name), schema: s as { type: string } });
      }
    }
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: {
        description: "Success",
        ...(r.response ? { content: { "application/json": { schema: schema(r.response) } } } : {}),
      },
    };
    for (const [status, description] of Object.entries(r.errors ?? {})) responses[status] = { description };
    (paths[r.path] ??= {})[r.method] = {
      operationId: id,
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries((r.contentTypes ?? ["application/json"]).map((t) => [t, { schema: schema(r.body!) }])),
            },
          }
        : {}),
      // A public operation says so: no credential (the simulator, /api/token, the health check).
      security: r.security ? [{ [r.security]: [] }] : [],
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "edgesms",
      version: "1.0.0",
      description:
        "SMS gateway on Cloudflare Workers speaking four vendor dialects: JPush SMS v1, paasw gateway v1, Huawei SMN SMS v2 and smsapi v1, plus the operator API. " +
        "The paths below are the root mounts. Each dialect is also served under its own prefix (/jpush, /paasw, /huawei; smsapi's paths already start with /smsapi) " +
        "and at the root of the host names DIALECT_HOSTS assigns it; there every path is that dialect's (its own 404/405).",
    },
    // Relative: the document describes the origin that serves it (npm start: http://localhost:8787).
    servers: [{ url: "/", description: "the origin serving this document" }],
    components: {
      securitySchemes: {
        adminBearer: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN (operator API)" },
        jpushBasic: { type: "http", scheme: "basic", description: "base64(appKey:masterSecret)" },
        paaswToken: { type: "apiKey", in: "query", name: "token", description: "token from GET /api/token" },
        huaweiToken: {
          type: "apiKey",
          in: "header",
          name: "X-Auth-Token",
          description: "token from POST /v3/auth/tokens; or instead an AK/SK signature: Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=… with X-Sdk-Date (docs/huawei.md)",
        },
        smsapiBearer: { type: "http", scheme: "bearer", description: "smsapi API key" },
        carrierSecret: { type: "apiKey", in: "header", name: "X-Carrier-Secret" },
      },
    },
    paths,
  };
}
