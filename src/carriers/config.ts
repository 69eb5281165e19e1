// A carrier's configuration as the adapters use it: the row's settings with its sealed secrets
// opened, and the built-in simulator (SIMULATOR = "true") that exists without a row.
import type { CarrierConfig } from "./types";
import { encryptSecret, openSecret, secretsKey } from "../core/crypto";
import { getCarrierRow, getCarrierRows, type CarrierRow } from "../store/carriers";
import { SIMULATOR } from "./simulator";
import { directoryDb } from "../store/db";

export const simulatorEnabled = (env: Env): boolean => env.SIMULATOR === "true";

/** The built-in simulator carrier, present only where the simulator is enabled. */
export const builtInSimulator = (): CarrierConfig => ({ name: SIMULATOR, type: "simulator", enabled: true, maxTps: null, version: 1, settings: {} });

export async function toCarrierConfig(env: Env, row: CarrierRow): Promise<CarrierConfig> {
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  const secrets = row.secrets === null ? {} : (JSON.parse(await openSecret(env, row.secrets)) as Record<string, unknown>);
  return { name: row.name, type: row.type, enabled: row.enabled === 1, maxTps: row.max_tps, version: row.version, settings: { ...settings, ...secrets } };
}

/** A carrier's configuration by name (disabled ones included), or null when there is none. */
export async function loadCarrierConfig(env: Env, name: string): Promise<CarrierConfig | null> {
  const row = await getCarrierRow(directoryDb(env), name);
  if (row) return toCarrierConfig(env, row);
  return name === SIMULATOR && simulatorEnabled(env) ? builtInSimulator() : null;
}

/** Configurations of carrier rows by name, with the built-in simulator where it exists and no row shadows it. */
export async function configsOf(env: Env, rows: CarrierRow[]): Promise<Map<string, CarrierConfig>> {
  const out = new Map<string, CarrierConfig>();
  for (const row of rows) out.set(row.name, await toCarrierConfig(env, row));
  if (!out.has(SIMULATOR) && simulatorEnabled(env)) out.set(SIMULATOR, builtInSimulator());
  return out;
}

/** Configurations of several carriers in one read; unknown names are absent from the map. */
export async function loadCarrierConfigs(env: Env, names: string[]): Promise<Map<string, CarrierConfig>> {
  const all = await configsOf(env, await getCarrierRows(directoryDb(env), names));
  return new Map([...all].filter(([name]) => names.includes(name)));
}

/** A kind's settings split for storage: the plain part as JSON, the secret fields sealed together. */
export async function sealSettings(env: Env, secretKeys: readonly string[], settings: Record<string, unknown>): Promise<{ settings: string; secrets: string | null }> {
  const plain: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    // An optional secret left unset is not stored, so the carrier's view lists only the secrets it has.
    if (secretKeys.includes(k)) {
      if (v !== undefined && v !== null) secret[k] = v;
    } else plain[k] = v;
  }
  const sealed = Object.keys(secret).length === 0 ? null : await encryptSecret(secretsKey(env), JSON.stringify(secret));
  return { settings: JSON.stringify(plain), secrets: sealed };
}
