// Helpers of the SMPP tests: the local SMSC's control API (a real SMPP server in Node, started by
// test/setup/smsc.ts), SMPP carriers inserted as rows with their sealed password, outbound messages.
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { randomDigits, randomHex } from "../../../src/core/crypto";
import { countSegments } from "../../../src/core/segments";
import { admin } from "../../admin/helpers";
import { loadCarrier } from "../../../src/carriers/registry";
import type { Carrier, OutboundMessage } from "../../../src/carriers/types";

export const smsc = () => inject("smsc");

export async function control<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const { host, controlPort } = smsc();
  const res = await fetch(`http://${host}:${controlPort}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`SMSC control ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export interface SubmitRecord {
  seq: number;
  at: number;
  sourceAddr: string;
  sourceTon: number;
  destAddr: string;
  destTon: number;
  esmClass: number;
  dataCoding: number;
  registeredDelivery: number;
  smLength: number;
  shortMessage: string;
  textLength: number;
  udh: { ref: number; total: number; seq: number } | null;
  answer?: number | "none" | "dropped" | "lost";
  messageId?: string;
}

export interface SmscRecords {
  submits: SubmitRecord[];
  binds: Array<{ status: number }>;
  delivers: Array<{ esmClass: number; status: number }>;
  enquireLinks: number;
  unbinds: number;
  maxOutstanding: number;
  connected: number;
}

export const records = (systemId: string) => control<SmscRecords>(`/records?systemId=${systemId}`);

export interface TestSmpp {
  name: string;
  systemId: string;
  carrier: Carrier;
  sourceAddr: string;
}

/**
 * A fresh SMPP carrier made through the operator API, pointing at the local SMSC with its own SMSC
 * account (so records and faults are its own).
 */
/** The carrier binds as it is created (its kind's onChange); `refuseBinds` makes the SMSC refuse that first. */
export async function makeSmppCarrier(opts: { settings?: Record<string, unknown>; wrongPassword?: boolean; refuseBinds?: boolean } = {}): Promise<TestSmpp> {
  const { host, smppPort } = smsc();
  const systemId = `t${randomHex(6)}`;
  const password = randomHex(4);
  await control("/accounts", { systemId, password });
  if (opts.refuseBinds) await control("/faults", { systemId, refuseBinds: true });
  const name = `smpp-${randomHex(5)}`;
  const sourceAddr = `1069${randomDigits(4)}`;
  const smpp = { host, port: smppPort, systemId, password: opts.wrongPassword ? "wrong" : password, sourceAddr, responseTimeoutSeconds: 2, ...opts.settings };
  const res = await admin("POST", "/carriers", { name, type: "smpp", smpp });
  if (res.status !== 201) throw new Error(`carrier create failed: ${JSON.stringify(res.body)}`);
  const carrier = await loadCarrier(env, name);
  if (!carrier) throw new Error("no SMPP adapter");
  return { name, systemId, carrier, sourceAddr };
}

/** An outbound message billed as the gateway bills it. */
export function outbound(content: string, over: Partial<OutboundMessage> = {}): OutboundMessage {
  const c = countSegments(content);
  return {
    id: randomDigits(18),
    tenantId: "tn_smpp_test",
    mobile: `+86139${randomDigits(8)}`,
    content,
    channel: "sms",
    kind: "notification",
    encoding: c.encoding,
    segments: c.segments,
    signature: null,
    templateId: null,
    params: null,
    sourceAddr: null,
    extension: null,
    providerTemplate: null,
    attempts: 1,
    ...over,
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const fromHex = (h: string): Uint8Array => new Uint8Array((h.match(/../g) ?? []).map((x) => parseInt(x, 16)));
export const toHex = (b: number[] | Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
