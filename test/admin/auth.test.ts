// Every operator route is behind ADMIN_TOKEN: missing or wrong bearer → 401, before any lookup.
import { describe, expect, it } from "vitest";
import { docs } from "../../src/admin/router";
import { admin } from "./helpers";

const concrete = (path: string) => path.replace("/admin/v1", "").replace(/\{(\w+)\}/g, (_, n: string) => (n === "sid" || n === "tid" ? "1" : `x-${n}`));

describe("admin authentication", () => {
  it("documents every route with the admin bearer scheme", () => {
    expect(docs.length).toBeGreaterThanOrEqual(29);
    expect(docs).not.toHaveLength(0);
    expect(docs.filter((d) => !(d.security === "adminBearer" && d.tag === "admin"))).toEqual([]);
  });

  it.each(docs.map((d) => [d.method.toUpperCase(), d.path] as const))("%s %s: missing token → 401, wrong token → 401", async (method, path) => {
    const body = method === "GET" || method === "DELETE" ? undefined : {};
    const missing = await admin(method, concrete(path), body, null);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    const wrong = await admin(method, concrete(path), body, "test-admin-token-not");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("unauthorized");
  });

  it("refuses a non-Bearer scheme and an empty bearer", async () => {
    for (const authorization of ["Basic dGVzdC1hZG1pbi10b2tlbg==", "Bearer ", "test-admin-token"]) {
      const { exports } = await import("cloudflare:workers");
      const res = await exports.default.fetch("http://gw/admin/v1/tenants", { headers: { authorization } });
      expect(res.status).toBe(401);
    }
  });

  it("unknown paths are 401 without a token and 404 with it; a wrong method is 405", async () => {
    expect((await admin("GET", "/nope", undefined, null)).status).toBe(401);
    const nf = await admin("GET", "/nope");
    expect(nf.status).toBe(404);
    expect(nf.body.error.code).toBe("not_found");
    const mna = await admin("DELETE", "/tenants");
    expect(mna.status).toBe(405);
    expect(mna.body.error.code).toBe("method_not_allowed");
  });

  it("the routes are in /openapi.json", async () => {
    const { exports } = await import("cloudflare:workers");
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const d of docs) expect(doc.paths[d.path]?.[d.method], `${d.method} ${d.path}`).toBeDefined();
  });
});
