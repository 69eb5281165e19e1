// "One signature of a tenant in review at a time" (JPush's rule, core's soleInReview) called straight
// at core, where concurrent calls interleave their D1 statements: a check read before the write
// lets several through here, the write's own condition lets exactly one through.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { changeSignature, createSignature } from "../../src/core/catalog";
import { CoreError } from "../../src/core/errors";
import { listSignatures } from "../../src/store/signatures";
import { tenantDb } from "../../src/store/db";
import { makeSignature, makeTenant } from "../helpers/fixtures";

const ONE_IN_REVIEW = { soleInReview: true };

/** "ok", or the CoreError code a call was refused with. */
const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "ok",
    (e: unknown) => {
      if (e instanceof CoreError) return e.code;
      throw e;
    },
  );

async function pendingNames(tenantId: string): Promise<string[]> {
  return (await listSignatures(tenantDb(env, tenantId), 100, null)).filter((s) => s.status === "pending").map((s) => s.name);
}

describe("soleInReview", () => {
  it("ten concurrent creates: one is written, nine are refused as signature_in_review", async () => {
    const tenant = await makeTenant();
    const t = tenantDb(env, tenant.id);
    const names = Array.from({ length: 10 }, (_, i) => `并发签名${i}`);
    const outcomes = await Promise.all(names.map((name) => outcome(createSignature(t, { name }, Date.now(), ONE_IN_REVIEW))));
    expect(outcomes.sort()).toEqual(["ok", ...Array<string>(9).fill("signature_in_review")]);
    expect(await pendingNames(tenant.id)).toHaveLength(1);
  });

  it("changes of two approved signatures racing creates: one of all of them is pending", async () => {
    const tenant = await makeTenant();
    const t = tenantDb(env, tenant.id);
    const [a, b] = [await makeSignature(tenant, "甲签名"), await makeSignature(tenant, "乙签名")];
    const outcomes = await Promise.all([
      outcome(changeSignature(t, a.id, { remark: "改" }, Date.now(), ONE_IN_REVIEW)),
      outcome(createSignature(t, { name: "丙签名" }, Date.now(), ONE_IN_REVIEW)),
      outcome(changeSignature(t, b.id, { remark: "改" }, Date.now(), ONE_IN_REVIEW)),
      outcome(createSignature(t, { name: "丁签名" }, Date.now(), ONE_IN_REVIEW)),
    ]);
    expect(outcomes.sort()).toEqual(["ok", "signature_in_review", "signature_in_review", "signature_in_review"]);
    expect(await pendingNames(tenant.id)).toHaveLength(1);
  });

  it("the pending signature itself may change; a taken name is refused by the update, not a prior read", async () => {
    const tenant = await makeTenant();
    const t = tenantDb(env, tenant.id);
    const taken = await makeSignature(tenant, "已占用");
    const mine = await createSignature(t, { name: "我的签名" }, Date.now(), ONE_IN_REVIEW);
    expect((await changeSignature(t, mine.id, { name: "我的新签名" }, Date.now(), ONE_IN_REVIEW)).name).toBe("我的新签名");
    expect(await outcome(changeSignature(t, mine.id, { name: taken.name }, Date.now(), ONE_IN_REVIEW))).toBe("signature_name_taken");
    expect(await outcome(changeSignature(t, 999_999_999, { remark: "x" }, Date.now(), ONE_IN_REVIEW))).toBe("signature_not_found");
    expect(await outcome(createSignature(t, { name: taken.name }, Date.now()))).toBe("signature_name_taken");
  });

  it("without the rule, several signatures may be pending at once (the operator API)", async () => {
    const tenant = await makeTenant();
    const t = tenantDb(env, tenant.id);
    await Promise.all(["一号", "二号", "三号"].map((name) => createSignature(t, { name: `无限制${name}` }, Date.now())));
    expect(await pendingNames(tenant.id)).toHaveLength(3);
  });
});
