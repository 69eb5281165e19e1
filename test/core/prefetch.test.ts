// authenticateAndRead: one declaration of what an endpoint needs, read in the credential's D1 round
// trip, scoped to the credential's tenant, and returned only once the credential passed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authenticateAndRead } from "../../src/core/prefetch";
import { issueToken } from "../../src/core/tokens";
import { getAppByKey } from "../helpers/domain";
import { makeCredential, makeSignature, makeTemplate, makeTenant } from "../helpers/fixtures";

async function setup() {
  const tenant = await makeTenant();
  const sig = await makeSignature(tenant);
  const other = await makeSignature(tenant);
  const cred = await makeCredential(tenant, "smsapi", { defaultSignatureId: other.id });
  const tpl = await makeTemplate(tenant, { kind: "notification", content: "通知{{x}}", signatureId: sig.id });
  return { tenant, sig, other, cred, tpl };
}

describe("authenticateAndRead", () => {
  it("reads the template with its signature and the app's default, signatures by name, nothing else", async () => {
    const s = await setup();
    const creds = { dialect: "smsapi" as const, key: s.cred.app.key, secret: s.cred.secret, ip: "203.0.113.1" };
    const { app, tenant, read } = await authenticateAndRead(env, creds, {
      template: { id: s.tpl, signatureId: null },
      signatures: { names: [s.sig.name, "不存在"], withDefault: false },
    });
    expect([app.id, tenant.id]).toEqual([s.cred.app.id, s.tenant.id]);
    expect([read.template?.template?.id, read.template?.signature?.id, read.template?.other?.id]).toEqual([s.tpl, s.sig.id, s.other.id]);
    expect(read.signatures.map((x) => x.id)).toEqual([s.sig.id]);
    expect(read.codeMessage).toBeNull();
    const bare = await authenticateAndRead(env, creds);
    expect(bare.read).toEqual({ template: null, signatures: [], codeMessage: null });
  });

  it("sees only the credential's tenant: another tenant's template and signature are not found", async () => {
    const mine = await setup();
    const theirs = await setup();
    const { read } = await authenticateAndRead(
      env,
      { dialect: "smsapi", key: mine.cred.app.key, secret: mine.cred.secret, ip: "203.0.113.1" },
      { template: { id: theirs.tpl, signatureId: theirs.sig.id }, signatures: { names: [theirs.sig.name] } },
    );
    expect(read).toEqual({ template: { template: null, signature: null, other: null }, signatures: [], codeMessage: null });
  });

  it("a wrong secret or an expired token is refused before anything read is returned", async () => {
    const s = await setup();
    await expect(
      authenticateAndRead(env, { dialect: "smsapi", key: s.cred.app.key, secret: "x".repeat(40), ip: "203.0.113.1" }, { template: { id: s.tpl, signatureId: null } }),
    ).rejects.toMatchObject({ code: "auth_failed" });
    const paasw = await makeCredential(s.tenant, "paasw");
    const app = (await getAppByKey(env.DB, "paasw", paasw.app.key))!;
    const issued = await issueToken(env, app, 60, Date.now() - 120_000);
    await expect(authenticateAndRead(env, { dialect: "paasw", token: issued.token, ip: "203.0.113.1" }, { signatures: { names: [s.sig.name] } })).rejects.toMatchObject({
      code: "token_expired",
    });
  });
});
