// The "twilio" carrier's settings as saved by the operator API (validated when saved); secret fields are
// sealed at rest (kind.ts lists them).
import { z } from "zod";
import { ProviderUrl, TimeoutMs } from "../provider-http";

export const TwilioSettings = z
  .strictObject({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/).describe("the account SID (AC…)"),
    authToken: z.string().min(16).max(128).describe("secret: the Auth Token (also verifies X-Twilio-Signature)"),
    apiKeySid: z.string().regex(/^SK[0-9a-fA-F]{32}$/).nullable().default(null).describe("optional API key (SK…) used instead of the Auth Token for requests"),
    apiKeySecret: z.string().min(16).max(128).nullable().default(null).describe("secret: the API key's secret"),
    from: z.string().regex(/^(\+[1-9]\d{4,14}|[A-Za-z0-9 ]{1,11})$/).nullable().default(null).describe("sender: an E.164 number or an alphanumeric sender id"),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/).nullable().default(null).describe("a Messaging Service (MG…) instead of From"),
    callbackUrl: ProviderUrl.describe("the public URL of this carrier's /webhooks/carriers/{name}: sent as StatusCallback and used to verify signatures"),
    replySignature: z.string().min(1).max(64).nullable().default(null).describe("incoming messages are replies to this tenant signature (bare name); null: to the tenant that last messaged the sender through this carrier"),
    endpoint: ProviderUrl.default("https://api.twilio.com"),
    timeoutMs: TimeoutMs.default(10_000),
    concurrency: z.number().int().min(1).max(32).default(8),
  })
  .refine((s) => s.from !== null || s.messagingServiceSid !== null, { message: "from or messagingServiceSid is required", path: ["from"] })
  .refine((s) => (s.apiKeySid === null) === (s.apiKeySecret === null), { message: "apiKeySid and apiKeySecret go together", path: ["apiKeySecret"] });
export type TwilioSettings = z.output<typeof TwilioSettings>;
