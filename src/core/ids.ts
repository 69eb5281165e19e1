// Message and batch ids: decimal strings (JPush clients treat msg_id as a number-like string,
// paasw's bizId is all digits) drawn from 62 random bits. A batch's ids are consecutive from
// one random base, so ids inside a request never collide and ids across requests collide
// only with negligible probability (the primary key would refuse it, and the request fails cleanly).

import { randomBytes } from "./crypto";

const MAX = 1n << 62n;

function randomBase(): bigint {
  const b = randomBytes(8);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v % MAX;
}

/** `n` consecutive ids starting from a random base (all 19 digits, wrapping inside the range). */
export function newIds(n: number): string[] {
  const base = randomBase();
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = String(((base + BigInt(i)) % MAX) + 10n ** 18n * 1n);
  return ids;
}

export const newId = (): string => newIds(1)[0]!;
