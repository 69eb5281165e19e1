// The Worker: HTTP front door, queue consumers, cron, and the Durable Object exports. Wiring only.
import { route } from "./routes";
import { handleQueue } from "./jobs/queues";
import { handleScheduled } from "./jobs/cron";
import { registerDialects } from "./dialects/registrations";

// Dialects tell core their credential shapes and push formats before any request is served.
registerDialects();

export { MobileGuard } from "./guard/mobile-guard";
export { SmppBind } from "./carriers/smpp/bind";
export { CarrierGate } from "./carriers/gate";

export default {
  fetch: route,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
