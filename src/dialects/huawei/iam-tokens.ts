// POST /v3/auth/tokens: the IAM password login every Huawei SMN SDK performs first. Answers 201
// with the token in the X-Subject-Token header and a Keystone-style token body; the SDKs read only
// token.project.id (used in the SMS paths) and token.expires_at.
import type { IRequest } from "itty-router";
import { authenticate } from "../../core/credentials";
import { isCoreError } from "../../core/errors";
import { issueToken } from "../../core/tokens";
import { readBody } from "../../http/body";
import { clientIp, json } from "../../http/respond";
import { iamError } from "./errors";
import { IamTokenRequest } from "./schemas";

/** Huawei IAM's token lifetime. */
export const TOKEN_TTL_SECONDS = 86_400;

// A region id such as cn-north-4 or ap-southeast-1: what the SDKs put in scope.project.name.
export const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;

/**
 * Go parses with layout "2006-01-02T15:04:05.000000Z" (six fractional digits, literal Z) and the
 * Java 1.x SDK reads those digits as milliseconds: whole seconds with six zeros satisfy both.
 */
export const iamTime = (ms: number): string => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.000000Z`;

export async function postAuthTokens(req: IRequest, env: Env): Promise<Response> {
  const body = await readBody(req);
  if (body.kind === "too_large") return iamError(413, "The request body is too large.");
  if (body.kind === "unsupported") return iamError(415, `Unsupported content type: ${body.contentType}`);
  if (body.kind !== "json") return iamError(400, body.kind === "malformed" ? `The request body is not valid JSON: ${body.reason}` : "The request body is empty.");
  const parsed = IamTokenRequest.safeParse(body.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return iamError(400, `Invalid request: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { identity, scope } = parsed.data.auth;
  let authed;
  try {
    authed = await authenticate(env, "huawei", identity.password.user.name, identity.password.user.password, clientIp(req));
  } catch (e) {
    if (!isCoreError(e)) throw e;
    if (e.code === "auth_failed") return iamError(401, "The username or password is wrong.");
    return iamError(403, e.message);
  }
  const { app, tenant } = authed;
  // The user's domain (Huawei's account) is its tenant: a domain named or numbered otherwise is
  // refused like a wrong password (an unknown domain tells nothing about which users exist).
  const domainSent = identity.password.user.domain;
  if (domainSent && ((domainSent.name !== undefined && domainSent.name !== tenant.id) || (domainSent.id !== undefined && domainSent.id !== tenant.id))) {
    return iamError(401, "The username or password is wrong.");
  }
  const projectId = app.projectId ?? "";
  // Every edgesms SMN user owns exactly one project: a region name scopes to it, an id must be it.
  const scoped = scope.project.id !== undefined ? scope.project.id === projectId : scope.project.name === projectId || REGION.test(scope.project.name ?? "");
  if (!projectId || !scoped) return iamError(401, "The request you have made requires authentication: the project is not available to this user.");

  const token = await issueToken(env, app, TOKEN_TTL_SECONDS);
  const domain = { id: tenant.id, name: tenant.id };
  const res = json(
    {
      token: {
        expires_at: iamTime(token.expiresAt),
        issued_at: iamTime(token.issuedAt),
        methods: ["password"],
        catalog: [],
        roles: [{ id: "smn_adm", name: "SMN Administrator" }],
        project: { id: projectId, name: scope.project.name ?? projectId, domain },
        domain,
        user: { id: app.id, name: app.key, domain, password_expires_at: "" },
      },
    },
    201,
    // Exposed for browser clients; the SDKs read it server-side.
    { "Access-Control-Expose-Headers": "X-Subject-Token" },
  );
  // Set by name on the final Headers (json() lower-cases the names it copies): the runtime sends a
  // name as it was set, and clients that look it up case-sensitively (SMN Java SDK 2.0) need
  // Huawei's exact spelling. HTTP/2 and HTTP/3 carry header names lower-case whatever is set.
  res.headers.set("X-Subject-Token", token.token);
  return res;
}
