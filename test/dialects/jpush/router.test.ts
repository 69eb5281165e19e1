// router.ts: every method and path the JPush router registers is documented in /openapi.json, once,
// and nothing documented is left unregistered (each route is declared once, with its doc).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { docs, router } from "../../../src/dialects/jpush/router";
import type { Json } from "./helpers";

const ittyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

describe("JPush router", () => {
  it("registers exactly the documented routes", () => {
    const registered = router.routes.filter(([method]) => method !== "ALL").map(([method, , , path]) => `${method} ${path}`);
    const documented = docs.map((d) => `${d.method.toUpperCase()} ${ittyPath(d.path)}`);
    expect(registered.sort()).toEqual(documented.sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it("/openapi.json has every documented route of the dialect with Basic auth", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    const missing = docs.filter((d) => doc.paths[d.path]?.[d.method]?.security?.[0]?.jpushBasic === undefined).map((d) => `${d.method} ${d.path}`);
    expect(missing).toEqual([]);
    expect(docs).toHaveLength(24);
  });
});
