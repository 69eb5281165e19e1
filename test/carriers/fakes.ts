// Test helpers for the HTTP provider adapters: the loopback fakes' ports (test/setup/provider-fakes.ts),
// what a fake received, numbers that trigger a fake's outcome, and messages as dispatch hands them over.
import { inject } from "vitest";
import { newIds } from "../../src/core/ids";
import { randomDigits, randomHex } from "../../src/core/crypto";
import type { CarrierConfig, CarrierType, OutboundMessage } from "../../src/carriers/types";

export type Provider = "aliyun" | "tencent" | "twilio";

export const fakeUrl = (p: Provider): string => `http://127.0.0.1:${inject("providerFakes")[p]}`;

export async function fakeRequests(p: Provider, key: string): Promise<Array<{ key: string; action: string; at: number; params: any; headers: Record<string, string>; refused?: string }>> {
  const res = await fetch(`${fakeUrl(p)}/__fake/requests?key=${encodeURIComponent(key)}`);
  return res.json();
}

/** The fakes' outcomes by the last four digits (see the globalSetup file). */
export const RULE = {
  invalid: "0001",
  frequency: "0002",
  server: "0003",
  hangSent: "0004",
  hangLost: "0005",
  account: "0006",
  rate: "0007",
  proxy: "0008",
  undelivered: "0009",
  refuseCall: "0011",
} as const;

/** A mainland mobile: ordinary (delivered) unless a rule suffix is given. */
export function mobile(rule?: keyof typeof RULE): string {
  const tail = rule ? RULE[rule] : String(1000 + (Number(randomDigits(4)) % 9000));
  return `+86138${randomDigits(4)}${tail}`;
}

export function message(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: newIds(1)[0]!,
    tenantId: "t-test",
    mobile: mobile(),
    content: "【边缘短信】您的验证码是123456",
    channel: "sms",
    kind: "notification",
    encoding: "ucs2",
    segments: 1,
    signature: "边缘短信",
    templateId: 1,
    params: { code: "123456" },
    sourceAddr: null,
    extension: null,
    providerTemplate: { code: "SMS_100001", signName: "边缘短信" },
    attempts: 1,
    ...over,
  };
}

/** `n` messages of one batch (consecutive ids), as dispatch hands them over. */
export function batch(n: number, over: (i: number) => Partial<OutboundMessage> = () => ({})): OutboundMessage[] {
  const ids = newIds(n);
  return ids.map((id, i) => message({ id, ...over(i) }));
}

export const config = <S>(type: CarrierType, settings: S, name = `c-${randomHex(4)}`): CarrierConfig<S> => ({ name, type, enabled: true, version: 1, settings });

export const byId = <T extends { id: string }>(list: T[]): Map<string, T> => new Map(list.map((r) => [r.id, r]));
