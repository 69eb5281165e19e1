// The smsapi router (src/dialects/smsapi/router.ts): unknown paths and wrong methods in the envelope,
// and /openapi.json documenting every route.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setup, call, expectEnvelope, type Json } from "./helpers";

describe("unknown paths and methods", () => {
  it("404 40400 and 405 40500 (with Allow) in the envelope", async () => {
    const s = await setup();
    expectEnvelope(await call(s, "POST", "nope", {}), 404, 40400);
    const get = await call(null, "GET", "batch");
    expect(get.headers.get("allow")).toBe("POST");
    expectEnvelope(get, 405, 40500);
  });
});

describe("documentation", () => {
  it("/openapi.json lists the four routes with the bearer scheme", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    for (const p of ["industry", "personality", "batch", "cancel"]) {
      expect(doc.paths[`/smsapi/v1/sms/${p}`].post.security).toEqual([{ smsapiBearer: [] }]);
    }
    expect(JSON.stringify(doc.paths["/smsapi/v1/sms/batch"].post.requestBody)).toContain("sendTime");
  });

  it("every method and path the router registers is documented, and each answers in the envelope (not the 404)", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    const documented = Object.entries(doc.paths as Json)
      .filter(([path]) => path.startsWith("/smsapi/"))
      .flatMap(([path, methods]) => Object.keys(methods as Json).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual([
      "GET /smsapi/v1/sms/status",
      "POST /smsapi/v1/sms/batch",
      "POST /smsapi/v1/sms/cancel",
      "POST /smsapi/v1/sms/industry",
      "POST /smsapi/v1/sms/personality",
      "POST /smsapi/v1/sms/status",
    ]);
    // Without a key every registered route refuses with 40100: a route registered but not documented
    // (or documented but not registered) would show here as 40400 / 40500.
    for (const op of documented) {
      const [method, path] = op.split(" ") as ["GET" | "POST", string];
      expectEnvelope(await call(null, method, path, method === "POST" ? {} : undefined), 401, 40100);
    }
  });
});
