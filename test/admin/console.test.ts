// The console's files through the real Worker and its static-assets binding: where / leads, the
// security headers on every console response, and that the operator API still answers beside it.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const get = (path: string, init: RequestInit = {}) => exports.default.fetch(`http://gw${path}`, { redirect: "manual", ...init });

function expectConsoleHeaders(res: Response) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
}

describe("console", () => {
  it("GET / and /console redirect to /console/", async () => {
    for (const path of ["/", "/console"]) {
      const res = await get(path);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/console/");
      expectConsoleHeaders(res);
    }
  });

  it("serves the page, its modules and the charting library with the headers", async () => {
    const page = await get("/console/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="app.js"></script>');
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    expectConsoleHeaders(page);
    for (const path of ["/console/app.js", "/console/pages/overview.js", "/console/vendor/uPlot.iife.min.js", "/console/console.css"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expectConsoleHeaders(res);
      await res.arrayBuffer();
    }
    expect((await get("/console/app.js")).headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers 404 for a file that is not there and 405 for writes", async () => {
    const missing = await get("/console/nope.js");
    expect(missing.status).toBe(404);
    expectConsoleHeaders(missing);
    await missing.arrayBuffer();
    const post = await get("/console/", { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("documents the endpoints the console added in /openapi.json", async () => {
    const doc = (await (await get("/openapi.json")).json()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    for (const path of ["/admin/v1/stats", "/admin/v1/metrics", "/admin/v1/review-queue", "/admin/v1/tenants/{id}/messages/{messageId}/timeline"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    const params = (doc.paths["/admin/v1/stats"]!.get!.parameters ?? []).map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(["from", "to", "bucket", "utc_offset", "group_by", "tenant", "carrier", "country"]));
  });

  it("leaves the APIs where they were", async () => {
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/admin/v1/tenants")).status).toBe(401);
    const other = await get("/nothing-here");
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
