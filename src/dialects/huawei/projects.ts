// GET /v3/projects?name={region}: the Keystone project list AK/SK clients read first (Huawei's
// SDKs look their project id up by region name when none is configured). An edgesms huawei
// credential owns exactly one project: a region name lists it under that name.
import type { IRequest } from "itty-router";
import { json } from "../../http/respond";
import type { Route } from "../../http/router";
import { authenticateIam } from "./auth";
import { readIamQuery } from "./input";
import { ProjectsQuery, ProjectsResponse, REGION } from "./schemas";

async function getProjects(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await authenticateIam(req, env);
  const { name, enabled } = readIamQuery(req, ProjectsQuery);
  const projectId = app.projectId ?? "";
  const self = new URL(req.url);
  const base = `${self.origin}${self.pathname}`;
  // A region name (or the project id) finds the project; another name finds none, as in IAM.
  const matches = name === undefined || name === projectId || REGION.test(name);
  const listed = matches && enabled !== "false" && projectId !== "";
  const project = { id: projectId, name: name ?? projectId, domain_id: tenant.id, parent_id: tenant.id, is_domain: false, enabled: true, description: "", links: { self: `${base}/${projectId}` } };
  return json({ projects: listed ? [project] : [], links: { self: self.href, previous: null, next: null } });
}

export const projectsRoute: Route = {
  doc: {
    method: "get",
    path: "/v3/projects",
    tag: "Huawei SMN",
    summary: "The credential's project (Keystone list), by region name: what AK/SK clients look up first",
    description: "`name` a region id (cn-north-4 …) or the project id lists the one project under that name; another name lists none. AK/SK (SDK-HMAC-SHA256) or X-Auth-Token.",
    query: ProjectsQuery,
    response: ProjectsResponse,
    errors: { "400": "bad query (IAM shape)", "401": "APIGW.0301 (see the SMN routes)", "403": "APIGW.0302: credential blocked, IP not allowed" },
    security: "huaweiToken",
  },
  handle: getProjects,
};
