// src/http/router.ts: every API is built from its route declarations, so each router registers
// exactly the routes it documents, once, and /openapi.json publishes every one of them.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DialectKit } from "../../src/http/router";
import * as admin from "../../src/admin/router";
import * as jpush from "../../src/dialects/jpush/router";
import * as paasw from "../../src/dialects/paasw/router";
import * as huawei from "../../src/dialects/huawei/router";
import * as smsapi from "../../src/dialects/smsapi/router";
import * as carriers from "../../src/carriers/callbacks";
import * as simulator from "../../src/simulator/router";

const KITS: Record<string, DialectKit> = { admin, jpush, paasw, huawei, smsapi, carriers, simulator };

const ittyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

describe("every router", () => {
  it.each(Object.keys(KITS))("%s registers exactly the routes it documents, each once", (name) => {
    const { router, docs } = KITS[name]!;
    const registered = router.routes.filter(([method]) => method !== "ALL").map(([method, , , path]) => `${method} ${path}`);
    const documented = docs.map((d) => `${d.method.toUpperCase()} ${ittyPath(d.path)}`);
    expect(documented.length).toBeGreaterThan(0);
    expect(registered.sort()).toEqual([...documented].sort());
    expect(documented.filter((d, i) => documented.indexOf(d) !== i)).toEqual([]);
  });

  it("/openapi.json publishes every documented route of every router", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const missing = Object.values(KITS)
      .flatMap((k) => k.docs)
      .filter((d) => doc.paths[d.path]?.[d.method] === undefined)
      .map((d) => `${d.method} ${d.path}`);
    expect(missing).toEqual([]);
  });
});
