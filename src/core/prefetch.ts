// "Authenticate and prefetch in one D1 round trip", declared: a dialect names what its endpoint will
// need (a template, signatures, a code's message) and gets typed values back; the statements, their
// scoping to the credential's tenant and the slicing of the batch's results stay in core and store.
import { authenticateWith, type KeyedReads } from "./credentials";
import { resolveTokenWith } from "./tokens";
import type { App, Dialect, Tenant } from "./types";
import { accessKeyScope, getAccessKeyWith } from "../store/access-keys";
import type { AuthScope } from "../store/apps";
import { directoryDb } from "../store/db";
import { signaturesIn, type Signature } from "../store/signatures";
import { templateReadIn, type TemplateRead } from "../store/templates";
import { toAppAndTenant } from "./apps";
import { codeMessageIn, type CodeMessage } from "../store/messages/read";
import { reuseFor, type Attempt, type Reuse } from "./snapshots";
import { revisionWith } from "../store/tenants";

/** What to read with authentication, all scoped to the credential's tenant (and app, for its default signature). */
export interface Prefetch {
  /** A template, its own signature, and the signature `signatureId` (null: the app's default) as `other`. */
  template?: { id: number; signatureId: number | null };
  /** Signatures by name or uid, plus the app's default one with `withDefault`. */
  signatures?: { names?: string[]; uids?: string[]; withDefault?: boolean };
  /** The message a verification code was sent in (kind, mobile, dialect), by message id. */
  codeMessage?: string;
}

/** What a Prefetch found; a part that was not asked for is null (or empty). */
export interface Prefetched {
  template: TemplateRead | null;
  signatures: Signature[];
  codeMessage: CodeMessage | null;
}

/**
 * A key and secret (JPush, smsapi, paasw's token request), or a login token (paasw, Huawei IAM).
 * `attempt`: the router's run of the request, which may reuse what the isolate kept (core/snapshots.ts).
 */
export type Credentials = ({ dialect: Dialect; key: string; secret: string } | { dialect: Dialect; token: string }) & { ip: string; attempt?: Attempt };

const NOTHING_PREFETCHED: Prefetched = { template: null, signatures: [], codeMessage: null };

/** A Prefetch and what the endpoint makes of its result: data and a pure function, no statements. */
export interface PrefetchPlan<T> {
  prefetch: Prefetch;
  take: (read: Prefetched) => T;
}

/** The plan of an endpoint (or a refused body) that reads nothing with authentication. */
export const READ_NOTHING: PrefetchPlan<null> = { prefetch: {}, take: () => null };

/** The statements of `p` for `scope`, and how to turn the batch's results back into a Prefetched. */
function readsOf(db: D1Database, scope: AuthScope, p: Prefetch): KeyedReads<Prefetched> {
  const t = p.template ? templateReadIn(db, scope, p.template.id, p.template.signatureId) : null;
  const s = p.signatures ? signaturesIn(db, scope, p.signatures) : null;
  const c = p.codeMessage !== undefined ? codeMessageIn(db, scope, p.codeMessage) : null;
  const parts = [t, s, c];
  return {
    statements: parts.flatMap((x) => x?.statements ?? []),
    read: (results) => {
      let at = 0;
      const take = <T>(x: { statements: D1PreparedStatement[]; read: (r: D1Result[]) => T } | null): T | null => {
        if (!x) return null;
        const mine = results.slice(at, at + x.statements.length);
        at += x.statements.length;
        return x.read(mine);
      };
      return { template: take(t), signatures: take(s) ?? [], codeMessage: take(c) };
    },
  };
}

/**
 * Authenticates `credentials` (key + secret, or token) and reads `prefetch` in the same D1 batch,
 * or takes both from a snapshot when `credentials.attempt` allows it (core/snapshots.ts). What was
 * read is returned only once the credentials and the app's state passed, so a wrong secret learns
 * nothing from it. Throws the core's credential refusals.
 */
export async function authenticateAndRead(
  env: Env,
  credentials: Credentials,
  prefetch: Prefetch = {},
): Promise<{ app: App; tenant: Tenant; read: Prefetched }> {
  const { dialect, ip } = credentials;
  // The credential names its tenant: until it is read, the reads go through the directory handle.
  const more = (scope: AuthScope) => readsOf(directoryDb(env), scope, prefetch);
  const reuse = reusable(env, credentials.attempt, prefetch);
  const r =
    "token" in credentials
      ? await resolveTokenWith(env, dialect, credentials.token, ip, more, reuse)
      : await authenticateWith(env, dialect, credentials.key, credentials.secret, ip, more, reuse);
  return { app: r.app, tenant: r.tenant, read: r.extra };
}

/**
 * An access key (Huawei AK/SK) with its app and tenant, and `prefetch`, in one batch. The signature
 * check is the dialect's (its canonical request): `read` may be used only once it passed.
 */
export async function findAccessKeyAndRead(
  env: Env,
  accessKey: string,
  prefetch: Prefetch = {},
  attempt?: Attempt,
): Promise<{ found: { secretEnc: string; app: App; tenant: Tenant } | null; read: Prefetched }> {
  const db = directoryDb(env);
  const reads = readsOf(db, accessKeyScope(accessKey), prefetch);
  return reusable(env, attempt, prefetch)(
    `access key ${accessKey}`,
    async () => {
      const { found, results } = await getAccessKeyWith(db, accessKey, reads.statements);
      return { found: found && { secretEnc: found.secretEnc, ...toAppAndTenant(found) }, results };
    },
    (tenantId, appId) => revisionWith(db, tenantId, appId, reads.statements),
    ({ found, results }) => ({ found, read: found ? reads.read(results) : NOTHING_PREFETCHED }),
  );
}

/** A code's message is read per message: it is never kept, only the credential's owner is. */
const reusable = (env: Env, attempt: Attempt | undefined, prefetch: Prefetch): Reuse =>
  reuseFor(env, attempt, prefetch.codeMessage === undefined ? JSON.stringify(prefetch) : null);
