// The SMPP carrier type: its settings, its secret (the bind password), and the Carrier that spreads
// messages over the carrier's binds (one Durable Object each, "<carrier>#<index>") by message id, so a
// resubmit always reaches the bind holding that message's record.
import type { Carrier, CarrierConfig, CarrierKind, OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "../types";
import { SmppSettings } from "./settings";
import type { BindStatus } from "./bind";

export const bindName = (carrier: string, index: number): string => `${carrier}#${index}`;

const bindStub = (env: Env, carrier: string, index: number) => env.SMPP_BIND.get(env.SMPP_BIND.idFromName(bindName(carrier, index)));

/** The bind that owns a message id: FNV-1a of the id, so every attempt of a message picks the same one. */
export function bindIndex(id: string, binds: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % binds;
}

function groupBy<T>(items: T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}

/**
 * The settings with their defaults filled in. The operator API validates them when saved; a row that
 * no longer parses (an older shape) still spreads over one bind, whose own parse reports the problem.
 */
const settingsOf = (raw: unknown): Pick<SmppSettings, "binds"> => {
  const parsed = SmppSettings.safeParse(raw);
  return parsed.success ? parsed.data : { binds: 1 };
};

export function smppCarrier(env: Env, name: string, settings: Pick<SmppSettings, "binds">): Carrier {
  return {
    name,
    type: "smpp",
    async submit(messages: OutboundMessage[]): Promise<SubmitResult[]> {
      const groups = groupBy(messages, (m) => bindIndex(m.id, settings.binds));
      const answers = await Promise.all(
        [...groups].map(async ([index, group]) => {
          try {
            return await bindStub(env, name, index).submit({ carrier: name, index }, group);
          } catch (e) {
            // The bind object itself failed (e.g. reset by a deploy): nothing is known to be written by
            // this call, and the bind's record answers a resubmit of anything that was.
            return group.map((m): SubmitResult => ({ id: m.id, outcome: "transient", reason: `bind ${index} unavailable: ${String(e)}` }));
          }
        }),
      );
      return answers.flat();
    },
    async query(targets: QueryTarget[]): Promise<QueryResult[]> {
      const groups = groupBy(targets, (t) => bindIndex(t.id, settings.binds));
      const answers = await Promise.all([...groups].map(([index, group]) => bindStub(env, name, index).query({ carrier: name, index }, group)));
      return answers.flat();
    },
  };
}

/**
 * Brings every bind of a carrier up (after it is created or enabled, and from the cron): an SMSC
 * delivers receipts and replies only over a bound connection. Answers how many binds are up.
 */
export async function startBinds(env: Env, config: CarrierConfig): Promise<number> {
  if (!config.enabled) return 0;
  const up = await Promise.all(
    Array.from({ length: settingsOf(config.settings).binds }, (_, index) => bindStub(env, config.name, index).start({ carrier: config.name, index })),
  );
  return up.filter(Boolean).length;
}

export const smppKind: CarrierKind<typeof SmppSettings> = {
  type: "smpp",
  settings: SmppSettings,
  secrets: ["password"],
  templated: false,
  // SMSC receipts usually arrive within seconds to minutes; an hour before asking the bind's records.
  reportWindowMs: 3_600_000,
  create: (env, config) => smppCarrier(env, config.name, settingsOf(config.settings)),
  async onChange(env, before, after) {
    if (before === null) {
      if (after !== null) await startBinds(env, after);
      return;
    }
    const keep = after && after.enabled ? settingsOf(after.settings).binds : 0;
    await Promise.all(
      Array.from({ length: Math.max(settingsOf(before.settings).binds, keep) }, (_, index) =>
        bindStub(env, before.name, index).unbind({ carrier: before.name, index }, index < keep),
      ),
    );
  },
  async status(env, config) {
    const binds: BindStatus[] = await Promise.all(
      Array.from({ length: settingsOf(config.settings).binds }, (_, index) => bindStub(env, config.name, index).status({ carrier: config.name, index })),
    );
    const errors = binds.filter((b) => b.lastError !== null).sort((a, b) => (b.lastErrorAt ?? 0) - (a.lastErrorAt ?? 0));
    return {
      binds: binds.length,
      bindsUp: binds.filter((b) => b.up).length,
      inFlight: binds.reduce((n, b) => n + b.inFlight, 0),
      partsPerSecond: Math.round(binds.reduce((n, b) => n + b.partsPerSecond, 0) * 10) / 10,
      lastError: errors[0]?.lastError ?? null,
      lastErrorAt: errors[0]?.lastErrorAt ?? null,
      perBind: binds,
    };
  },
};
