// The carrier-events consumer: delivery reports and replies posted by carriers (the simulator's
// arrive here after their delay), applied in one go per carrier through the same core as callbacks.
import { readCarrierEventsBody, type CarrierEventsBody } from "../core/carrier-events";
import { applyCarrierEvents } from "../core/delivery";
import { directoryDb } from "../store/db";
import { insertDeadLetters } from "../store/dead-letters";

const retryDelay = (attempts: number): number => Math.min(5 * 2 ** Math.max(attempts - 1, 0), 600);

export async function handleCarrierEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  const byCarrier = new Map<string, { msgs: Array<Message<unknown>>; body: CarrierEventsBody["events"] }>();
  const invalid: Array<Message<unknown>> = [];
  for (const msg of batch.messages) {
    const parsed = readCarrierEventsBody(msg.body);
    if (!parsed) {
      invalid.push(msg);
      continue;
    }
    const g = byCarrier.get(parsed.carrier) ?? { msgs: [], body: { reports: [], replies: [] } };
    g.msgs.push(msg);
    g.body.reports.push(...parsed.events.reports);
    g.body.replies.push(...parsed.events.replies);
    byCarrier.set(parsed.carrier, g);
  }
  try {
    await insertDeadLetters(directoryDb(env), invalid.map((m) => [batch.queue, JSON.stringify(m.body) ?? "null"]), now);
    for (const m of invalid) m.ack();
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "dead_letter_failed", queue: batch.queue, error: String(e) }));
    for (const m of invalid) m.retry();
  }
  for (const [carrier, g] of byCarrier) {
    try {
      // Applying is idempotent, so a retry after a partial failure repeats nothing.
      await applyCarrierEvents(env, carrier, g.body, now);
      for (const m of g.msgs) m.ack();
    } catch (e) {
      console.error(JSON.stringify({ level: "error", event: "carrier_events_failed", carrier, error: String(e) }));
      for (const m of g.msgs) m.retry({ delaySeconds: retryDelay(m.attempts) });
    }
  }
}
