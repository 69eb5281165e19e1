// The one place that picks the carrier from env.CARRIER.
import type { Carrier } from "./types";
import { simulatorCarrier } from "./simulator";

/**
 * A configured carrier without an adapter in this build: every submit is a transient failure, so
 * messages are retried, then failed and refunded — never silently dropped or "delivered".
 */
function unconfiguredCarrier(name: string): Carrier {
  return {
    name,
    type: "simulator",
    async submit(messages) {
      return messages.map((m) => ({ id: m.id, outcome: "transient" as const, reason: `no adapter for carrier "${name}"` }));
    },
  };
}

export const isSimulator = (env: Env): boolean => env.SIMULATOR === "true";

export function carrierFor(env: Env): Carrier {
  return isSimulator(env) ? simulatorCarrier(env) : unconfiguredCarrier("carrier");
}

/** Whether `name` is the carrier this deployment talks to (callbacks from any other are refused). */
export const isConfiguredCarrier = (env: Env, name: string): boolean => name === (isSimulator(env) ? "simulator" : "");
