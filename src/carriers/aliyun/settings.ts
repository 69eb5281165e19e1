// The "aliyun" carrier's settings as saved by the operator API (validated when saved); secret fields are
// sealed at rest (kind.ts lists them).
import { z } from "zod";
import { ProviderUrl, TimeoutMs } from "../provider-http";

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
