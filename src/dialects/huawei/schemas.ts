// Zod schemas of the Huawei dialect, every one: IAM password login, the Keystone project list, the
// three SMS publish forms, the status query, and their answers. Types are checked here; per-item
// meaning (mobile, signature, length) is checked later so that one bad item of a batch does not
// refuse the others.
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

/** A region id such as cn-north-4 or ap-southeast-1: what the SDKs put in scope.project.name (and /v3/projects?name=). */
export const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;

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

export const ProjectsQuery = z.object({ name: z.string().max(128).optional(), enabled: z.enum(["true", "false"]).optional() });

const ProjectView = z.object({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  parent_id: z.string(),
  is_domain: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  links: z.object({ self: z.string() }),
});
export const ProjectsResponse = z.object({
  projects: z.array(ProjectView),
  links: z.object({ self: z.string(), previous: z.null(), next: z.null() }),
});

/** Most items one status query answers (SMN's list APIs cap limit at 100). */
const MAX_STATUS_LIMIT = 100;

const MessageId = z.string().regex(/^\d{1,32}$/, "must be an id returned by the publish");
const Int = (min: number, max: number, dflt: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? dflt);

export const SmsStatusQuery = z
  .object({
    request_id: MessageId.optional().describe("the publish answer's request_id: every message of that request"),
    message_id: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x !== ""))
      .pipe(z.array(MessageId).min(1).max(MAX_STATUS_LIMIT))
      .optional()
      .describe(`one or more message_id, comma-separated (at most ${MAX_STATUS_LIMIT})`),
    offset: Int(0, 1_000_000, 0),
    limit: Int(1, MAX_STATUS_LIMIT, MAX_STATUS_LIMIT),
  })
  .refine((q) => q.request_id !== undefined || q.message_id !== undefined, { message: "request_id or message_id is required", path: ["request_id"] });

export const SmsStatusItem = z.object({
  message_id: z.string(),
  request_id: z.string().describe("the publish request this message belongs to"),
  endpoint: z.string().describe("E.164 with +"),
  status: z.string().describe("SCHEDULED, ACCEPTD, SUBMITTED (pending); DELIVRD, UNDELIV, REJECTD, CANCELED (final)"),
  final: z.boolean(),
  code: z.string().nullable().describe("delivery code once final: 10000 delivered; 1, 4–9 (docs/huawei.md)"),
  description: z.string().nullable(),
  extend: z.string().nullable().describe("the extend the publish carried"),
  sms_count: z.number().int(),
  submit_time: z.string().nullable(),
  report_time: z.string().nullable(),
});
export const SmsStatusResponse = z.object({ request_id: z.string(), sms_count: z.number().int(), sms: z.array(SmsStatusItem) });
