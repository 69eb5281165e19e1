// Zod schemas of the Huawei dialect: IAM password login, the three SMS publish forms and their
// answers. Types are checked here; per-item meaning (mobile, signature, length) is checked later
// so that one bad item of a batch does not refuse the others.
import { z } from "zod";
import { CustomerRef } from "../../core/status";

/**
 * The customer's reference, named as Huawei's Message & SMS API names it ("extend": returned as
 * sent in status reports); an edgesms addition to the SMN bodies, echoed by the status query.
 */
const Extend = CustomerRef.optional().nullable().describe("your own reference (≤ 64 characters), echoed by GET …/notifications/sms and pushes");

/** "true"/"false" strings (the document's own example) or booleans; default false. */
export const SignFlag = z
  .union([z.boolean(), z.string().regex(/^(true|false)$/i, "must be true or false")])
  .optional()
  .nullable()
  .transform((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));

const Endpoint = z.string().min(1).max(64);
const SignId = z.string().max(64).optional().nullable();

export const SmsItem = z.object({
  endpoint: Endpoint,
  message: z.string(),
  sign_id: SignId,
  message_include_sign_flag: SignFlag,
  extend: Extend,
});
export type SmsItem = z.infer<typeof SmsItem>;

/** SmsBatchPublishWithDiffMessage: fewer than 1000 items. */
export const MAX_DIFF_ITEMS = 999;
/** One text to many numbers (SMN.0159: no more than 1000 phone numbers). */
export const MAX_ENDPOINTS = 1000;

export const SmsBatchRequest = z.object({ sms_message: z.array(SmsItem).min(1).max(MAX_DIFF_ITEMS) });
export const SmsEndpointsRequest = z.object({
  endpoints: z.array(Endpoint).min(1).max(MAX_ENDPOINTS),
  message: z.string(),
  sign_id: SignId,
  message_include_sign_flag: SignFlag,
  extend: Extend,
});
export const SmsSingleRequest = SmsItem;
export const SmsPublishRequest = z.union([SmsBatchRequest, SmsEndpointsRequest, SmsSingleRequest]);

export const SmsSingleResponse = z.object({ request_id: z.string(), message_id: z.string() });
export const SmsResultItem = z.union([
  z.object({ endpoint: z.string(), message_id: z.string() }),
  z.object({ endpoint: z.string(), code: z.string(), message: z.string() }),
]);
export const SmsBatchResponse = z.object({ request_id: z.string(), result: z.array(SmsResultItem) });
export const SmsPublishResponse = z.union([SmsSingleResponse, SmsBatchResponse]);

const Named = z.object({ id: z.string().max(128).optional(), name: z.string().max(128).optional() });

export const IamTokenRequest = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).refine((m) => m.includes("password"), "only the password method is supported"),
      password: z.object({
        user: z.object({ name: z.string().min(1).max(128), password: z.string().min(1).max(256), domain: Named.optional() }),
      }),
    }),
    scope: z.object({
      project: Named.refine((p) => !!(p.id || p.name), "scope.project needs an id or a name"),
    }),
  }),
});
export type IamTokenRequest = z.infer<typeof IamTokenRequest>;

const Ref = z.object({ id: z.string(), name: z.string() });
export const IamTokenResponse = z.object({
  token: z.object({
    expires_at: z.string().describe("UTC, exactly six fractional digits: 2026-05-01T08:00:00.000000Z"),
    issued_at: z.string(),
    methods: z.array(z.string()),
    catalog: z.array(z.unknown()),
    roles: z.array(Ref),
    project: Ref.extend({ domain: Ref }),
    domain: Ref,
    user: Ref.extend({ domain: Ref, password_expires_at: z.string() }),
  }),
});
