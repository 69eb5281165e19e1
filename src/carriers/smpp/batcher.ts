// Receipts and replies leave a bind in groups: each deliver_sm waits (a few milliseconds at most)
// for the one queue send that carries its event with its neighbours', and learns whether it was
// taken, so a burst of receipts costs one send per group instead of one each.
import type { CarrierEvents } from "../../core/carrier-events";

interface Waiting {
  events: CarrierEvents;
  done(ok: boolean): void;
}

export class EventBatcher {
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (events: CarrierEvents) => Promise<void>,
    private readonly maxEvents = 100,
    private readonly waitMs = 5,
  ) {}

  /** Resolves true once the events are on the queue, false when the send failed (the SMSC delivers them again). */
  publish(events: CarrierEvents): Promise<boolean> {
    return new Promise((done) => {
      this.#waiting.push({ events, done });
      if (this.#waiting.length >= this.maxEvents) void this.#flush();
      else this.#timer ??= setTimeout(() => void this.#flush(), this.waitMs);
    });
  }

  async #flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const group = this.#waiting.splice(0);
    if (group.length === 0) return;
    let ok = true;
    try {
      await this.send({ reports: group.flatMap((w) => w.events.reports), replies: group.flatMap((w) => w.events.replies) });
    } catch (e) {
      ok = false;
      console.error(JSON.stringify({ level: "error", event: "smpp_enqueue_failed", count: group.length, error: String(e) }));
    }
    for (const w of group) w.done(ok);
  }
}
