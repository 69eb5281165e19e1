// The "tencent" carrier type: Tencent Cloud SMS (API 2021-01-11), its secrets (SecretKey,
// callback token) sealed at rest, template mapping required.
import type { CarrierKind } from "../types";
import { TencentSettings } from "./settings";
import { errorJson } from "../http";
import { brokenCarrier, parsedSettings, timedProbe } from "../provider-http";
import { probe, query, submit } from "./client";
import { tencentCallback } from "./callback";

export const tencentKind: CarrierKind<typeof TencentSettings> = {
  type: "tencent",
  settings: TencentSettings,
  secrets: ["secretKey", "callbackToken"],
  templated: true,
  reportWindowMs: 10 * 60_000,
  create: (_env, config) => {
    const s = parsedSettings(TencentSettings, config.settings);
    if (!s.ok) return brokenCarrier(config.name, "tencent", s.reason);
    return { name: config.name, type: "tencent", submit: (messages) => submit(s.value, messages), query: (targets) => query(s.value, targets) };
  },
  callback: async (req, _env, config) => {
    const s = parsedSettings(TencentSettings, config.settings);
    return s.ok ? tencentCallback(req, s.value) : errorJson(503, "carrier_misconfigured", "this carrier's settings are invalid");
  },
  /** One read-only signed call: whether the endpoint answers and takes the credentials. */
  status: async (_env, config) => {
    const s = parsedSettings(TencentSettings, config.settings);
    if (!s.ok) return { settings: s.reason };
    return { ...(await timedProbe(s.value.endpoint, () => probe(s.value))) };
  },
};
