// Opt-outs through the operator API: any spelling of a mobile is normalised; add is idempotent.
import { describe, expect, it } from "vitest";
import { mobile } from "../helpers/fixtures";
import { admin, newTenant, paths } from "./helpers";

describe("/admin/v1/tenants/{id}/opt-outs", () => {
  it("add, get, list, delete", async () => {
    const t = await newTenant();
    const m = mobile();
    const added = await admin("POST", `/tenants/${t.id}/opt-outs`, { mobile: `0086 ${m}` });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ mobile: `+86${m}`, source: "admin", created_at: expect.any(Number) });
    const again = await admin("POST", `/tenants/${t.id}/opt-outs`, { mobile: m, source: "import" });
    expect(again.body).toEqual(added.body);
    expect((await admin("GET", `/tenants/${t.id}/opt-outs/${m}`)).body).toEqual(added.body);
    expect((await admin("GET", `/tenants/${t.id}/opt-outs/%2B86${m}`)).body).toEqual(added.body);

    const n = mobile();
    await admin("POST", `/tenants/${t.id}/opt-outs`, { mobile: n, source: "reply" });
    const first = await admin("GET", `/tenants/${t.id}/opt-outs?limit=1`);
    const second = await admin("GET", `/tenants/${t.id}/opt-outs?limit=1&cursor=${first.body.next_cursor}`);
    expect([...first.body.items, ...second.body.items].map((o: { mobile: string }) => o.mobile)).toEqual([`+86${m}`, `+86${n}`].sort());
    expect(second.body.next_cursor).toBeNull();

    const del = await admin("DELETE", `/tenants/${t.id}/opt-outs/${m}`);
    expect(del).toEqual({ status: 204, body: null });
    expect((await admin("GET", `/tenants/${t.id}/opt-outs/${m}`)).status).toBe(404);
    expect((await admin("DELETE", `/tenants/${t.id}/opt-outs/${m}`)).status).toBe(404);
  });

  it("400 for a mobile that is not one; another tenant's opt-outs are its own", async () => {
    const t = await newTenant();
    expect(paths(await admin("POST", `/tenants/${t.id}/opt-outs`, { mobile: "010-12345678" }))).toEqual(["mobile"]);
    expect(paths(await admin("POST", `/tenants/${t.id}/opt-outs`, {}))).toEqual(["mobile"]);
    const m = mobile();
    await admin("POST", `/tenants/${t.id}/opt-outs`, { mobile: m });
    const other = await newTenant();
    expect((await admin("GET", `/tenants/${other.id}/opt-outs/${m}`)).status).toBe(404);
    expect((await admin("DELETE", `/tenants/${other.id}/opt-outs/${m}`)).status).toBe(404);
    expect((await admin("GET", `/tenants/${other.id}/opt-outs`)).body.items).toEqual([]);
    expect((await admin("GET", `/tenants/${t.id}/opt-outs/${m}`)).status).toBe(200);
  });
});
