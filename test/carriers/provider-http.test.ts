// What the provider adapters share: id tags (OutId / SessionContext), grouping into calls, the
// submit budget, endpoint validation and China-time parsing.
import { describe, expect, it } from "vitest";
import { chinaTime, groupCalls, idInTag, idTag, pool, ProviderUrl, singleIdOf } from "../../src/carriers/provider-http";

describe("provider-http", () => {
  it("tags one id as itself and several as their range; membership by numeric range", () => {
    expect(idTag(["1000000000000000005"])).toBe("1000000000000000005");
    expect(idTag(["1000000000000000009", "1000000000000000005", "1000000000000000007"])).toBe("1000000000000000005-1000000000000000009");
    expect(idInTag("1000000000000000007", "1000000000000000005-1000000000000000009")).toBe(true);
    expect(idInTag("1000000000000000010", "1000000000000000005-1000000000000000009")).toBe(false);
    expect(idInTag("1000000000000000005", "1000000000000000005")).toBe(true);
    expect(idInTag("1000000000000000005", "abc")).toBe(false);
    expect(idInTag("1000000000000000005", null)).toBe(false);
    expect(singleIdOf("1000000000000000005")).toBe("1000000000000000005");
    expect(singleIdOf("1-2")).toBeUndefined();
  });

  it("groups by key, at most `max` per call, a mobile at most once per call", () => {
    const items = [
      { mobile: "a", k: 1 },
      { mobile: "b", k: 1 },
      { mobile: "a", k: 1 },
      { mobile: "c", k: 2 },
      { mobile: "d", k: 1 },
    ];
    expect(groupCalls(items, (i) => String(i.k), 2).map((g) => g.map((i) => i.mobile))).toEqual([["a", "b"], ["a", "d"], ["c"]]);
  });

  it("starts no call after the budget: those items get the late answer", async () => {
    const started: number[] = [];
    const out = await pool([1, 2, 3], 2, async (i) => (started.push(i), `ran ${i}`), { until: Date.now() - 1, late: (i) => `late ${i}` });
    expect(out).toEqual(["late 1", "late 2", "late 3"]);
    expect(started).toEqual([]);
    expect(await pool([1, 2, 3], 2, async (i) => `ran ${i}`, { until: Date.now() + 60_000, late: (i) => `late ${i}` })).toEqual(["ran 1", "ran 2", "ran 3"]);
  });

  it("takes https endpoints, plain http only to loopback", () => {
    const taken = (urls: string[]) => urls.filter((u) => ProviderUrl.safeParse(u).success);
    const good = ["https://dysmsapi.aliyuncs.com", "http://127.0.0.1:9000", "http://localhost", "http://[::1]:8080/x"];
    expect(taken(good)).toEqual(good);
    expect(taken(["http://dysmsapi.aliyuncs.com", "http://10.0.0.1", "ftp://x", "https://u:p@h.example", "https://h.example/#f", "not a url"])).toEqual([]);
  });

  it("reads the providers' China-time stamps", () => {
    expect(chinaTime("2026-12-01 08:00:00")).toBe(Date.UTC(2026, 11, 1, 0, 0, 0));
    expect(chinaTime("2026-12-01T08:00:00")).toBe(Date.UTC(2026, 11, 1, 0, 0, 0));
    expect(chinaTime("yesterday")).toBeUndefined();
    expect(chinaTime(5)).toBeUndefined();
  });
});
