// Who a Huawei request acts as: an AK/SK signature (Authorization: SDK-HMAC-SHA256 …, verified
// against the access key's sealed secret; the algorithm is aksk.ts) or an IAM token (X-Auth-Token).
// Both end in the same app state checks; reads that share the round trip are scoped to the key's or
// the token's tenant. The SMN routes also bind the path's project (and X-Project-Id) to the credential.
import type { IRequest } from "itty-router";
import { admitApp } from "../../core/credentials";
import { openSecret } from "../../core/crypto";
import { CoreError } from "../../core/errors";
import { authenticateAndRead, findAccessKeyAndRead, READ_NOTHING, type PrefetchPlan } from "../../core/prefetch";
import type { App, Tenant } from "../../core/types";
import { MAX_BODY_BYTES, readBytes } from "../../http/body";
import { clientPath } from "../../http/mounts";
import { attemptOf } from "../../http/router";
import { clientIp } from "../../http/respond";
import { ALGORITHM, canonicalRequest, MAX_SKEW_MS, parseAuthorization, parseSdkDate, sha256HexOf, signatureMatches, UNSIGNED_PAYLOAD } from "./aksk";
import { refuse, SMN_OWN } from "./errors";

export interface HuaweiIdentity<T> {
  app: App;
  tenant: Tenant;
  extra: T;
}

/** The property the router's guard sets on a signed request: its body's hex SHA-256. */
const PAYLOAD = "akskPayloadSha256";

const isSigned = (req: Request): boolean => (req.headers.get("authorization") ?? "").trimStart().startsWith(ALGORITHM);

/**
 * Runs before every Huawei route (the router's guard): a signed request's body is hashed from a
 * copy, so the endpoint still reads the body itself. A body over the cap is not hashed (its
 * signature then fails, or the endpoint refuses it as too large). Never answers.
 */
export async function hashSignedPayload(req: IRequest): Promise<undefined> {
  if (!isSigned(req)) return undefined;
  if ((req.headers.get("x-sdk-content-sha256") ?? "").trim() === UNSIGNED_PAYLOAD) return undefined;
  const bytes = await readBytes(req.clone(), MAX_BODY_BYTES);
  if (bytes !== null) req[PAYLOAD] = await sha256HexOf(bytes);
  return undefined;
}

const fail = (message: string): CoreError => new CoreError("auth_failed", message);

/**
 * Throws CoreError auth_failed (missing, malformed, stale or wrong credentials) or the app-state
 * refusals. `plan` declares what to read in the credential's D1 round trip (core/prefetch).
 */
async function authenticateHuawei<T>(req: Request, env: Env, plan: PrefetchPlan<T>): Promise<HuaweiIdentity<T> & { method: "aksk" | "token" }> {
  const ip = clientIp(req);
  if (isSigned(req)) return { ...(await verifySigned(req, env, ip, plan)), method: "aksk" };
  const token = req.headers.get("x-auth-token");
  if (!token) throw fail("the X-Auth-Token header is missing");
  const { app, tenant, read } = await authenticateAndRead(env, { dialect: "huawei", token: token.trim(), ip, attempt: attemptOf(req) }, plan.prefetch);
  return { app, tenant, extra: plan.take(read), method: "token" };
}

/** GET /v3/projects: an AK/SK signature or a token, no project in the path. */
export async function authenticateIam(req: Request, env: Env): Promise<HuaweiIdentity<null>> {
  const { app, tenant, extra } = await authenticateHuawei(req, env, READ_NOTHING);
  return { app, tenant, extra };
}

/**
 * The SMN routes: authenticateHuawei, then the path's project (and the optional X-Project-Id
 * header) must be the credential's, else 403 APIGW.0302.
 */
export async function authenticateSmn<T>(req: Request, env: Env, pathProject: string, plan: PrefetchPlan<T>): Promise<HuaweiIdentity<T>> {
  const { app, tenant, extra, method } = await authenticateHuawei(req, env, plan);
  if (pathProject !== app.projectId) {
    const what = method === "aksk" ? "access key" : "token";
    throw refuse(SMN_OWN.projectMismatch, `The ${what} is not valid for project ${pathProject}.`);
  }
  const header = req.headers.get("x-project-id");
  if (header !== null && header.trim() !== pathProject) {
    throw refuse(SMN_OWN.projectMismatch, "X-Project-Id does not match the project in the path.");
  }
  return { app, tenant, extra };
}

async function verifySigned<T>(req: Request, env: Env, ip: string, plan: PrefetchPlan<T>): Promise<HuaweiIdentity<T>> {
  const auth = parseAuthorization(req.headers.get("authorization") ?? "");
  if (!auth) throw fail(`the Authorization header is not "${ALGORITHM} Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>"`);
  const sdkDate = req.headers.get("x-sdk-date");
  if (!auth.signedHeaders.includes("x-sdk-date") || sdkDate === null) throw fail("x-sdk-date must be sent and signed");
  const at = parseSdkDate(sdkDate);
  if (at === null) throw fail("x-sdk-date is not YYYYMMDDTHHMMSSZ");
  if (Math.abs(Date.now() - at) > MAX_SKEW_MS) {
    throw fail(`calc ak sk signature fail:signature expired (X-Sdk-Date ${sdkDate.trim()} is more than 15 minutes from the gateway's time)`);
  }
  if (auth.access.length > 128) throw fail("Get secretKey failed");
  // What the plan reads is used only once the signature below has been verified.
  const { found, read } = await findAccessKeyAndRead(env, auth.access, plan.prefetch, attemptOf(req));
  if (!found) throw fail("Get secretKey failed");

  const unsigned = (req.headers.get("x-sdk-content-sha256") ?? "").trim() === UNSIGNED_PAYLOAD;
  const payloadHash = unsigned ? UNSIGNED_PAYLOAD : ((req as IRequest)[PAYLOAD] as string | undefined) ?? (await sha256HexOf(""));
  const url = new URL(req.url);
  const canonical = canonicalRequest({
    method: req.method,
    path: clientPath(req),
    query: url.searchParams,
    // The Host the client sent (port included when it sent one), as it signed it.
    header: (h) => (h === "host" ? (req.headers.get("host") ?? url.host) : req.headers.get(h)),
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  if (!(await signatureMatches(await openSecret(env, found.secretEnc), sdkDate.trim(), canonical, auth.signature))) {
    throw fail("verify aksk signature fail");
  }
  const { app, tenant } = admitApp(found.app, found.tenant, ip);
  if (app.dialect !== "huawei") throw fail("Get secretKey failed");
  return { app, tenant, extra: plan.take(read) };
}
