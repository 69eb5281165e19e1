import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("health and discovery", () => {
  it("GET /healthz answers without touching storage", async () => {
    const res = await exports.default.fetch("http://gw/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("an unknown top-level path is a JSON 404", async () => {
    const res = await exports.default.fetch("http://gw/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("GET /openapi.json is an OpenAPI 3.1 document", async () => {
    const res = await exports.default.fetch("http://gw/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
  });
});
