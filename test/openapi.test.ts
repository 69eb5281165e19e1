// The published contract (issue 14): /openapi.json is loadable from another origin, names a defined
// security scheme on every operation (an empty list on public ones), has servers and an operationId
// per operation, and paasw's 200 answer admits its refusals. `npm test` also lints it with Redocly.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Doc = {
  servers?: Array<{ url: string }>;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, { operationId?: string; security?: Array<Record<string, string[]>>; responses: Record<string, any> }>>;
};

const load = async () => {
  const res = await exports.default.fetch("http://gw/openapi.json", { headers: { origin: "https://viewer.example" } });
  return { res, doc: (await res.json()) as Doc };
};

describe("/openapi.json", () => {
  it("answers CORS (GET and the preflight) so a viewer on another origin can load it", async () => {
    const { res } = await load();
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const pre = await exports.default.fetch("http://gw/openapi.json", {
      method: "OPTIONS",
      headers: { origin: "https://viewer.example", "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("has servers, a unique operationId per operation, and a defined security requirement (or none) on each", async () => {
    const { doc } = await load();
    expect(doc.servers?.length).toBeGreaterThan(0);
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ where: `${m} ${path}`, op })));
    const ids = ops.map((o) => o.op.operationId);
    expect(ids).not.toHaveLength(0);
    expect(ids.filter((id) => !(typeof id === "string" && /^[A-Za-z0-9]+$/.test(id)))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, op } of ops) {
      expect(op.security, where).toBeDefined();
      for (const req of op.security!) for (const name of Object.keys(req)) expect(doc.components.securitySchemes, `${where}: ${name}`).toHaveProperty(name);
    }
    expect(doc.paths["/webhooks/carriers/{carrier}"]!.post!.security).toEqual([{ carrierSecret: [] }]);
    expect(doc.paths["/api/token"]!.get!.security).toEqual([]);
  });

  it("paasw's 200 answer is the success shape or a refusal {code, message}", async () => {
    const { doc } = await load();
    const schema = doc.paths["/sms/send"]!.post!.responses["200"].content["application/json"].schema;
    expect(schema.anyOf ?? schema.oneOf).toHaveLength(2);
    const refusal = (schema.anyOf ?? schema.oneOf).find((s: any) => s.properties?.code?.type === "string" && !("const" in s.properties.code));
    expect(refusal).toMatchObject({ required: ["code", "message"] });
  });
});
