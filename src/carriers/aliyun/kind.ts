// The "aliyun" carrier type: Aliyun SMS (dysmsapi 2017-05-25) with its settings, its secrets
// (AccessKey secret, callback token) sealed at rest, template mapping required.
import type { CarrierKind } from "../types";
import { AliyunSettings } from "./settings";
import { brokenCarrier, parsedSettings, timedProbe } from "../provider-http";
import { probe, query, submit } from "./client";
import { aliyunCallback } from "./callback";
import { errorJson } from "../http";

export const aliyunKind: CarrierKind<typeof AliyunSettings> = {
  type: "aliyun",
  settings: AliyunSettings,
  secrets: ["accessKeySecret", "callbackToken"],
  templated: true,
  reportWindowMs: 10 * 60_000,
  create: (_env, config) => {
    const s = parsedSettings(AliyunSettings, config.settings);
    if (!s.ok) return brokenCarrier(config.name, "aliyun", s.reason);
    return { name: config.name, type: "aliyun", submit: (messages) => submit(s.value, messages), query: (targets) => query(s.value, targets) };
  },
  callback: async (req, _env, config) => {
    const s = parsedSettings(AliyunSettings, config.settings);
    return s.ok ? aliyunCallback(req, s.value) : errorJson(503, "carrier_misconfigured", "this carrier's settings are invalid");
  },
  /** One read-only signed call: whether the endpoint answers and takes the credentials. */
  status: async (_env, config) => {
    const s = parsedSettings(AliyunSettings, config.settings);
    if (!s.ok) return { settings: s.reason };
    return { ...(await timedProbe(s.value.endpoint, () => probe(s.value))) };
  },
};
