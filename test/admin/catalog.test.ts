// Signatures and templates through the operator API, and the core lookups the dialects rely on.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requireApprovedSignature, requireApprovedTemplate } from "../../src/core/catalog";
import { admin, newTenant, paths } from "./helpers";
import { tenantDb } from "../../src/store/db";

const sigs = (t: string) => `/tenants/${t}/signatures`;
const tpls = (t: string) => `/tenants/${t}/templates`;

describe("signatures", () => {
  it("create → pending, get, list, review → approved / rejected", async () => {
    const t = await newTenant();
    const res = await admin("POST", sigs(t.id), { name: "圆通快递", type: 1, remark: "营业执照已上传" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: "圆通快递",
      type: 1,
      remark: "营业执照已上传",
      status: "pending",
      review_note: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect((await admin("GET", `${sigs(t.id)}/${res.body.id}`)).body).toEqual(res.body);
    const approved = await admin("POST", `${sigs(t.id)}/${res.body.id}/review`, { status: "approved", note: "ok" });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", review_note: "ok" });
    const second = await admin("POST", sigs(t.id), { name: "Acme", status: "approved" });
    expect(second.body.status).toBe("approved");
    const rejected = await admin("POST", `${sigs(t.id)}/${second.body.id}/review`, { status: "rejected", note: "no licence" });
    expect(rejected.body).toMatchObject({ status: "rejected", review_note: "no licence" });
    const page1 = await admin("GET", `${sigs(t.id)}?limit=1`);
    expect(page1.body.items.map((s: { name: string }) => s.name)).toEqual(["圆通快递"]);
    const page2 = await admin("GET", `${sigs(t.id)}?limit=1&cursor=${page1.body.next_cursor}`);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ name: "Acme", status: "rejected" })], next_cursor: null });
  });

  it("400 for bad names and review verdicts; 409 for a duplicate name", async () => {
    const t = await newTenant();
    expect(paths(await admin("POST", sigs(t.id), { name: "【圆通】" }))).toEqual(["name"]);
    expect(paths(await admin("POST", sigs(t.id), { name: "圆" }))).toEqual(["name"]);
    expect(paths(await admin("POST", sigs(t.id), { name: "一二三四五六七八九十一二三四五六七八九十一" }))).toEqual(["name"]);
    expect(paths(await admin("POST", sigs(t.id), { name: "好名字", type: 8, status: "rejected" })).sort()).toEqual(["status", "type"]);
    const ok = await admin("POST", sigs(t.id), { name: "好名字" });
    const dup = await admin("POST", sigs(t.id), { name: "好名字" });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: "conflict", issues: [{ path: "name", message: expect.any(String) }] });
    expect(paths(await admin("POST", `${sigs(t.id)}/${ok.body.id}/review`, { status: "pending" }))).toEqual(["status"]);
    expect((await admin("GET", `${sigs(t.id)}/${ok.body.id}`)).body.status).toBe("pending");
    // Another tenant may use the same name.
    expect((await admin("POST", sigs((await newTenant()).id), { name: "好名字" })).status).toBe(201);
  });

  it("another tenant's signature is 404 through every route", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const sig = await admin("POST", sigs(a.id), { name: "甲方" });
    for (const [method, path, body] of [
      ["GET", `${sigs(b.id)}/${sig.body.id}`, undefined],
      ["POST", `${sigs(b.id)}/${sig.body.id}/review`, { status: "approved" }],
      ["GET", `${sigs(b.id)}/not-a-number`, undefined],
    ] as const) {
      const res = await admin(method, path, body);
      expect(res.status, path).toBe(404);
    }
    expect((await admin("GET", `${sigs(a.id)}/${sig.body.id}`)).body.status).toBe("pending");
  });
});

describe("templates", () => {
  it("create → pending with its params, get, list, review", async () => {
    const t = await newTenant();
    const sig = await admin("POST", sigs(t.id), { name: "圆通快递", status: "approved" });
    const res = await admin("POST", tpls(t.id), {
      kind: "verification",
      content: "您的验证码是{{code}}，{{ minutes }}分钟内有效",
      signature_id: sig.body.id,
      code_length: 4,
      ttl: 600,
      remark: "登录",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      kind: "verification",
      content: "您的验证码是{{code}}，{{ minutes }}分钟内有效",
      params: ["code", "minutes"],
      signature_id: sig.body.id,
      code_length: 4,
      ttl: 600,
      remark: "登录",
      status: "pending",
      review_note: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect((await admin("GET", `${tpls(t.id)}/${res.body.id}`)).body).toEqual(res.body);
    const reviewed = await admin("POST", `${tpls(t.id)}/${res.body.id}/review`, { status: "rejected", note: "内容不合规" });
    expect(reviewed.body).toMatchObject({ status: "rejected", review_note: "内容不合规" });
    const plain = await admin("POST", tpls(t.id), { kind: "notification", content: "您的包裹已签收", status: "approved" });
    expect(plain.body).toMatchObject({ status: "approved", params: [], signature_id: null, code_length: 6, ttl: 300 });
    const list = await admin("GET", `${tpls(t.id)}?limit=500`);
    expect(list.body.items.map((x: { id: number }) => x.id)).toEqual([res.body.id, plain.body.id]);
    expect(list.body.next_cursor).toBeNull();
  });

  it("400 for malformed placeholders, a verification template without {{code}}, bad sizes, another tenant's signature", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const foreign = await admin("POST", sigs(other.id), { name: "别人家", status: "approved" });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ kind: "notification", content: "您好{{name" }, ["content"]],
      [{ kind: "notification", content: "您好{{na-me}}" }, ["content"]],
      [{ kind: "notification", content: "您好 name}}" }, ["content"]],
      [{ kind: "verification", content: "您的验证码是{{otp}}" }, ["content"]],
      [{ kind: "notification", content: "" }, ["content"]],
      [{ kind: "sms", content: "x", code_length: 9, ttl: 0 }, ["code_length", "kind", "ttl"]],
      [{ kind: "notification", content: "hi", signature_id: foreign.body.id }, ["signature_id"]],
    ];
    for (const [body, want] of cases) {
      const res = await admin("POST", tpls(t.id), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(paths(res).sort(), JSON.stringify(body)).toEqual(want);
    }
    expect((await admin("GET", tpls(t.id))).body.items).toEqual([]);
  });

  it("another tenant's template is 404 through every route", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const tpl = await admin("POST", tpls(a.id), { kind: "notification", content: "hello" });
    expect((await admin("GET", `${tpls(b.id)}/${tpl.body.id}`)).status).toBe(404);
    const review = await admin("POST", `${tpls(b.id)}/${tpl.body.id}/review`, { status: "approved" });
    expect(review.status).toBe(404);
    expect(review.body.error.code).toBe("template_not_found");
    expect((await admin("GET", `${tpls(a.id)}/${tpl.body.id}`)).body.status).toBe("pending");
  });
});

describe("core lookups used by the dialects", () => {
  it("requireApprovedTemplate: not found (or another tenant's), pending, rejected, approved", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const tpl = await admin("POST", tpls(a.id), { kind: "notification", content: "hello {{name}}" });
    const id: number = tpl.body.id;
    await expect(requireApprovedTemplate(tenantDb(env, a.id), id)).rejects.toMatchObject({ code: "template_pending" });
    await expect(requireApprovedTemplate(tenantDb(env, b.id), id)).rejects.toMatchObject({ code: "template_not_found" });
    await admin("POST", `${tpls(a.id)}/${id}/review`, { status: "rejected" });
    await expect(requireApprovedTemplate(tenantDb(env, a.id), id)).rejects.toMatchObject({ code: "template_rejected" });
    await admin("POST", `${tpls(a.id)}/${id}/review`, { status: "approved" });
    await expect(requireApprovedTemplate(tenantDb(env, a.id), id)).resolves.toMatchObject({ id, content: "hello {{name}}", status: "approved" });
  });

  it("requireApprovedSignature by name, id and uid", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const sig = await admin("POST", sigs(a.id), { name: "审核中" });
    const refs = [{ name: "审核中" }, { id: sig.body.id as number }, { uid: sig.body.uid as string }];
    for (const ref of refs) {
      await expect(requireApprovedSignature(tenantDb(env, a.id), ref)).rejects.toMatchObject({ code: "signature_pending" });
      await expect(requireApprovedSignature(tenantDb(env, b.id), ref)).rejects.toMatchObject({ code: "signature_not_found" });
    }
    await admin("POST", `${sigs(a.id)}/${sig.body.id}/review`, { status: "rejected" });
    for (const ref of refs) await expect(requireApprovedSignature(tenantDb(env, a.id), ref)).rejects.toMatchObject({ code: "signature_rejected" });
    await admin("POST", `${sigs(a.id)}/${sig.body.id}/review`, { status: "approved" });
    for (const ref of refs) await expect(requireApprovedSignature(tenantDb(env, a.id), ref)).resolves.toMatchObject({ id: sig.body.id, name: "审核中" });
  });
});
