// The store's D1 accessor: the only module that reads `env.DB`. Every other module reaches the
// database through one of these three doors, so that sharding tenants over several D1 databases
// (DESIGN.md, "Past one machine") changes only this file: `tenantDb` would pick the tenant's shard,
// `everyDb` would list every shard, and `directoryDb` would stay the one database that holds what
// is read before a tenant is known and what belongs to the operator.
//
// Directory tables, and why they cannot live in a tenant's shard:
// - found by a key that names no tenant: apps by dialect key, tokens, access keys (the credential
//   decides the tenant); carrier_refs and receipts, because carrier events (reports, replies) arrive
//   by carrier reference without a tenant: core/delivery.ts applies them through `directoryDb`, as
//   does the reconcile job that records references it learns;
// - the operator's: tenants (the list), carriers, routes, carrier_templates, dead_letters, the
//   simulator inbox, and the statistics and review queue read across tenants.
// Dispatch is tenant-local: its queue bodies carry the tenant (core/dispatch-queue.ts), and the
// consumer claims through `tenantDb`; only a body queued before that asks the directory once which
// tenant its ids belong to (store/messages/read.ts `tenantsOfMessages`). The cron sweeps visit
// `everyDb` and return each moved message's tenant, so what they re-enqueue is tenant-local too.
// Today all three doors open the same database, so one batch may still join a tenant's rows with
// directory tables (the claim reads routes and carriers in its round trip; the local simulator lists
// its inbox through the messages sent to a mobile); a sharded layout splits such reads in two.

/** A tenant's database handle. Store functions over tenant-owned tables take this instead of a bare
 * handle and a separate id, and use its `tenantId` in every WHERE and INSERT: a caller cannot forget
 * the scope or pass another tenant's id alongside the wrong handle. */
export interface TenantDb {
  readonly db: D1Database;
  readonly tenantId: string;
}

export const tenantDb = (env: Env, tenantId: string): TenantDb => ({ db: env.DB, tenantId });

/** Reads before a tenant is known (credential by key, token, access key, carrier reference) and the
 * operator's tables (tenants list, carriers, routes, prices, dead letters, the review queue). The
 * carrier events consumer and recovery address messages by id or reference across tenants through it. */
export const directoryDb = (env: Env): D1Database => env.DB;

/** Every database, for cron sweeps that visit all tenants. */
export const everyDb = (env: Env): readonly D1Database[] => [env.DB];
