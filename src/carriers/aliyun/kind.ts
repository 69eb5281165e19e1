// The "aliyun" carrier type: Aliyun SMS (dysmsapi 2017-05-25) with its settings, its secrets
// (AccessKey secret, callback token) sealed at rest, template mapping required.
import { z } from "zod";
import type { CarrierKind } from "../types";
import { brokenCarrier, parsedSettings, ProviderUrl, timedProbe, TimeoutMs } from "../provider-http";
import { probe, query, submit } from "./client";
import { aliyunCallback } from "./callback";
import { errorJson } from "../http";

export const AliyunSettings = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).describe("the RAM user's AccessKey ID"),
  accessKeySecret: z.string().min(1).max(256).describe("secret: the AccessKey secret"),
  callbackToken: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/).describe("secret: the token the push URLs carry (?token=…)"),
  endpoint: ProviderUrl.default("https://dysmsapi.aliyuncs.com").describe("dysmsapi endpoint (a regional one, e.g. https://dysmsapi.ap-southeast-1.aliyuncs.com)"),
  regionId: z.string().regex(/^[a-z0-9-]{1,32}$/).default("cn-hangzhou"),
  timeoutMs: TimeoutMs.default(5000).describe("per call; Aliyun recommends at least 1 s"),
  maxParamLength: z.number().int().min(1).max(500).default(35).describe("longest template parameter value accepted (characters)"),
  concurrency: z.number().int().min(1).max(32).default(4).describe("calls in flight per dispatch batch"),
});
export type AliyunSettings = z.output<typeof AliyunSettings>;

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
