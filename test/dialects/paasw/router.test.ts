// The paasw router registers exactly what it documents: every method/path it answers is in its docs
// and in /openapi.json (GET and POST of each of the seven endpoints, as the vendor serves them), and
// a path or method it does not know gets the dialect's envelope.
import { describe, expect, it } from "vitest";
import { docs, router } from "../../../src/dialects/paasw/router";
import { call, setup } from "./helpers";

const PATHS = ["/api/token", "/sms/send", "/sms/sendTemplate", "/sms/deliver", "/sms/smsUp", "/sms/query", "/sms/balance"];
const expected = PATHS.flatMap((p) => [`GET ${p}`, `POST ${p}`]).sort();

describe("paasw routes", () => {
  it("registers exactly the documented method/path pairs: GET and POST of each endpoint", () => {
    const registered = router.routes.filter(([method]) => method !== "ALL").map(([method, , , path]) => `${method} ${path}`);
    const documented = docs.map((d) => `${d.method.toUpperCase()} ${d.path}`);
    expect(registered.sort()).toEqual(expected);
    expect(documented.sort()).toEqual(expected);
  });

  it("/openapi.json has all 14 operations, the token one without security", async () => {
    const doc = (await call(null, "GET", "/openapi.json")).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const listed = PATHS.flatMap((p) => Object.keys(doc.paths[p] ?? {}).map((m) => `${m.toUpperCase()} ${p}`));
    expect(listed.sort()).toEqual(expected);
    expect(doc.paths["/api/token"]!.post!.security).toEqual([]);
    expect(doc.paths["/sms/send"]!.get!.security).toEqual([{ paaswToken: [] }]);
  });

  it("an unknown path is 404 and another method 405 (with Allow), in the {code, message} envelope, at the root and under /paasw", async () => {
    const s = await setup();
    for (const base of ["", "/paasw"]) {
      const missing = await call(s, "GET", `${base}/sms/nothing`);
      expect(missing).toMatchObject({ status: 404, body: { code: "90404", message: expect.stringContaining("/sms/nothing") } });
      expect(Object.keys(missing.body).sort()).toEqual(["code", "message"]);
      const put = await call(null, "PUT", `${base}/sms/send`, {}, { form: "query", headers: {} });
      expect({ status: put.status, allow: put.headers.get("allow"), body: put.body }).toEqual({
        status: 405,
        allow: "GET, POST",
        body: { code: "90405", message: expect.stringContaining("PUT") },
      });
    }
  });
});
