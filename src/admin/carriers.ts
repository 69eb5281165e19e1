// /admin/v1/carriers: carriers as data. Each type's settings are validated by its kind when saved,
// its secret fields are sealed under SECRETS_KEY and never answered; a change tells the type (an
// SMPP carrier unbinds) and resets the carrier's circuit.
import { z } from "zod";
import { json } from "../http/respond";
import { CARRIER_KINDS, carrierKind } from "../carriers/registry";
import { CARRIER_TYPES, type CarrierConfig, type CarrierKind, type CarrierType } from "../carriers/types";
import { loadCarrierConfig, sealSettings, simulatorEnabled, toCarrierConfig } from "../carriers/config";
import { gateOf } from "../carriers/gate";
import { openSecret } from "../core/crypto";
import { SIMULATOR } from "../carriers/simulator";
import {
  deleteCarrierRow,
  getCarrierRow,
  insertCarrierRow,
  listCarrierRows,
  updateCarrierRow,
  type CarrierRow,
} from "../store/carriers";
import { routesNaming } from "../store/routes";
import { AdminError, adminRoute, check, invalid, parseBody, parseParams, parseQuery } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { directoryDb } from "../store/db";

export const CarrierName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "1–32 characters: a–z, 0–9, _ and -, starting with a letter or digit");

const MaxTps = z.number().int().min(1).max(100_000).nullable().describe("parts per second across every Worker instance; null = no cap");

const kinds = (): CarrierKind[] => Object.values(CARRIER_KINDS);

const createBodyOf = (kind: CarrierKind) =>
  z.strictObject({
    name: CarrierName,
    type: z.literal(kind.type),
    enabled: z.boolean().default(true),
    max_tps: MaxTps.default(null),
    [kind.type]: kind.settings,
  });

export const CreateCarrierBody = z.discriminatedUnion(
  "type",
  kinds().map(createBodyOf) as unknown as [ReturnType<typeof createBodyOf>, ...ReturnType<typeof createBodyOf>[]],
);

/** A PATCH names only what changes; a type's settings are merged into the stored ones (a secret left out is kept). */
export const UpdateCarrierBody = z.strictObject({
  enabled: z.boolean().optional(),
  max_tps: MaxTps.optional(),
  ...Object.fromEntries(CARRIER_TYPES.map((t) => [t, z.record(z.string(), z.unknown()).optional()])),
});

export const CarrierView = z
  .object({
    name: z.string(),
    type: z.enum(CARRIER_TYPES),
    enabled: z.boolean(),
    max_tps: z.number().int().nullable(),
    secrets_set: z.array(z.string()).describe("secret settings that are stored (sealed; never shown)"),
    version: z.number().int(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .catchall(z.unknown())
  .describe("the type's settings are under the type's own key, without its secrets");

const Params = z.object({ name: CarrierName });

/** The parsed create body: the union's members differ only in their type key. */
interface NewCarrier {
  name: string;
  type: CarrierType;
  enabled: boolean;
  max_tps: number | null;
  [settings: string]: unknown;
}

/** The names of the secrets a row holds: opened only to list their keys, never their values. */
async function secretNames(env: Env, row: CarrierRow): Promise<string[]> {
  if (row.secrets === null) return [];
  return Object.keys(JSON.parse(await openSecret(env, row.secrets)) as Record<string, unknown>).sort();
}

async function view(env: Env, row: CarrierRow): Promise<z.infer<typeof CarrierView>> {
  return {
    name: row.name,
    type: row.type,
    enabled: row.enabled === 1,
    max_tps: row.max_tps,
    [row.type]: JSON.parse(row.settings) as Record<string, unknown>,
    secrets_set: await secretNames(env, row),
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The built-in simulator as the API shows it (it has no row and cannot be changed). */
const builtInView = (): z.infer<typeof CarrierView> => ({
  name: SIMULATOR,
  type: "simulator",
  enabled: true,
  max_tps: null,
  simulator: {},
  secrets_set: [],
  version: 1,
  created_at: 0,
  updated_at: 0,
});

function kindOf(env: Env, type: CarrierType): CarrierKind {
  const kind = carrierKind(type);
  if (!kind) throw invalid(`no adapter for carrier type "${type}" in this build`, [{ path: "type", message: "unsupported type" }]);
  if (type === "simulator" && !simulatorEnabled(env)) {
    throw invalid("the simulator is not available in this deployment (SIMULATOR is not \"true\")", [{ path: "type", message: "unavailable here" }]);
  }
  return kind;
}

async function requireRow(env: Env, name: string): Promise<CarrierRow> {
  const row = await getCarrierRow(directoryDb(env), name);
  if (row) return row;
  if (name === SIMULATOR && simulatorEnabled(env)) throw new AdminError(409, "built_in", "the built-in simulator cannot be changed or deleted");
  throw new AdminError(404, "not_found", `carrier ${name} does not exist`);
}

/** Tells the type about the change (an SMPP carrier binds or unbinds) and gives the carrier a fresh circuit. */
async function changed(env: Env, before: CarrierConfig | null, after: CarrierConfig | null): Promise<void> {
  const config = (after ?? before)!;
  await carrierKind(config.type)?.onChange?.(env, before, after);
  await gateOf(env, config.name).reset();
}

export const createCarrierRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/carriers",
    summary: "Add a carrier",
    description: `Types: ${CARRIER_TYPES.join(", ")}. The settings go under the type's own key; secrets (e.g. smpp.password) are sealed and never returned.`,
    body: CreateCarrierBody,
    response: CarrierView,
    status: 201,
    errors: { "409": "carrier_exists: the name is taken" },
  },
  async (req, env) => {
    const body = (await parseBody(req, CreateCarrierBody)) as NewCarrier;
    const kind = kindOf(env, body.type);
    if (body.name === SIMULATOR && simulatorEnabled(env)) throw new AdminError(409, "carrier_exists", "\"simulator\" is the built-in simulator's name");
    const sealed = await sealSettings(env, kind.secrets, body[body.type] as Record<string, unknown>);
    const now = Date.now();
    const row = { name: body.name, type: body.type, ...sealed, enabled: body.enabled ? 1 : 0, max_tps: body.max_tps };
    if (!(await insertCarrierRow(directoryDb(env), row, now))) throw new AdminError(409, "carrier_exists", `carrier ${body.name} exists`);
    const stored = (await getCarrierRow(directoryDb(env), body.name))!;
    await changed(env, null, await toCarrierConfig(env, stored));
    return json(await view(env, stored), 201);
  },
);

export const listCarriersRoute = adminRoute(
  { method: "get", path: "/admin/v1/carriers", summary: "List carriers", query: PageQuery, response: Page(CarrierView) },
  async (req, env) => {
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.string());
    const rows = await listCarrierRows(directoryDb(env), q.limit + 1, after);
    const shown = rows.slice(0, q.limit);
    const views = new Map(await Promise.all(shown.map(async (r) => [r.name, await view(env, r)] as const)));
    const listed = page(rows, q.limit, (r) => views.get(r.name)!, (r) => r.name);
    // The built-in simulator leads the first page where it exists and no row shadows it.
    if (after === null && simulatorEnabled(env) && !rows.some((r) => r.name === SIMULATOR)) listed.items.unshift(builtInView());
    return json(listed);
  },
);

export const getCarrierRoute = adminRoute(
  { method: "get", path: "/admin/v1/carriers/{name}", summary: "Get a carrier", response: CarrierView },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const row = await getCarrierRow(directoryDb(env), name);
    if (row) return json(await view(env, row));
    if (name === SIMULATOR && simulatorEnabled(env)) return json(builtInView());
    throw new AdminError(404, "not_found", `carrier ${name} does not exist`);
  },
);

export const updateCarrierRoute = adminRoute(
  {
    method: "patch",
    path: "/admin/v1/carriers/{name}",
    summary: "Change a carrier",
    description: "Settings are merged into the stored ones and validated whole; a secret left out is kept. A change unbinds an SMPP carrier's binds (they bind again with the new settings) and closes its circuit.",
    body: UpdateCarrierBody,
    response: CarrierView,
    errors: { "409": "conflict: changed concurrently, retry; built_in: the simulator cannot be changed" },
  },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const body = await parseBody(req, UpdateCarrierBody);
    const row = await requireRow(env, name);
    const kind = kindOf(env, row.type);
    const foreign = CARRIER_TYPES.filter((t) => t !== row.type && (body as Record<string, unknown>)[t] !== undefined);
    if (foreign.length > 0) throw invalid(`this carrier is of type ${row.type}`, foreign.map((t) => ({ path: t, message: `not a ${row.type} carrier's setting` })));
    const before = await toCarrierConfig(env, row);
    const patch = ((body as Record<string, unknown>)[row.type] ?? {}) as Record<string, unknown>;
    const settings = check(kind.settings, { ...before.settings, ...patch }, [row.type]) as Record<string, unknown>;
    const sealed = await sealSettings(env, kind.secrets, settings);
    const enabled = body.enabled === undefined ? row.enabled : body.enabled ? 1 : 0;
    const maxTps = body.max_tps === undefined ? row.max_tps : body.max_tps;
    const updated = await updateCarrierRow(directoryDb(env), { name, ...sealed, enabled, max_tps: maxTps, version: row.version }, Date.now());
    if (!updated) throw new AdminError(409, "conflict", `carrier ${name} was changed at the same time; read it and retry`);
    await changed(env, before, await toCarrierConfig(env, updated));
    return json(await view(env, updated));
  },
);

export const deleteCarrierRoute = adminRoute(
  {
    method: "delete",
    path: "/admin/v1/carriers/{name}",
    summary: "Delete a carrier",
    description: "Refused while a route names it. Messages it already took keep their references; its receipts still apply.",
    status: 204,
    errors: { "409": "carrier_in_use: routes name it (error.issues lists them); built_in: the simulator cannot be deleted" },
  },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const row = await requireRow(env, name);
    const using = await routesNaming(directoryDb(env), name);
    if (using.length > 0) {
      throw new AdminError(409, "carrier_in_use", `routes name carrier ${name}; change them first`, using.map((p) => ({ path: `routes[${p - 1}]`, message: "names this carrier" })));
    }
    const before = await toCarrierConfig(env, row);
    await deleteCarrierRow(directoryDb(env), name);
    await changed(env, before, null);
    return new Response(null, { status: 204 });
  },
);

export const CarrierStatusView = z.object({
  name: z.string(),
  type: z.enum(CARRIER_TYPES),
  enabled: z.boolean(),
  circuit: z.object({
    state: z.enum(["closed", "open", "half_open"]),
    consecutive_failures: z.number().int(),
    open_until: z.number().int().nullable(),
  }),
  recent: z.object({ outcomes: z.number().int(), error_rate: z.number().nullable(), mean_latency_ms: z.number().nullable() }),
  last_error: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).describe("the type's own live figures (SMPP: binds up, in flight, parts/s, last error)"),
});

export const carrierStatusRoute = adminRoute(
  { method: "get", path: "/admin/v1/carriers/{name}/status", summary: "A carrier's live status and health", response: CarrierStatusView },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const config = await loadCarrierConfig(env, name);
    if (!config) throw new AdminError(404, "not_found", `carrier ${name} does not exist`);
    const [gate, details] = await Promise.all([gateOf(env, name).status(), carrierKind(config.type)?.status?.(env, config) ?? {}]);
    const status: z.infer<typeof CarrierStatusView> = {
      name,
      type: config.type,
      enabled: config.enabled,
      circuit: { state: gate.circuit, consecutive_failures: gate.consecutiveFailures, open_until: gate.openUntil },
      recent: { outcomes: gate.recent.outcomes, error_rate: gate.recent.errorRate, mean_latency_ms: gate.recent.meanLatencyMs },
      last_error: gate.lastError,
      details,
    };
    return json(status);
  },
);
