// The webhooks consumer: sends the pushes named by the queue messages (in parallel), then acks,
// or retries each on the push schedule (1 min … 12 h); a push past its last attempt is dead.
import { sendPushes } from "../core/webhooks";
import { z } from "zod";
import { directoryDb } from "../store/db";
import { insertDeadLetters } from "../store/dead-letters";

export const WebhookBody = z.object({ deliveryId: z.string().min(1).max(40) });

export async function handleWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  const jobs: Array<{ msg: Message<unknown>; id: string }> = [];
  const invalid: Array<Message<unknown>> = [];
  for (const msg of batch.messages) {
    const parsed = WebhookBody.safeParse(msg.body);
    if (parsed.success) jobs.push({ msg, id: parsed.data.deliveryId });
    else invalid.push(msg);
  }
  try {
    await insertDeadLetters(directoryDb(env), invalid.map((m) => [batch.queue, JSON.stringify(m.body) ?? "null"]), now);
    for (const m of invalid) m.ack();
  } catch {
    for (const m of invalid) m.retry();
  }
  if (jobs.length === 0) return;
  try {
    const results = new Map((await sendPushes(env, [...new Set(jobs.map((j) => j.id))], now)).map((r) => [r.id, r]));
    for (const { msg, id } of jobs) {
      const r = results.get(id);
      if (r?.outcome === "retry") msg.retry({ delaySeconds: r.delaySeconds });
      else msg.ack();
    }
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "webhooks_failed", count: jobs.length, error: String(e) }));
    for (const { msg } of jobs) msg.retry({ delaySeconds: 60 });
  }
}
