// Cron: every minute, small bounded idempotent jobs. (Delivery-engine issue.)

export async function handleScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  void controller;
  void env;
  void ctx;
}
