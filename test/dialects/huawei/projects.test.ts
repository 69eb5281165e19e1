// GET /v3/projects?name={region}: the Keystone project list AK/SK clients read first, signed or with
// a token; a region name or the project id lists the credential's one project, another name none.
import { describe, expect, it } from "vitest";
import { call, type Json, setup } from "./helpers";

describe("GET /v3/projects", () => {
  it("GET /v3/projects?name={region} answers the credential's project, signed or with a token", async () => {
    const s = await setup({ accessKey: true, login: true });
    const res = await call(null, "GET", "http://gw/v3/projects?name=cn-north-4", undefined, { aksk: { key: s.accessKey! } });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body).toEqual({
      projects: [
        {
          id: s.projectId,
          name: "cn-north-4",
          domain_id: s.tenant.id,
          parent_id: s.tenant.id,
          is_domain: false,
          enabled: true,
          description: "",
          links: { self: `http://gw/v3/projects/${s.projectId}` },
        },
      ],
      links: { self: "http://gw/v3/projects?name=cn-north-4", previous: null, next: null },
    });
    const other = await call(null, "GET", "http://gw/v3/projects?name=not%20a%20region", undefined, { aksk: { key: s.accessKey! } });
    expect((other.body as Json).projects).toEqual([]);
    const byToken = await call(s, "GET", "/v3/projects?name=ap-southeast-1");
    expect((byToken.body as Json).projects[0]).toMatchObject({ id: s.projectId, name: "ap-southeast-1" });
  });

  it("a query that is not Keystone's is 400 in IAM's shape; enabled=false lists nothing", async () => {
    const s = await setup({ login: true });
    const bad = await call(s, "GET", "/v3/projects?enabled=maybe");
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 400, title: "Bad Request", message: expect.stringMatching(/^Invalid query: enabled: /) } } });
    const disabled = await call(s, "GET", "/v3/projects?enabled=false");
    expect(disabled).toMatchObject({ status: 200, body: { projects: [] } });
    const none = await call(s, "GET", "/v3/projects", undefined, { token: null });
    expect(none).toMatchObject({ status: 401, body: { code: "APIGW.0301", message: expect.stringMatching(/X-Auth-Token header is missing/) } });
  });
});
