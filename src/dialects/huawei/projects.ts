// GET /v3/projects?name={region}: the Keystone project list AK/SK clients read first (Huawei's
// SDKs look their project id up by region name when none is configured). An edgesms huawei
// credential owns exactly one project: a region name lists it under that name.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { READ_NOTHING } from "../../core/prefetch";
import { json } from "../../http/respond";
import { authenticateHuawei } from "./aksk-auth";
import { iamError } from "./errors";
import { REGION } from "./iam-tokens";


const ProjectsQuery = z.object({ name: z.string().max(128).optional(), enabled: z.enum(["true", "false"]).optional() });

export const ProjectView = z.object({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  parent_id: z.string(),
  is_domain: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  links: z.object({ self: z.string() }),
});
export const ProjectsResponse = z.object({
  projects: z.array(ProjectView),
  links: z.object({ self: z.string(), previous: z.null(), next: z.null() }),
});

export async function getProjects(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await authenticateHuawei(req, env, READ_NOTHING);
  const parsed = ProjectsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return iamError(400, `Invalid query: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  const projectId = app.projectId ?? "";
  const { name, enabled } = parsed.data;
  const self = new URL(req.url);
  const base = `${self.origin}${self.pathname}`;
  // A region name (or the project id) finds the project; another name finds none, as in IAM.
  const matches = name === undefined || name === projectId || REGION.test(name);
  const listed = matches && enabled !== "false" && projectId !== "";
  return json({
    projects: listed
      ? [
          {
            id: projectId,
            name: name ?? projectId,
            domain_id: tenant.id,
            parent_id: tenant.id,
            is_domain: false,
            enabled: true,
            description: "",
            links: { self: `${base}/${projectId}` },
          },
        ]
      : [],
    links: { self: self.href, previous: null, next: null },
  });
}
