// POST /v3/auth/tokens: the IAM password login every Huawei SMN SDK performs first. Answers 201
// with the token in the X-Subject-Token header and a Keystone-style token body; the SDKs read only
// token.project.id (used in the SMS paths) and token.expires_at.
import type { IRequest } from "itty-router";
import { authenticate } from "../../core/credentials";
import { isCoreError } from "../../core/errors";
import { issueToken } from "../../core/tokens";
import { clientIp, json } from "../../http/respond";
import type { Route } from "../../http/router";
import { iamLoginRefusal, refuse } from "./errors";
import { readIamBody } from "./input";
import { IamTokenRequest, IamTokenResponse, REGION } from "./schemas";

/** Huawei IAM's token lifetime. */
const TOKEN_TTL_SECONDS = 86_400;

/**
 * Go parses with layout "2006-01-02T15:04:05.000000Z" (six fractional digits, literal Z) and the
 * Java 1.x SDK reads those digits as milliseconds: whole seconds with six zeros satisfy both.
 */
const iamTime = (ms: number): string => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.000000Z`;

async function postAuthTokens(req: IRequest, env: Env): Promise<Response> {
  const { identity, scope } = (await readIamBody(req, IamTokenRequest)).auth;
  const { app, tenant } = await authenticate(env, "huawei", identity.password.user.name, identity.password.user.password, clientIp(req)).catch((e: unknown) => {
    throw isCoreError(e) ? iamLoginRefusal(e) : e;
  });
  // The user's domain (Huawei's account) is its tenant: a domain named or numbered otherwise is
  // refused like a wrong password (an unknown domain tells nothing about which users exist).
  const domainSent = identity.password.user.domain;
  if (domainSent && ((domainSent.name !== undefined && domainSent.name !== tenant.id) || (domainSent.id !== undefined && domainSent.id !== tenant.id))) {
    throw refuse({ iam: 401 }, "The username or password is wrong.");
  }
  const projectId = app.projectId ?? "";
  // Every edgesms SMN user owns exactly one project: a region name scopes to it, an id must be it.
  const scoped = scope.project.id !== undefined ? scope.project.id === projectId : scope.project.name === projectId || REGION.test(scope.project.name ?? "");
  if (!projectId || !scoped) throw refuse({ iam: 401 }, "The request you have made requires authentication: the project is not available to this user.");

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

export const authTokensRoute: Route = {
  doc: {
    method: "post",
    path: "/v3/auth/tokens",
    tag: "Huawei SMN",
    summary: "IAM password login (token in the X-Subject-Token header, valid 24 h)",
    body: IamTokenRequest,
    response: IamTokenResponse,
    status: 201,
    errors: { "400": "malformed body", "401": "wrong user name or password, or a project this user does not own", "403": "app blocked or IP not allowed" },
  },
  handle: postAuthTokens,
};
