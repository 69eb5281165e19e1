// /v1/sign under concurrency: "one signature of a tenant in review at a time" (50103) is the write's
// own condition, so submissions racing each other leave exactly one signature pending.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listSignatures } from "../../../src/store/signatures";
import { tenantDb } from "../../../src/store/db";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";

async function client() {
  const tenant = await makeTenant({ balance: 1000 });
  const cred = await makeCredential(tenant, "jpush");
  const auth = `Basic ${btoa(`${cred.app.key}:${cred.secret}`)}`;
  /** A multipart submission as curl -F sends it; the answer's status and JPush error code (null on success). */
  const submit = async (path: string, sign: string): Promise<[number, number | null]> => {
    const form = new FormData();
    form.set("sign", sign);
    form.set("type", "1");
    const res = await exports.default.fetch(`http://gw${path}`, { method: "POST", headers: { authorization: auth }, body: form });
    const body = (await res.json()) as { error?: { code: number } };
    return [res.status, body.error?.code ?? null];
  };
  const pending = async () => (await listSignatures(tenantDb(env, tenant.id), 100, null)).filter((s) => s.status === "pending").map((s) => s.name);
  return { tenant, submit, pending };
}

const sorted = (answers: Array<[number, number | null]>) => answers.map((a) => a.join(":")).sort();

describe("JPush signatures in review, concurrently", () => {
  it("ten creates racing: one is accepted, nine get 50103, one signature is pending", async () => {
    const { submit, pending } = await client();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => `并发签名${i}`).map((name) => submit("/v1/sign", name)));
    expect(sorted(answers)).toEqual(["200:", ...Array<string>(9).fill("403:50103")]);
    expect(await pending()).toHaveLength(1);
  });

  it("a change (back to review) racing a create: exactly one of them wins", async () => {
    const { tenant, submit, pending } = await client();
    const approved = await makeSignature(tenant, "已审核签名");
    const answers = await Promise.all([submit(`/v1/sign/${approved.id}`, "已审核签名改"), submit("/v1/sign", "新的签名")]);
    expect(sorted(answers)).toEqual(["200:", "403:50103"]);
    expect(await pending()).toHaveLength(1);
  });

  it("with nothing pending, a taken name is refused by the same statement (50104) and nothing is written", async () => {
    const { tenant, submit, pending } = await client();
    await makeSignature(tenant, "重复名字");
    expect(await submit("/v1/sign", "重复名字")).toEqual([403, 50104]);
    expect(await pending()).toEqual([]);
  });
});
