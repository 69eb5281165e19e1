// The store's D1 accessor: the only module that reads `env.DB`. Every other module reaches the
// database through one of these three doors, so that sharding tenants over several D1 databases
// (DESIGN.md, "Past one machine") changes only this file: `tenantDb` would pick the tenant's shard,
// `everyDb` would list every shard, and `directoryDb` would stay the one database that holds what
// is read before a tenant is known and what belongs to the operator.

/** A tenant's database handle. Store functions over tenant-owned tables take this instead of a bare
 * handle and a separate id, and use its `tenantId` in every WHERE and INSERT: a caller cannot forget
 * the scope or pass another tenant's id alongside the wrong handle. */
export interface TenantDb {
  readonly db: D1Database;
  readonly tenantId: string;
}

export const tenantDb = (env: Env, tenantId: string): TenantDb => ({ db: env.DB, tenantId });

/** Reads before a tenant is known (credential by key, token, access key, carrier reference) and the
 * operator's tables (tenants list, carriers, routes, prices, dead letters, the review queue). Queue
 * consumers that address messages by id across tenants also use it today: their bodies carry no tenant. */
export const directoryDb = (env: Env): D1Database => env.DB;

/** Every database, for cron sweeps that visit all tenants. */
export const everyDb = (env: Env): readonly D1Database[] => [env.DB];
