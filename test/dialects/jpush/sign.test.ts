// /v1/sign: create pending from the Java, PHP, C# and curl multipart shapes, read with JPush's
// status numbers, change (back to review), delete with an empty 200, image sniffing and caps,
// every signature error code, tenant isolation, and the stored image read back from D1.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getSignatureImage } from "../../../src/store/signatures";
import { makeCredential, makeSignature, makeTemplate, makeTenant } from "../../helpers/fixtures";
import { tenantDb } from "../../../src/store/db";
import { admin } from "../../admin/helpers";
import { basic, call, err } from "./helpers";

// What cn.jsms.api.common.SMSClient#doPostSign writes, byte for byte.
const JAVA_BOUNDARY = "========7d4a6d158c9";
const JAVA_CONTENT_TYPE = `multipart/form-data ; boundary=${JAVA_BOUNDARY}`;

const enc = new TextEncoder();
const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
};

function javaBody(params: Record<string, string | number>, files: Record<string, Uint8Array> = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let text = "";
  for (const [k, v] of Object.entries(params)) text += `--${JAVA_BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`;
  chunks.push(enc.encode(text));
  for (const [filename, bytes] of Object.entries(files)) {
    chunks.push(enc.encode(`--${JAVA_BOUNDARY}\r\nContent-Disposition: form-data; name="images"; filename="${filename}"\r\nContent-Type:application/octet-stream\r\n\r\n`));
    chunks.push(bytes);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${JAVA_BOUNDARY}--\r\n`));
  return concat(chunks);
}

const bytes = (...b: number[]) => new Uint8Array(b);
const pad = (head: Uint8Array, size = 64): Uint8Array => concat([head, new Uint8Array(Math.max(0, size - head.byteLength)).fill(7)]);
const PNG = pad(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52));
const JPEG = pad(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46));
const GIF = pad(enc.encode("GIF89a"));
const BMP = pad(enc.encode("BM"));
const PDF = pad(enc.encode("%PDF-1.4\n"));

/** A tenant with a jpush app and nothing else: `call`'s `s`. */
async function client() {
  const tenant = await makeTenant({ balance: 1000 });
  const cred = await makeCredential(tenant, "jpush");
  return { tenant, auth: basic(cred.app.key, cred.secret) };
}

const row = (id: number) =>
  env.DB.prepare("SELECT name, type, remark, image_type, length(image) AS image_size, status, deleted FROM signatures WHERE id = ?1").bind(id).first();

/** `call`'s options for a body as the Java SDK sends it (see `javaBody`). */
const JAVA = { headers: { "content-type": JAVA_CONTENT_TYPE, charset: "utf-8" } };

/** The verdict comes from the operator API, as it would in production. */
async function review(s: { tenant: { id: string } }, id: number, status: "approved" | "rejected", note?: string) {
  expect((await admin("POST", `/tenants/${s.tenant.id}/signatures/${id}/review`, { status, note })).status).toBe(200);
}
const approve = (s: { tenant: { id: string } }, id: number) => review(s, id, "approved");

describe("JPush signatures", () => {
  it("create from the Java SDK's exact multipart body, pending, with the image stored", async () => {
    const s = await client();
    const created = await call(s, "POST", "/v1/sign", javaBody({ sign: "边缘快递", remark: "物流通知", type: 1 }, { "license.png": PNG }), JAVA);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ sign_id: expect.any(Number) });
    const id = created.body.sign_id as number;

    const info = await call(s, "GET", `/v1/sign/${id}`);
    expect(info.status).toBe(200);
    expect({ ...info.body, sign_id: "<id>" }).toMatchInlineSnapshot(`
      {
        "is_default": 0,
        "sign": "边缘快递",
        "sign_id": "<id>",
        "status": 0,
        "use_status": 0,
      }
    `);
    expect(await row(id)).toEqual({ name: "边缘快递", type: 1, remark: "物流通知", image_type: "image/png", image_size: PNG.byteLength, status: "pending", deleted: 0 });
    const stored = await getSignatureImage(tenantDb(env, s.tenant.id), id);
    expect(stored?.type).toBe("image/png");
    expect(new Uint8Array(stored!.image)).toEqual(PNG);
  });

  it("accepts curl -F, the PHP SDK (POST /v1/sign/ with image0…image3) and the C# SDK (parts without a name)", async () => {
    const curl = await client();
    const form = new FormData();
    form.append("sign", "卷曲科技");
    form.append("type", "7");
    form.append("image0", new File([JPEG], "a.jpg", { type: "image/jpeg" }));
    const a = await call(curl, "POST", "/v1/sign", form);
    expect(a.status).toBe(200);
    expect(await row(a.body.sign_id as number)).toMatchObject({ name: "卷曲科技", type: 7, image_type: "image/jpeg" });

    const php = await client();
    const phpForm = new FormData();
    phpForm.append("sign", "拍黑品牌");
    phpForm.append("image0", new File([GIF], "g.gif"));
    phpForm.append("image1", new File([BMP], "b.bmp"));
    const b = await call(php, "POST", "/v1/sign/", phpForm);
    expect(b.status).toBe(200);
    // One image column: the first image is the one kept for review.
    expect(await row(b.body.sign_id as number)).toMatchObject({ name: "拍黑品牌", type: 1, image_type: "image/gif", image_size: GIF.byteLength });

    const cs = await client();
    const boundary = "c8a9e1f2-7b1d-4c3e-9a55-1f00b2c3d4e5";
    const body = concat([
      enc.encode(`--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data\r\n\r\n西夏尔普\r\n`),
      enc.encode(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\n`),
      BMP,
      enc.encode(`\r\n--${boundary}--\r\n`),
    ]);
    const c = await call(cs, "POST", "/v1/sign", body, { headers: { "content-type": `multipart/form-data; boundary="${boundary}"` } });
    expect(c.status).toBe(200);
    expect(await row(c.body.sign_id as number)).toMatchObject({ name: "西夏尔普", image_type: "image/bmp" });
  });

  it("update sends the signature back to review; fields not sent stay, a new image replaces the old", async () => {
    const s = await client();
    const id = (await call(s, "POST", "/v1/sign", javaBody({ sign: "旧名字", remark: "备注", type: 3 }, { "a.png": PNG }), JAVA)).body.sign_id as number;
    await approve(s, id);
    expect((await call(s, "GET", `/v1/sign/${id}`)).body).toMatchObject({ status: 1 });

    const changed = await call(s, "POST", `/v1/sign/${id}`, javaBody({ sign: "新名字" }), JAVA);
    expect([changed.status, changed.body]).toEqual([200, { sign_id: id }]);
    expect((await call(s, "GET", `/v1/sign/${id}`)).body).toMatchObject({ sign: "新名字", status: 0 });
    expect(await row(id)).toMatchObject({ name: "新名字", type: 3, remark: "备注", image_type: "image/png" });

    await review(s, id, "rejected", "blurry");
    expect((await call(s, "GET", `/v1/sign/${id}`)).body).toMatchObject({ status: 2 });
    // PUT, as JPush's English document writes it.
    const put = await call(s, "PUT", `/v1/sign/${id}`, javaBody({ sign: "新名字", type: 6, remark: "商标" }, { "tm.jpg": JPEG }), JAVA);
    expect(put.status).toBe(200);
    expect(await row(id)).toMatchObject({ type: 6, remark: "商标", image_type: "image/jpeg", image_size: JPEG.byteLength, status: "pending" });
  });

  it("delete: refused while a template or an app's default uses it, then 200 with an empty body, then unknown", async () => {
    const s = await client();
    const id = (await call(s, "POST", "/v1/sign", javaBody({ sign: "待删签名", type: 1 }), JAVA)).body.sign_id as number;
    await approve(s, id);
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "通知{{x}}", signatureId: id });
    expect((await call(s, "GET", `/v1/sign/${id}`)).body).toMatchObject({ use_status: 1, is_default: 0 });
    const refused = await call(s, "DELETE", `/v1/sign/${id}`);
    expect(refused).toEqual({ status: 403, body: err(50105) });
    expect(refused.body).toEqual({
      error: { code: 50105, message: `default signature cannot be deleted: signature ${id} is used by 1 template(s); delete or change them first` },
    });

    await env.DB.prepare("UPDATE templates SET deleted = 1 WHERE id = ?1").bind(tpl).run();
    const other = await makeCredential(s.tenant, "jpush", { defaultSignatureId: id });
    const asDefault = await call(s, "DELETE", `/v1/sign/${id}`);
    expect(asDefault).toEqual({ status: 403, body: err(50105) });
    const seenByOther = await call({ auth: basic(other.app.key, other.secret) }, "GET", `/v1/sign/${id}`);
    expect(seenByOther.body).toMatchObject({ is_default: 1, use_status: 1 });

    await env.DB.prepare("UPDATE apps SET default_signature_id = NULL WHERE id = ?1").bind(other.app.id).run();
    const deleted = await call(s, "DELETE", `/v1/sign/${id}`);
    expect(deleted).toEqual({ status: 200, body: "" });
    expect(deleted.headers.get("content-type")).toBe("application/json");
    for (const method of ["GET", "DELETE"]) {
      const res = await call(s, method, `/v1/sign/${id}`);
      expect(res).toEqual({ status: 403, body: err(50102) });
    }
    const update = await call(s, "POST", `/v1/sign/${id}`, javaBody({ sign: "复活" }), JAVA);
    expect(update).toEqual({ status: 403, body: err(50102) });
    // The name is free again.
    expect((await call(s, "POST", "/v1/sign", javaBody({ sign: "待删签名" }), JAVA)).status).toBe(200);
  });

  it("another tenant's sign_id is unknown everywhere", async () => {
    const a = await client();
    const b = await client();
    const id = (await call(a, "POST", "/v1/sign", javaBody({ sign: "甲方签名", type: 1 }), JAVA)).body.sign_id as number;
    for (const res of [
      await call(b, "GET", `/v1/sign/${id}`),
      await call(b, "POST", `/v1/sign/${id}`, javaBody({ sign: "乙方改名" }), JAVA),
      await call(b, "DELETE", `/v1/sign/${id}`),
    ]) {
      expect(res).toEqual({ status: 403, body: err(50102) });
    }
    expect(await row(id)).toMatchObject({ name: "甲方签名", deleted: 0 });
  });

  it("refuses images that are not JPEG/PNG/GIF/BMP, too large, too many, and a body over the cap", async () => {
    const s = await client();
    const cases: Array<[Record<string, Uint8Array>, RegExp]> = [
      [{ "x.pdf": PDF }, /image 1 \(x\.pdf\) is not a JPEG, PNG, GIF or BMP image/],
      [{ "a.png": PNG, "b.exe": pad(bytes(0x4d, 0x5a)) }, /image 2 \(b\.exe\)/],
      [{ "big.png": pad(PNG, 1024 * 1024 + 1) }, /larger than 1 MiB/],
      [{ "1.png": PNG, "2.png": PNG, "3.png": PNG, "4.png": PNG, "5.png": PNG }, /at most 4 images, got 5/],
      [{ "1.png": pad(PNG, 1024 * 1024), "2.png": pad(PNG, 1024 * 1024), "3.png": pad(PNG, 1024 * 1024), "4.png": pad(PNG, 1024 * 1024), "5.png": pad(PNG, 200_000) }, /the body is larger than/],
    ];
    for (const [files, message] of cases) {
      const res = await call(s, "POST", "/v1/sign", javaBody({ sign: "图片检查", type: 1 }, files), JAVA);
      expect(res).toEqual({ status: 403, body: err(50101) });
      expect((res.body.error as { message: string }).message).toMatch(message);
    }
    // Exactly 1 MiB is fine.
    expect((await call(s, "POST", "/v1/sign", javaBody({ sign: "图片检查", type: 1 }, { "ok.png": pad(PNG, 1024 * 1024) }), JAVA)).status).toBe(200);
  });

  it("50103 while another signature is under review; a reviewed one frees the queue", async () => {
    const s = await client();
    const first = (await call(s, "POST", "/v1/sign", javaBody({ sign: "第一个" }), JAVA)).body.sign_id as number;
    const second = await call(s, "POST", "/v1/sign", javaBody({ sign: "第二个" }), JAVA);
    expect(second).toEqual({ status: 403, body: err(50103) });
    // The pending one itself may still change.
    expect((await call(s, "POST", `/v1/sign/${first}`, javaBody({ sign: "第一个改" }), JAVA)).status).toBe(200);
    await approve(s, first);
    const next = (await call(s, "POST", "/v1/sign", javaBody({ sign: "第二个" }), JAVA)).body.sign_id as number;
    const blocked = await call(s, "POST", `/v1/sign/${first}`, javaBody({ sign: "第一个再改" }), JAVA);
    expect(blocked).toEqual({ status: 403, body: err(50103) });
    expect(next).toBeGreaterThan(first);
  });

  it.each([
    ["no sign", { type: 1 }, 50104],
    ["an empty sign", { sign: "  ", type: 1 }, 50104],
    ["a one-character sign", { sign: "极", type: 1 }, 50104],
    ["a 21-character sign", { sign: "长".repeat(21), type: 1 }, 50104],
    ["【】 in the sign", { sign: "【极光】", type: 1 }, 50104],
    ["type 0", { sign: "类型检查", type: 0 }, 50007],
    ["type 8", { sign: "类型检查", type: 8 }, 50007],
    ["type 1.5", { sign: "类型检查", type: "1.5" }, 50007],
    ["type abc", { sign: "类型检查", type: "abc" }, 50007],
    ["a 101-character remark", { sign: "备注检查", type: 1, remark: "r".repeat(101) }, 50045],
  ])("refuses %s", async (_, params, code) => {
    const s = await client();
    const res = await call(s, "POST", "/v1/sign", javaBody(params), JAVA);
    expect(res).toEqual({ status: 403, body: err(code) });
  });

  it("refuses a duplicate name (50104) and accepts 2- and 20-character names and a 100-character remark", async () => {
    const s = await client();
    const id = (await call(s, "POST", "/v1/sign", javaBody({ sign: "极光", remark: "备".repeat(100) }), JAVA)).body.sign_id as number;
    await approve(s, id);
    const dup = await call(s, "POST", "/v1/sign", javaBody({ sign: "极光" }), JAVA);
    expect(dup).toEqual({ status: 403, body: err(50104) });
    expect((await call(s, "POST", "/v1/sign", javaBody({ sign: "长".repeat(20) }), JAVA)).status).toBe(200);
  });

  it("documents the multipart form in /openapi.json", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as { paths: Record<string, Record<string, any>> };
    const form = doc.paths["/v1/sign"]!.post.requestBody.content["multipart/form-data"].schema;
    expect(Object.keys(form.properties)).toEqual(["sign", "type", "remark", "images"]);
    expect(form.properties.images.items).toMatchObject({ type: "string", format: "binary" });
    expect(Object.keys(doc.paths["/v1/sign/{sign_id}"]!).sort()).toEqual(["delete", "get", "post", "put"]);
    expect(doc.paths["/v1/sign/{sign_id}"]!.get.responses["200"].content["application/json"].schema.required).toEqual(["sign_id", "sign", "status", "is_default", "use_status"]);
  });

  it("refuses other media types, empty and malformed bodies, bad ids, and checks auth first", async () => {
    const s = await client();
    const json = await call(s, "POST", "/v1/sign", { sign: "极光推送" });
    expect(json).toEqual({ status: 415, body: err(50017) });
    const urlencoded = await call(s, "POST", "/v1/sign", "sign=%E6%9E%81%E5%85%89", { headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(urlencoded).toEqual({ status: 415, body: err(50017) });
    const none = await call(s, "POST", "/v1/sign", enc.encode("sign=x"), { headers: { "content-type": null } });
    expect(none).toEqual({ status: 415, body: err(50017) });

    const empty = await call(s, "POST", "/v1/sign", new Uint8Array(0), { headers: { "content-type": JAVA_CONTENT_TYPE } });
    expect(empty).toEqual({ status: 400, body: err(50003) });
    const noBoundary = await call(s, "POST", "/v1/sign", javaBody({ sign: "极光推送" }), { headers: { "content-type": "multipart/form-data" } });
    expect(noBoundary).toEqual({ status: 403, body: err(50007) });
    const unterminated = javaBody({ sign: "极光推送" }).slice(0, -(JAVA_BOUNDARY.length + 6));
    const cut = await call(s, "POST", "/v1/sign", unterminated, { headers: { "content-type": JAVA_CONTENT_TYPE } });
    expect(cut).toEqual({ status: 403, body: err(50007) });
    const notUtf8 = concat([enc.encode(`--${JAVA_BOUNDARY}\r\nContent-Disposition: form-data; name="sign"\r\n\r\n`), bytes(0xff, 0xfe, 0xfd), enc.encode(`\r\n--${JAVA_BOUNDARY}--\r\n`)]);
    const bad = await call(s, "POST", "/v1/sign", notUtf8, { headers: { "content-type": JAVA_CONTENT_TYPE } });
    expect(bad).toEqual({ status: 403, body: err(50007) });

    for (const path of ["/v1/sign/abc", "/v1/sign/0", "/v1/sign/1e3", "/v1/sign/999999999"]) {
      const res = await call(s, "GET", path);
      expect(res).toEqual({ status: 403, body: err(50102) });
    }
    const patch = await call(s, "PATCH", "/v1/sign/1");
    expect(patch).toEqual({ status: 405, body: err(50018) });

    const sig = await makeSignature(s.tenant);
    expect(await call(null, "GET", `/v1/sign/${sig.id}`)).toEqual({ status: 400, body: err(50001) });
    expect(await call(s, "POST", "/v1/sign", {}, { auth: `${s.auth.slice(0, -4)}AAAA` })).toEqual({ status: 401, body: err(50002) });
  });
});
