// Queue consumers, by queue name. Each consumer acks or retries every message itself and never
// throws for the whole batch.
import { handleDispatch } from "./dispatch";
import { handleCarrierEvents } from "./carrier-events";
import { handleWebhooks } from "./webhook-queue";
import { handleDeadLetters } from "./dead-letters";

export const QUEUES = {
  dispatch: "edgesms-dispatch",
  carrierEvents: "edgesms-carrier-events",
  webhooks: "edgesms-webhooks",
} as const;

export async function handleQueue(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
  void ctx;
  switch (batch.queue) {
    case QUEUES.dispatch:
      return handleDispatch(batch, env);
    case QUEUES.carrierEvents:
      return handleCarrierEvents(batch, env);
    case QUEUES.webhooks:
      return handleWebhooks(batch, env);
    case "edgesms-dispatch-dlq":
    case "edgesms-carrier-events-dlq":
    case "edgesms-webhooks-dlq":
      return handleDeadLetters(batch, env);
    default:
      console.error(JSON.stringify({ level: "error", event: "unknown_queue", queue: batch.queue }));
      // Not ours to judge: left for redelivery and, eventually, its dead-letter queue.
      batch.retryAll({ delaySeconds: 60 });
  }
}
