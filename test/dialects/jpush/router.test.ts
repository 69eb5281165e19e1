// router.ts: the JPush router's 24 routes are in /openapi.json with Basic auth (that each router
// registers exactly what it documents is test/http/router.test.ts).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { docs } from "../../../src/dialects/jpush/router";
import type { Json } from "./helpers";

describe("JPush router", () => {
  it("/openapi.json has every documented route of the dialect with Basic auth", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    const missing = docs.filter((d) => doc.paths[d.path]?.[d.method]?.security?.[0]?.jpushBasic === undefined).map((d) => `${d.method} ${d.path}`);
    expect(missing).toEqual([]);
    expect(docs).toHaveLength(24);
  });
});
