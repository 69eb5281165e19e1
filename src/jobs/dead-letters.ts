// The dead-letter queues' consumer: every body is kept in dead_letters for the operator; for
// dispatch, messages still waiting are failed and refunded (the last attempt normally did it already).
import { DispatchBody } from "../core/dispatch-queue";
import { finishUnsent } from "../core/delivery";
import { directoryDb } from "../store/db";
import { insertDeadLetters } from "../store/dead-letters";

export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  try {
    await insertDeadLetters(directoryDb(env), batch.messages.map((m) => [batch.queue, JSON.stringify(m.body) ?? "null"]), now);
    if (batch.queue === "edgesms-dispatch-dlq") {
      const ids = batch.messages.flatMap((m) => {
        const p = DispatchBody.safeParse(m.body);
        return p.success ? p.data.ids : [];
      });
      await finishUnsent(env, "fail", [...new Set(ids)], "dead-lettered: the carrier could not take it", now);
    }
    batch.ackAll();
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "dead_letters_failed", queue: batch.queue, error: String(e) }));
    batch.retryAll({ delaySeconds: 30 });
  }
}
