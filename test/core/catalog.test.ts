// Core's catalog rules, called directly as any dialect or the operator API would: the delete of a
// signature is refused by its own statement (no caller-side check needed), with core's own codes.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { changeTemplate, checkTemplateContent, createSignature, removeSignature } from "../../src/core/catalog";
import { CoreError } from "../../src/core/errors";
import { getSignature } from "../../src/store/signatures";
import { tenantDb } from "../../src/store/db";
import { makeCredential, makeSignature, makeTemplate, makeTenant } from "../helpers/fixtures";

async function refusal(run: () => Promise<unknown> | unknown): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof CoreError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a CoreError, got none");
}

describe("removeSignature", () => {
  it("refuses an app's default signature by the delete's own condition, and keeps it", async () => {
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    await makeCredential(tenant, "smsapi", { defaultSignatureId: sig.id });
    expect(await refusal(() => removeSignature(tenantDb(env, tenant.id), sig.id, Date.now()))).toEqual({
      code: "signature_in_use",
      message: `signature ${sig.id} is the default signature of 1 app(s)`,
    });
    expect(await getSignature(tenantDb(env, tenant.id), sig.id)).toMatchObject({ id: sig.id, name: sig.name });
  });

  it("refuses a signature a live template uses; deletes it once nothing uses it", async () => {
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    const tpl = await makeTemplate(tenant, { kind: "notification", content: "通知{{x}}", signatureId: sig.id });
    expect(await refusal(() => removeSignature(tenantDb(env, tenant.id), sig.id, Date.now()))).toEqual({
      code: "signature_in_use",
      message: `signature ${sig.id} is used by 1 template(s); delete or change them first`,
    });
    await env.DB.prepare("UPDATE templates SET deleted = 1 WHERE id = ?1").bind(tpl).run();
    await removeSignature(tenantDb(env, tenant.id), sig.id, Date.now());
    expect(await getSignature(tenantDb(env, tenant.id), sig.id)).toBeNull();
    expect((await refusal(() => removeSignature(tenantDb(env, tenant.id), sig.id, Date.now()))).code).toBe("signature_not_found");
  });

  it("treats another tenant's default signature as not found, and leaves it", async () => {
    const owner = await makeTenant();
    const sig = await makeSignature(owner);
    await makeCredential(owner, "jpush", { defaultSignatureId: sig.id });
    const other = await makeTenant();
    expect((await refusal(() => removeSignature(tenantDb(env, other.id), sig.id, Date.now()))).code).toBe("signature_not_found");
    expect(await getSignature(tenantDb(env, owner.id), sig.id)).not.toBeNull();
  });

  it("racing with the app that takes it as default: never a deleted signature that is some app's default", async () => {
    for (let round = 0; round < 5; round++) {
      const tenant = await makeTenant();
      const sig = await makeSignature(tenant);
      const cred = await makeCredential(tenant, "jpush");
      // A write that binds a default only to a live signature: whichever statement lands first wins.
      const setDefault = env.DB.prepare(
        "UPDATE apps SET default_signature_id = ?2 WHERE id = ?1 AND EXISTS (SELECT 1 FROM signatures WHERE id = ?2 AND deleted = 0)",
      )
        .bind(cred.app.id, sig.id)
        .run();
      const [del] = await Promise.allSettled([removeSignature(tenantDb(env, tenant.id), sig.id, Date.now()), setDefault]);
      const live = await getSignature(tenantDb(env, tenant.id), sig.id);
      const app = await env.DB.prepare("SELECT default_signature_id AS d FROM apps WHERE id = ?1").bind(cred.app.id).first<{ d: number | null }>();
      if (del.status === "fulfilled") expect([live, app!.d]).toEqual([null, null]);
      else expect([live?.id, app!.d, (del.reason as CoreError).code]).toEqual([sig.id, sig.id, "signature_in_use"]);
    }
  });
});

describe("finer codes", () => {
  it("a taken signature name, a locked template, a malformed placeholder", async () => {
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    expect((await refusal(() => createSignature(tenantDb(env, tenant.id), { name: sig.name, type: 1 }, Date.now()))).code).toBe("signature_name_taken");
    const tpl = await makeTemplate(tenant, { kind: "notification", content: "通知{{x}}", status: "approved" });
    expect((await refusal(() => changeTemplate(tenantDb(env, tenant.id), tpl, { content: "新{{x}}" }, Date.now()))).code).toBe("template_locked");
    expect((await refusal(() => checkTemplateContent("坏{{x}", "notification"))).code).toBe("invalid_placeholder");
    expect((await refusal(() => checkTemplateContent("没有验证码", "verification"))).code).toBe("invalid_placeholder");
  });
});
