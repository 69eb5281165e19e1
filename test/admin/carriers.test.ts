// /admin/v1/carriers and /admin/v1/routes: carriers as data, validated by their type when saved,
// the built-in simulator, routes naming only what exists, and a carrier in use kept.
import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { admin, newTenant, paths } from "./helpers";

const name = () => `c-${randomHex(4)}`;

describe("/admin/v1/carriers", () => {
  it("creates, reads, lists, changes and deletes a carrier; the version counts changes", async () => {
    const n = name();
    const created = await admin("POST", "/carriers", { name: n, type: "simulator", simulator: {} });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: n, type: "simulator", enabled: true, max_tps: null, simulator: {}, secrets_set: [], version: 1 });
    expect((await admin("GET", `/carriers/${n}`)).body).toEqual(created.body);

    const list = await admin("GET", "/carriers?limit=500");
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain(n);
    expect(list.body.items[0]).toMatchObject({ name: "simulator", type: "simulator" });

    const patched = await admin("PATCH", `/carriers/${n}`, { enabled: false, max_tps: 20 });
    expect(patched.body).toMatchObject({ enabled: false, max_tps: 20, version: 2 });
    expect((await admin("DELETE", `/carriers/${n}`)).status).toBe(204);
    expect((await admin("GET", `/carriers/${n}`)).status).toBe(404);
  });

  it("refuses bad carriers with the field that is wrong, and changes nothing", async () => {
    const n = name();
    const cases: Array<[unknown, string[]]> = [
      [{ name: "Bad Name", type: "simulator", simulator: {} }, ["name"]],
      [{ name: n, type: "sms-o-matic", simulator: {} }, ["type"]],
      [{ name: n, type: "simulator" }, ["simulator"]],
      [{ name: n, type: "simulator", simulator: { speed: 1 } }, ["simulator.speed"]],
      [{ name: n, type: "simulator", simulator: {}, max_tps: 0 }, ["max_tps"]],
    ];
    for (const [body, fields] of cases) {
      const res = await admin("POST", "/carriers", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(paths(res)).toEqual(fields);
    }
    expect((await admin("GET", `/carriers/${n}`)).status).toBe(404);
    expect((await admin("POST", "/carriers", { name: "simulator", type: "simulator", simulator: {} })).status).toBe(409);
    await admin("POST", "/carriers", { name: n, type: "simulator", simulator: {} });
    const dup = await admin("POST", "/carriers", { name: n, type: "simulator", simulator: {} });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: "carrier_exists" } } });
    const foreign = await admin("PATCH", `/carriers/${n}`, { smpp: { host: "x" } });
    expect(foreign.status).toBe(400);
    expect(paths(foreign)).toEqual(["smpp"]);
    expect((await admin("GET", `/carriers/${n}`)).body.version).toBe(1);
  });

  it("the built-in simulator is shown but cannot be changed or deleted", async () => {
    expect((await admin("GET", "/carriers/simulator")).body).toMatchObject({ name: "simulator", type: "simulator", enabled: true });
    expect((await admin("PATCH", "/carriers/simulator", { enabled: false })).body.error.code).toBe("built_in");
    expect((await admin("DELETE", "/carriers/simulator")).body.error.code).toBe("built_in");
  });

  it("a carrier a route names cannot be deleted", async () => {
    const n = name();
    await admin("POST", "/carriers", { name: n, type: "simulator", simulator: {} });
    await admin("PUT", "/routes", [{ kind: "marketing", carriers: [n] }, { carriers: ["simulator"] }]);
    const refused = await admin("DELETE", `/carriers/${n}`);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "carrier_in_use", issues: [{ path: "routes[0]" }] } } });
    await admin("PUT", "/routes", []);
    expect((await admin("DELETE", `/carriers/${n}`)).status).toBe(204);
  });

  it("shows a carrier's live status: its circuit and recent outcomes", async () => {
    const res = await admin("GET", "/carriers/simulator/status");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "simulator", type: "simulator", enabled: true, circuit: { state: "closed", open_until: null }, details: {} });
    expect((await admin("GET", "/carriers/nobody/status")).status).toBe(404);
  });
});

describe("/admin/v1/routes", () => {
  it("replaces the table whole and reads it back; an empty table falls back to the simulator here", async () => {
    const tenant = await newTenant();
    const n = name();
    await admin("POST", "/carriers", { name: n, type: "simulator", simulator: {} });
    const put = await admin("PUT", "/routes", [
      { tenant: tenant.id, kind: "verification", prefix: "86139", carriers: [n, "simulator"] },
      { carriers: ["simulator"] },
    ]);
    expect(put.status).toBe(200);
    const expected = {
      rules: [
        { tenant: tenant.id, kind: "verification", prefix: "+86139", carriers: [n, "simulator"] },
        { tenant: null, kind: null, prefix: null, carriers: ["simulator"] },
      ],
      fallback: "simulator",
    };
    expect(put.body).toEqual(expected);
    expect((await admin("GET", "/routes")).body).toEqual(expected);
    expect((await admin("PUT", "/routes", [])).body).toEqual({ rules: [], fallback: "simulator" });
  });

  it("refuses rules naming carriers or tenants that do not exist, bad prefixes and oversized tables; the table stays", async () => {
    await admin("PUT", "/routes", [{ carriers: ["simulator"] }]);
    const cases: Array<[unknown, string[]]> = [
      [[{ carriers: ["nope"] }], ["0.carriers.0"]],
      [[{ tenant: "no-such-tenant", carriers: ["simulator"] }], ["0.tenant"]],
      [[{ prefix: "+86-139", carriers: ["simulator"] }], ["0.prefix"]],
      [[{ carriers: [] }], ["0.carriers"]],
      [[{ carriers: ["simulator"], channel: "x" }], ["0.channel"]],
      [{ carriers: ["simulator"] }, ["(body)"]],
    ];
    for (const [body, fields] of cases) {
      const res = await admin("PUT", "/routes", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(paths(res)).toEqual(fields);
    }
    const big = await admin("PUT", "/routes", Array.from({ length: 201 }, () => ({ carriers: ["simulator"] })));
    expect(big.status).toBe(400);
    expect((await admin("GET", "/routes")).body.rules).toEqual([{ tenant: null, kind: null, prefix: null, carriers: ["simulator"] }]);
  });
});
