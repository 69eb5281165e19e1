// Request pieces shared by the credential ("app") endpoints, and the once-shown credential block.
import { z } from "zod";
import { isValidIpOrCidr } from "../../core/ip";
import { KINDS, type Dialect } from "../../core/types";
import { getApp } from "../../store/apps";
import { getSignature } from "../../store/signatures";
import { AdminError, invalid } from "../http";
import { AppView } from "../views";
import { tenantDb } from "../../store/db";
import { toApp } from "../../core/apps";

export const AppParams = z.object({ id: z.string().min(1).max(100), appId: z.string().min(1).max(100) });

/** A non-empty subset of the kinds, stored as the comma list the apps table keeps. */
export const KindsInput = z
  .array(z.enum(KINDS))
  .min(1)
  .refine((ks) => new Set(ks).size === ks.length, "each kind at most once")
  .transform((ks) => KINDS.filter((k) => ks.includes(k)).join(","));

/** A spending cap in minor units (1 = 0.001 CNY), within the balance ceiling of the operator API. */
export const SpendingCap = z.number().int().min(0).max(1e12);

export const SignatureIdInput = z.number().int().positive().describe("one of this tenant's signatures");

/** Where pushes go: http(s) only, no user:password@ (credentials must not sit in a URL), ≤ 2048 chars. */
export const CallbackUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && u.username === "" && u.password === "" && u.hostname !== "";
    } catch {
      return false;
    }
  }, "an http or https URL without user:password@");

export const IpAllowlist = z
  .array(z.string().max(64).refine(isValidIpOrCidr, "not an IP address or CIDR range"))
  .max(100)
  .describe("IPs or CIDR ranges; null allows any address");

export const Credentials = z
  .record(z.string(), z.string())
  .describe(
    "shown once. jpush: appKey, masterSecret; jpush_dev: devKey, devSecret; paasw: appId, secret; " +
      "huawei: user_name, password, project_id, domain_name; smsapi: api_key (<key>.<secret>)",
  );

export const IssuedApp = AppView.extend({ credentials: Credentials });

export function credentialsOf(dialect: Dialect, key: string, secret: string, projectId: string | null, tenantId = ""): Record<string, string> {
  switch (dialect) {
    case "jpush":
      return { appKey: key, masterSecret: secret };
    case "jpush_dev":
      return { devKey: key, devSecret: secret };
    case "paasw":
      return { appId: key, secret };
    case "huawei":
      // The IAM login's domain (Huawei's account name) is the tenant id.
      return { user_name: key, password: secret, project_id: projectId ?? "", domain_name: tenantId };
    case "smsapi":
      return { api_key: `${key}.${secret}` };
  }
}

export async function requireApp(env: Env, tenantId: string, appId: string) {
  const row = await getApp(tenantDb(env, tenantId), appId);
  if (!row) throw new AdminError(404, "not_found", `app ${appId} does not exist`);
  return toApp(row);
}

/** A default signature named in a body must be one of this tenant's. */
export async function checkOwnSignature(env: Env, tenantId: string, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await getSignature(tenantDb(env, tenantId), id))) {
    throw invalid("the request has invalid fields", [{ path: "default_signature_id", message: `signature ${id} does not exist` }]);
  }
}
