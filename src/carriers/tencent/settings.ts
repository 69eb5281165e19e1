// The "tencent" carrier's settings as saved by the operator API (validated when saved); secret fields are
// sealed at rest (kind.ts lists them).
import { z } from "zod";
import { ProviderUrl, TimeoutMs } from "../provider-http";

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
