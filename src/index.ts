// The Worker: HTTP front door, queue consumers, cron, and the Durable Object export. Wiring only.
import { route } from "./routes";
import { handleQueue } from "./jobs/queues";
import { handleScheduled } from "./jobs/cron";

export { MobileGuard } from "./guard/mobile-guard";

export default {
  fetch: route,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
