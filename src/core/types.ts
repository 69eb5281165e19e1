// The domain's shared shapes: what a tenant, an app (credential) and a message are to the core.

import type { Channel, Dialect, Kind, MessageStatus } from "../store/columns";

// The schema's vocabularies are the store's (its CHECK constraints); callers keep importing them from here.
export { KINDS, DIALECTS, type Kind, type Dialect, type Channel, type MessageStatus } from "../store/columns";

/** Delivery codes follow paasw's list; each dialect maps them to its own shape. */
export const DELIVERY_CODES = {
  "10000": "delivered",
  "1": "submit failed",
  "4": "failed",
  "5": "blocked word",
  "6": "rejected",
  "7": "black/white list",
  "8": "over frequency",
  "9": "unknown",
} as const;
export type DeliveryCode = keyof typeof DELIVERY_CODES;

export interface Tenant {
  id: string;
  name: string;
  balance: number;
  /** Per segment, by kind, for mobiles of the home country; other destinations: priceTable. */
  prices: Record<Kind, number>;
  /** ISO 3166-1 alpha-2 country billed at `prices` (default CN). */
  homeCountry: string;
  /** JSON PriceRow[] as stored (src/core/pricing.ts); parsed only when a send leaves the home country. */
  priceTable: string;
  timezone: string;
  /** AES-GCM sealed under SECRETS_KEY ("v1.…"; rows from before sealing are plain): open with openSecret. */
  webhookSecret: string;
  settings: import("./tenant-settings").TenantSettings;
  createdAt: number;
  updatedAt: number;
  /** The stamp over everything a send reads about this tenant when it was read (migration 0014). */
  revision: number;
  /** Where its mobiles' MobileGuard decisions are made (migration 0020). */
  guard: import("../guard/mobile-guard").GuardLayout;
}

export interface App {
  id: string;
  tenantId: string;
  dialect: Dialect;
  key: string;
  projectId: string | null;
  secretHash: string;
  secretEnc: string | null;
  secretVersion: number;
  name: string;
  kinds: Kind[];
  smsEnabled: boolean;
  blocked: boolean;
  ipAllowlist: string[] | null;
  defaultSignatureId: number | null;
  reportUrl: string | null;
  replyUrl: string | null;
  options: Record<string, unknown>;
  /** Spending caps in minor units (null: none) and what counts against them (src/core/app-caps.ts). */
  caps: AppCaps;
  createdAt: number;
  updatedAt: number;
}

export interface AppCaps {
  daily: number | null;
  total: number | null;
  /** Spent since spentDayStart (epoch ms of that day's start in the tenant's timezone). */
  spentDay: number;
  spentDayStart: number;
  spentTotal: number;
}

export interface Message {
  id: string;
  tenantId: string;
  appId: string;
  batchId: string;
  dialect: Dialect;
  channel: Channel;
  kind: Kind;
  mobile: string;
  content: string;
  signature: string | null;
  templateId: number | null;
  params: Record<string, string> | null;
  encoding: "gsm7" | "ucs2";
  segments: number;
  price: number;
  status: MessageStatus;
  resultCode: string | null;
  resultMessage: string | null;
  sendAt: number;
  carrier: string | null;
  carrierRef: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  reportedAt: number | null;
}
