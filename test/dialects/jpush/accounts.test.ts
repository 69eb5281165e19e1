// GET /v1/accounts/app and /v1/accounts/dev: balances as JPush reports them (a count of SMS).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cancelBatch } from "../../../src/core/cancel";
import { acceptSend } from "../../../src/core/send";
import { getAppByKey } from "../../helpers/domain";
import { makeCredential, makeSignature, makeTemplate, makeTenant, mobile } from "../../helpers/fixtures";
import { basic, call, err } from "./helpers";

/** A GET with these Basic credentials (none when absent). */
const get = (path: string, auth?: string) => call(null, "GET", path, undefined, { auth: auth ?? null });

describe("JPush balances", () => {
  it("count the SMS the balance buys, before and after sends and a refund", async () => {
    const tenant = await makeTenant({ balance: 1000, prices: { notification: 45 } });
    const app = await makeCredential(tenant, "jpush");
    const dev = await makeCredential(tenant, "jpush_dev");
    const appAuth = basic(app.app.key, app.secret);
    expect(await get("/v1/accounts/app", appAuth)).toEqual({ status: 200, body: { app_balance: 22 } });
    expect(await get("/v1/accounts/dev", basic(dev.app.key, dev.secret))).toEqual({ status: 200, body: { dev_balance: 22 } });

    const sig = await makeSignature(tenant);
    const temp = await makeTemplate(tenant, { kind: "notification", content: "取件码{{c}}", signatureId: sig.id });
    const sendAt = Date.now() + 3_600_000;
    // A scheduled send is billed now; cancelling it refunds.
    const a = (await getAppByKey(env.DB, "jpush", app.app.key))!;
    const res = await acceptSend(env, [{ mobile: mobile(), text: `【${sig.name}】取件码1`, signature: sig.name, templateId: temp }], {
      tenant,
      app: a,
      kind: "notification",
      mode: "all",
      sendAt,
    });
    expect(await get("/v1/accounts/app", appAuth)).toEqual({ status: 200, body: { app_balance: 21 } });
    await cancelBatch(env, tenant.id, res.batchId!);
    expect(await get("/v1/accounts/app", appAuth)).toEqual({ status: 200, body: { app_balance: 22 } });
  });

  it("refuse missing and wrong credentials, and app credentials on the dev endpoint", async () => {
    const tenant = await makeTenant({ balance: 1000 });
    const app = await makeCredential(tenant, "jpush");
    expect((await get("/v1/accounts/app")).status).toBe(400);
    expect(await get("/v1/accounts/app", basic(app.app.key, "0".repeat(24)))).toEqual({ status: 401, body: err(50002) });
    expect((await get("/v1/accounts/dev", basic(app.app.key, app.secret))).status).toBe(401);
    expect(await call(null, "POST", "/v1/accounts/app", undefined, { auth: basic(app.app.key, app.secret) })).toEqual({ status: 405, body: err(50018) });
  });

  it("never show another tenant's balance", async () => {
    const rich = await makeTenant({ balance: 450_000 });
    const poor = await makeTenant({ balance: 45 });
    const p = await makeCredential(poor, "jpush");
    await makeCredential(rich, "jpush");
    expect(await get("/v1/accounts/app", basic(p.app.key, p.secret))).toEqual({ status: 200, body: { app_balance: 1 } });
  });
});
