// Snapshots of what a send reads with its authentication (the credential with its app and tenant,
// the template, the signatures), kept by the isolate for AUTH_SNAPSHOT_SECONDS and keyed by the
// credential and what was read with it. A send served from one makes one D1 round trip instead of
// two (docs/bench.md). It stays exact, never "stale for a few seconds":
// - an acceptance: the accept batch checks that the tenant's revision stamp (migration 0014) is
//   still the snapshot's; any change since rolls the batch back (StaleSnapshot) and the request is
//   run again on fresh rows (src/http/router.ts);
// - a refusal: one decided on a snapshot is decided again on fresh rows before it is answered
//   (wrong secret, blocked app, template, prices, limits: all as the database says now);
// - only send routes may reuse one (a Route's `sends`): what they write is guarded; other routes
//   read afresh, so a revoked credential reads nothing.
// Only an authentication that passed is kept, so unknown keys cannot fill the map.

/** One run of a request's handler: whether it may be served from a snapshot, and what happened. */
export class Attempt {
  /** Authentication was served from a snapshot: a refusal must be decided again on fresh rows. */
  reused = false;
  /** The send's batch committed: from then on the request is never run again. */
  committed = false;
  /**
   * `sends`: a send route, whose fresh reads are kept as the credential's snapshot; `rerun`: a run
   * after one whose snapshot proved stale, which reads afresh.
   */
  constructor(
    readonly sends: boolean,
    readonly rerun: boolean,
  ) {}
}

/** A send decided on a snapshot must be decided again on fresh rows: the router runs it again. */
export class StaleSnapshot extends Error {
  override readonly name = "StaleSnapshot";
  constructor() {
    super("the tenant's settings changed while the send was decided on an earlier snapshot");
  }
}

/**
 * How an authentication loads its rows (`load`) and decides on them (`use`, which throws a
 * refusal). `identity` names the credential (dialect and key, a token's hash, an access key).
 */
export type Reuse = <V extends { found: unknown }, R>(identity: string, load: () => Promise<V>, use: (v: V) => Promise<R> | R) => Promise<R>;

/** Reads afresh every time. */
export const FRESH: Reuse = async (_identity, load, use) => use(await load());

/** Bounds the isolate's memory: past it the snapshot stored longest ago goes. */
const MAX_SNAPSHOTS = 1024;
const snapshots = new Map<string, { until: number; value: unknown }>();

/** AUTH_SNAPSHOT_SECONDS (default 30; 0 turns snapshots off). */
function snapshotMs(env: Env): number {
  const s = Number(env.AUTH_SNAPSHOT_SECONDS ?? 30);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 0;
}

/** The Reuse for `attempt` and what is read with the credential (`reads`, part of the key). */
export function reuseFor(env: Env, attempt: Attempt | undefined, reads: string): Reuse {
  const ms = snapshotMs(env);
  if (!attempt?.sends || ms === 0) return FRESH;
  return async (identity, load, use) => {
    const key = `${identity}\n${reads}`;
    const kept = attempt.rerun ? undefined : snapshots.get(key);
    if (kept && kept.until > Date.now()) {
      try {
        const out = await use(kept.value as Parameters<typeof use>[0]);
        attempt.reused = true;
        return out;
      } catch {
        // Refused on the snapshot: decided again below on fresh rows (and the snapshot dropped).
        snapshots.delete(key);
      }
    }
    snapshots.delete(key);
    const value = await load();
    const out = await use(value);
    if (value.found) {
      snapshots.set(key, { until: Date.now() + ms, value });
      if (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
    }
    return out;
  };
}
