// Snapshots of what a send reads with its authentication (the credential with its app and tenant,
// the template, the signatures), kept by the isolate for AUTH_SNAPSHOT_SECONDS and keyed by the
// credential and what was read with it. A send served from one makes one D1 round trip instead of
// two (docs/bench.md). It stays exact, never "stale for a few seconds":
// - an acceptance: every accept batch checks that the tenant's revision stamp (migration 0014) is
//   still the one the send was decided on; any change since rolls the batch back (StaleSnapshot)
//   and the request is run again on fresh rows (src/http/router.ts);
// - a refusal: one decided on a snapshot is decided again on fresh rows before it is answered
//   (wrong secret, blocked app, template, prices, limits: all as the database says now);
// - only send routes reuse a whole snapshot with no round trip (a Route's `sends`): what they
//   write is guarded;
// - other routes reuse the credential's owner only: their one round trip reads the tenant's stamp
//   with what they read anyway (a code's message, …) instead of the joined app and tenant rows, and
//   reads afresh when the stamp moved.
// Only an authentication that passed is kept, so unknown keys cannot fill the maps.

import type { App, Tenant } from "./types";
import type { MoneyRow } from "../store/tenants";

/** One run of a request's handler: whether it may be served from a snapshot, and what happened. */
export class Attempt {
  /** Authentication was served from a snapshot: a refusal must be decided again on fresh rows. */
  reused = false;
  /** The send's batch committed: from then on the request is never run again. */
  committed = false;
  /**
   * `sends`: a send route, whose fresh reads are kept as the credential's snapshot; `rerun`: a run
   * after one whose answer rested on rows that changed, which reads afresh.
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

/** What an authentication read: the credential's owner (null: unknown credential) and the rows read with it. */
export interface Loaded<F> {
  found: F | null;
  results: D1Result[];
}

/**
 * How an authentication reads: `load` reads the credential with its owner and `reads` in one D1
 * batch; `recheck(tenantId, appId)` reads the tenant's revision stamp and the money it leaves out
 * with `reads`, in one batch; `use` decides on what was read (it throws a refusal). `identity`
 * names the credential (dialect and key, a token's hash, an access key).
 */
export type Reuse = <F extends Owner, R>(
  identity: string,
  load: () => Promise<Loaded<F>>,
  recheck: Recheck,
  use: (v: Loaded<F>) => Promise<R> | R,
) => Promise<R>;

/** What every credential's owner holds. */
interface Owner {
  app: App;
  tenant: Tenant;
}

/** The stamp with the money it leaves out, and the route's own reads, in one round trip. */
type Recheck = (tenantId: string, appId: string) => Promise<{ current: MoneyRow | null; results: D1Result[] }>;

/** The owner with its balance and spending counters as just read (the stamp does not cover money). */
function withMoney<F extends Owner>(found: F, m: MoneyRow): F {
  return {
    ...found,
    tenant: { ...found.tenant, balance: m.balance },
    app: { ...found.app, caps: { ...found.app.caps, spentDay: m.spent_day, spentDayStart: m.spent_day_start, spentTotal: m.spent_total } },
  };
}

/** Reads afresh every time. */
export const FRESH: Reuse = async (_identity, load, _recheck, use) => use(await load());

/** Bounds the isolate's memory: past it the entry stored longest ago goes. */
const MAX_ENTRIES = 1024;
/** By credential: its owner, for any route (checked against the stamp in the route's own round trip). */
const owners = new Map<string, { until: number; found: unknown }>();
/** By credential and what a send read with it: for send routes (checked by the accept batch). */
const snapshots = new Map<string, { until: number; value: Loaded<unknown> }>();

function keep<V>(map: Map<string, { until: number } & V>, key: string, entry: { until: number } & V): void {
  map.delete(key);
  map.set(key, entry);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

/** AUTH_SNAPSHOT_SECONDS (default 30; 0 turns snapshots off). */
function snapshotMs(env: Env): number {
  const s = Number(env.AUTH_SNAPSHOT_SECONDS ?? 30);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 0;
}

/**
 * The Reuse for `attempt` and what is read with the credential (`reads`, part of a send's key;
 * null: reads that are never reused, like a code's message). A send route's first run is served
 * from its snapshot with no round trip at all; any other route, and reads never reused, from the
 * credential's owner when the stamp read in the route's one round trip is still the owner's.
 */
export function reuseFor(env: Env, attempt: Attempt | undefined, reads: string | null): Reuse {
  const ms = snapshotMs(env);
  if (!attempt || ms === 0) return FRESH;
  return async <F extends Owner, R>(identity: string, load: () => Promise<Loaded<F>>, recheck: Recheck, use: (v: Loaded<F>) => Promise<R> | R): Promise<R> => {
    const now = Date.now();
    const key = `${identity}\n${reads}`;
    const sends = attempt.sends && reads !== null && !attempt.rerun;
    const kept = sends ? snapshots.get(key) : undefined;
    if (kept && kept.until > now) {
      try {
        const out = await use(kept.value as Loaded<F>);
        attempt.reused = true;
        return out;
      } catch {
        // Refused on the snapshot: decided again below on current rows.
      }
    }
    snapshots.delete(key);
    let value: Loaded<F> | null = null;
    const owner = attempt.rerun ? undefined : owners.get(identity);
    if (owner && owner.until > now) {
      const found = owner.found as F;
      const { current, results } = await recheck(found.tenant.id, found.app.id);
      // The same stamp: nothing the owner was read with changed, so deciding on it (with the money
      // just read) is as exact as deciding on a fresh read: both were current when this ran.
      if (current && current.revision === found.tenant.revision) value = { found: withMoney(found, current), results };
    }
    const fresh = !value;
    if (!value) {
      owners.delete(identity);
      value = await load();
    }
    const out = await use(value);
    if (value.found) {
      if (fresh) keep(owners, identity, { until: now + ms, found: value.found });
      if (sends) keep(snapshots, key, { until: now + ms, value });
    }
    return out;
  };
}
