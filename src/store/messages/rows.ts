// The messages table's row and the shape of a batch to accept (the batches table is written with it).
import type { Channel, Dialect, Kind } from "../columns";

export interface MessageRow {
  id: string;
  tenant_id: string;
  app_id: string;
  batch_id: string;
  dialect: string;
  channel: string;
  kind: string;
  mobile: string;
  content: string;
  signature: string | null;
  template_id: number | null;
  params: string | null;
  encoding: string;
  segments: number;
  price: number;
  status: string;
  result_code: string | null;
  result_message: string | null;
  send_at: number;
  carrier: string | null;
  carrier_ref: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

export interface NewMessage {
  id: string;
  mobile: string;
  content: string;
  signature: string | null;
  templateId: number | null;
  params: Record<string, string> | null;
  channel: Channel;
  encoding: "gsm7" | "ucs2";
  segments: number;
  price: number;
  customerRef?: string | null;
}

export interface NewBatch {
  id: string;
  appId: string;
  dialect: Dialect;
  kind: Kind;
  templateId: number | null;
  sendAt: number;
  scheduled: boolean;
  amount: number;
  now: number;
  messages: NewMessage[];
  /** The batch row exists (a schedule being replaced): update it instead of inserting it. */
  replaces?: boolean;
}
