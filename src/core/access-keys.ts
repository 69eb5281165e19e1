// Huawei access keys (AK/SK) of a huawei credential: the AK is public (20 upper-case letters and
// digits, as Huawei issues them), the SK (40 characters) is shown once and kept sealed, because
// verifying a signature recomputes it with the SK itself.
import { CoreError } from "./errors";
import { dialectTraits } from "./dialect-registry";
import { encryptSecret, randomAlnum, randomBytes, secretsKey } from "./crypto";
import type { App } from "./types";
import { deleteAccessKey, insertAccessKey, listAccessKeys, type AccessKeyView } from "../store/access-keys";
import { tenantDb } from "../store/db";

/** Huawei allows two access keys per IAM user. */
export const MAX_ACCESS_KEYS = 2;

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `length` characters of [A-Z0-9] (rejection sampling: 252 = 7 × 36, no bias). */
function randomUpperAlnum(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) if (b < 252 && out.length < length) out += UPPER_ALNUM[b % 36];
  }
  return out;
}

export interface IssuedAccessKey extends AccessKeyView {
  /** Shown once; stored sealed only. */
  secretKey: string;
}

export async function createAccessKey(env: Env, app: App, description: string, now: number): Promise<IssuedAccessKey> {
  if (!dialectTraits(app.dialect).accessKeys) throw new CoreError("invalid_input", "access keys belong to huawei credentials only", { field: "appId" });
  const accessKey = randomUpperAlnum(20);
  const secretKey = randomAlnum(40);
  const ok = await insertAccessKey(
    tenantDb(env, app.tenantId).db,
    { access_key: accessKey, tenant_id: app.tenantId, app_id: app.id, secret_enc: await encryptSecret(secretsKey(env), secretKey), description, created_at: now },
    MAX_ACCESS_KEYS,
  );
  if (!ok) throw new CoreError("too_many_access_keys", `this credential already has ${MAX_ACCESS_KEYS} access keys: delete one first`);
  return { accessKey, appId: app.id, description, createdAt: now, secretKey };
}

export const accessKeysOf = (env: Env, app: App): Promise<AccessKeyView[]> => listAccessKeys(tenantDb(env, app.tenantId), app.id);

export async function removeAccessKey(env: Env, app: App, accessKey: string): Promise<void> {
  if (!(await deleteAccessKey(tenantDb(env, app.tenantId), app.id, accessKey))) throw new CoreError("not_found", `access key ${accessKey} does not exist`);
}
