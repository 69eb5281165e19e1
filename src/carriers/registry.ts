// Every carrier type the gateway can talk to, by the `type` of /admin/v1/carriers, and the adapter
// a configuration gets.
import type { Carrier, CarrierConfig, CarrierKind, CarrierType } from "./types";
import { loadCarrierConfig, simulatorEnabled } from "./config";
import { simulatorKind } from "./simulator";
import { smppKind } from "./smpp/kind";
import { aliyunKind } from "./aliyun/kind";
import { tencentKind } from "./tencent/kind";
import { twilioKind } from "./twilio/kind";

export const CARRIER_KINDS: Partial<Record<CarrierType, CarrierKind>> = {
  simulator: simulatorKind as unknown as CarrierKind,
  smpp: smppKind as unknown as CarrierKind,
  aliyun: aliyunKind as unknown as CarrierKind,
  tencent: tencentKind as unknown as CarrierKind,
  twilio: twilioKind as unknown as CarrierKind,
};

export const carrierKind = (type: CarrierType): CarrierKind | undefined => CARRIER_KINDS[type];

/** The adapter of a configuration; null when this build has no adapter for its type. */
export function carrierOf(env: Env, config: CarrierConfig): Carrier | null {
  const kind = carrierKind(config.type);
  if (!kind) return null;
  if (config.type === "simulator" && !simulatorEnabled(env)) return null;
  return kind.create(env, config);
}

/** The adapter of a carrier by name (enabled or not), or null. */
export async function loadCarrier(env: Env, name: string): Promise<Carrier | null> {
  const config = await loadCarrierConfig(env, name);
  return config ? carrierOf(env, config) : null;
}
