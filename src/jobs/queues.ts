// Queue consumers, by queue name. (Delivery-engine issue fills in dispatch, carrier events and webhooks.)

export async function handleQueue(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
  void env;
  void ctx;
  // Until the delivery engine lands, messages stay 'queued' in D1 (the cron sweep re-enqueues them).
  for (const m of batch.messages) m.ack();
}
