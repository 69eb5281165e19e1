// smsapi request bodies (src/dialects/smsapi/input.ts): the documented shape (40000), JSON or form,
// 413 past 2 MiB, 415 for other media types.
import { describe, expect, it } from "vitest";
import { mobile } from "../../helpers/fixtures";
import { written } from "../../helpers/faults";
import { setup, call, expectEnvelope, messageRows } from "./helpers";

describe("request bodies", () => {
  it("400 40000 for bodies that are not the documented shape", async () => {
    const s = await setup();
    expectEnvelope(await call(s, "POST", "industry", "{bad"), 400, 40000, /not valid JSON/);
    expectEnvelope(await call(s, "POST", "industry", "[]"), 400, 40000);
    expectEnvelope(await call(s, "POST", "industry", { content: "x" }), 400, 40000, /mobile/);
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: "" }), 400, 40000, /content/);
    expectEnvelope(await call(s, "POST", "personality", { smses: [], sendTime: 0 }), 400, 40000, /smses/);
    expectEnvelope(await call(s, "POST", "batch", { mobiles: " , ", content: "x", sendTime: 0 }), 400, 40005);
  });

  it("takes a form-encoded body too", async () => {
    const s = await setup();
    const m = mobile();
    const res = await call(s, "POST", "industry", new URLSearchParams({ mobile: m, content: `【${s.sign.name}】form` }).toString(), { headers: {
      "content-type": "application/x-www-form-urlencoded",
    } });
    expectEnvelope(res, 200, 0);
    expect((await messageRows(s.tenant.id))[0]!.mobile).toBe(`+86${m}`);
  });

  it("413 41300 past 2 MiB on every route, JSON or form; nothing written", async () => {
    const s = await setup();
    const pad = "x".repeat(2 * 1024 * 1024);
    const content = `【${s.sign.name}】x`;
    for (const path of ["industry", "personality", "batch", "cancel"]) {
      const res = await call(s, "POST", path, { mobile: mobile(), content, pad });
      expect(expectEnvelope(res, 413, 41300, /too large/)).toMatchObject({ data: null });
    }
    const form = new URLSearchParams({ mobile: mobile(), content, pad }).toString();
    expectEnvelope(await call(s, "POST", "industry", form, { headers: { "content-type": "application/x-www-form-urlencoded" } }), 413, 41300);
    // Unauthenticated: the key is checked before the body is read.
    expectEnvelope(await call(null, "POST", "industry", { mobile: mobile(), content, pad }), 401, 40100);
    expect((await written(s.tenant.id)).messages).toBe(0);
  });

  it("415 41500 for XML, multipart or another type; JSON with no type or text/plain is read", async () => {
    const s = await setup();
    const body = () => JSON.stringify({ mobile: mobile(), content: `【${s.sign.name}】x` });
    for (const type of ["application/xml", "multipart/form-data; boundary=x", "application/octet-stream"]) {
      const res = expectEnvelope(await call(s, "POST", "industry", body(), { headers: { "content-type": type } }), 415, 41500, /unsupported content type/);
      expect(res.data).toBeNull();
    }
    expect((await written(s.tenant.id)).messages).toBe(0);
    expectEnvelope(await call(s, "POST", "industry", body(), { headers: { "content-type": "text/plain" } }), 200, 0);
    // Bytes with the type dropped: the runtime adds none of its own, as a client that sets none.
    expectEnvelope(await call(s, "POST", "industry", new TextEncoder().encode(body()), { headers: { "content-type": null } }), 200, 0);
  });
});
