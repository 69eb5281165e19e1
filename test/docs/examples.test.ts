// Every shell example in README.md and docs/*.md runs as printed, in order, one bash session per
// file, against a local gateway started as `npm start` starts one (test/docs/gateway.mjs); each
// answer is checked against the one the doc shows, by the rule of docs/docs-tests.md.
import { describe, expect, inject, it } from "vitest";
import { docFiles, runBanner, runFile } from "./examples.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    docsGateway: { base: string; port: number; state: string; banner: string; smsc: { smppPort: number; controlPort: number } };
  }
}

const gw = inject("docsGateway");

describe("docs: examples run as printed", () => {
  // First, while the demo tenant is fresh: what a newcomer pastes first.
  it("npm start's banner: templates with their parameters, commands that run", async () => {
    expect(gw.banner).toMatch(/#\d+ +verification +您的验证码是\{\{code\}\}/);
    expect(gw.banner).toMatch(/#\d+ +notification +您的订单\{\{order\}\}/);
    expect(gw.banner).toMatch(/#\d+ +marketing +双十一会员日，全场\{\{discount\}\}折起/);
    expect(gw.banner).toContain("/smsapi/v1/sms/cancel");
    expect(gw.banner.match(/<[a-z_]+>/g) ?? []).toEqual([]);
    expect(await runBanner(gw.banner, gw)).toEqual([]);
  });

  for (const file of docFiles()) {
    it(file, async () => {
      expect(await runFile(file, gw)).toEqual([]);
    });
  }
});
