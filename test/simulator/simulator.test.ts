// /simulator/v1: the handset inbox (newest first, any mobile spelling) and reply injection.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../helpers/fixtures";
import { accept, rows, sender, waitFor } from "../jobs/support";
import { simOutcome } from "../../src/carriers/rules";

const get = (path: string) => exports.default.fetch(`http://gw/simulator/v1${path}`);
const reply = (body: unknown) => exports.default.fetch("http://gw/simulator/v1/replies", { method: "POST", body: JSON.stringify(body) });

describe("simulator routes", () => {
  it("GET /inbox/{mobile} lists what the mobile received, newest first, for any spelling", async () => {
    const s = await sender();
    const m = mobile();
    await accept(s, [m]);
    await waitFor(async () => (await rows("SELECT 1 FROM simulator_inbox WHERE mobile = ?1", `+86${m}`)).length === 1, 15_000, "first");
    await accept(s, [m], {});
    await waitFor(async () => (await rows("SELECT 1 FROM simulator_inbox WHERE mobile = ?1", `+86${m}`)).length === 2, 15_000, "second");
    for (const spelling of [m, `+86${m}`, `0086${m}`, `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`]) {
      const res = await get(`/inbox/${encodeURIComponent(spelling)}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { mobile: string; messages: Array<{ message_id: string; channel: string; content: string; received_at: number }> };
      expect(body.mobile).toBe(`+86${m}`);
      expect(body.messages).toHaveLength(2);
      expect(body.messages[0]).toEqual({ message_id: expect.any(String), channel: "sms", content: `【${s.signature}】您的包裹已签收`, received_at: expect.any(Number) });
      expect(body.messages[0]!.received_at).toBeGreaterThanOrEqual(body.messages[1]!.received_at);
    }
    const one = (await (await get(`/inbox/${m}?limit=1`)).json()) as { messages: unknown[] };
    expect(one.messages).toHaveLength(1);
  });

  it("refuses a bad mobile or limit with a clear 400", async () => {
    for (const [path, code] of [
      ["/inbox/12345", "invalid_mobile"],
      ["/inbox/abc", "invalid_mobile"],
      ["/inbox/%E0%A4%A", "invalid_mobile"],
      [`/inbox/${mobile()}?limit=0`, "invalid_input"],
      [`/inbox/${mobile()}?limit=abc`, "invalid_input"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect((await get("/nope")).status).toBe(404);
    expect((await exports.default.fetch("http://gw/simulator/v1/replies")).status).toBe(405);
  });

  it("POST /replies stores a routed reply; bad input and unroutable replies change nothing", async () => {
    const s = await sender();
    const m = mobile();
    const ok = await reply({ mobile: m, content: "好的", signature: s.signature });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ref: expect.stringMatching(/^sim-mo-[0-9a-f]{16}$/), stored: true, opt_out: false });
    const bad: Array<[unknown, number, string]> = [
      [{ mobile: m, content: "x" }, 400, "invalid_input"],
      [{ mobile: m, content: "   ", signature: s.signature }, 400, "invalid_input"],
      [{ mobile: "12", content: "x", signature: s.signature }, 400, "invalid_mobile"],
      [{ mobile: m, content: "x", extension: "12a" }, 400, "invalid_input"],
      [{ mobile: m, content: "x", signature: "不存在的签名" }, 404, "unroutable"],
    ];
    for (const [body, status, code] of bad) {
      const res = await reply(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await rows("SELECT content FROM inbound WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ content: "好的" }]);
  });
});

describe("simulator rules", () => {
  it.each([
    ["+8613900000001", "reject"],
    ["+8613900000004", "report:4"],
    ["+8613900000009", "report:9"],
    ["+8613900000099", "report:10000:slow"],
    ["+8613900000098", "transient"],
    ["+8613900000096", "silent"],
    ["+8613900010001", "report:10000"],
    ["+8613812340001", "report:10000"],
  ])("%s → %s", (m, expected) => {
    const o = simOutcome(m);
    const label = o.kind === "report" ? `report:${o.code}${o.slow ? ":slow" : ""}` : o.kind;
    expect(label).toBe(expected);
  });
});
