// The "tencent" carrier type: Tencent Cloud SMS (API 2021-01-11), its secrets (SecretKey,
// callback token) sealed at rest, template mapping required.
import { z } from "zod";
import type { CarrierKind } from "../types";
import { errorJson } from "../http";
import { brokenCarrier, parsedSettings, ProviderUrl, timedProbe, TimeoutMs } from "../provider-http";
import { probe, query, submit } from "./client";
import { tencentCallback } from "./callback";

export const TencentSettings = z.strictObject({
  secretId: z.string().regex(/^[A-Za-z0-9]{1,128}$/).describe("the API key's SecretId"),
  secretKey: z.string().min(1).max(256).describe("secret: the API key's SecretKey"),
  smsSdkAppId: z.string().regex(/^\d{1,20}$/).describe("the SMS application's SdkAppId"),
  callbackToken: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/).describe("secret: the token the callback URLs carry (?token=…)"),
  region: z.string().regex(/^[a-z0-9-]{1,32}$/).default("ap-guangzhou"),
  endpoint: ProviderUrl.default("https://sms.tencentcloudapi.com"),
  senderId: z.string().min(1).max(32).nullable().default(null).describe("international sender id, where one is approved"),
  timeoutMs: TimeoutMs.default(5000),
  maxParamLength: z.number().int().min(1).max(500).nullable().default(null).describe("longest parameter value accepted; null: the provider decides"),
  concurrency: z.number().int().min(1).max(32).default(4),
});
export type TencentSettings = z.output<typeof TencentSettings>;

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
