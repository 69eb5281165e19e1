// A bind's flow control: at most `window` submit_sm awaiting their response, at most `tps` parts
// written per second (evenly spaced), and a pause that grows while the SMSC answers ESME_RTHROTTLED
// or ESME_RMSGQFUL and shrinks again as it accepts.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const THROTTLE_MIN_MS = 250;
const THROTTLE_MAX_MS = 10_000;

export class Pacer {
  #inFlight = 0;
  #peak = 0;
  #waiters: Array<() => void> = [];
  #nextSlotAt = 0;
  #throttleMs = 0;
  #throttledUntil = 0;
  /** When each recent part was written, for the parts-per-second figure. */
  #written: number[] = [];

  constructor(
    private window: number,
    private tps: number,
  ) {}

  configure(window: number, tps: number): void {
    this.window = window;
    this.tps = tps;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most submits ever outstanding at once on this bind (checked by tests against the window). */
  get peak(): number {
    return this.#peak;
  }

  get throttledUntil(): number {
    return this.#throttledUntil;
  }

  /**
   * Waits for a window slot, then for the part's turn under the rate and any throttle pause.
   * Every successful acquire must be followed by exactly one release().
   */
  async acquire(): Promise<void> {
    while (this.#inFlight >= this.window) await new Promise<void>((r) => this.#waiters.push(r));
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    for (;;) {
      const now = Date.now();
      const at = Math.max(now, this.#nextSlotAt, this.#throttledUntil);
      // Within a millisecond of its turn a part goes at once: a timer would cost a turn of the event
      // loop (and with it a storage commit of its own before the write may leave).
      if (at - now < 1) break;
      await sleep(at - now);
    }
    const now = Date.now();
    this.#nextSlotAt = Math.max(now, this.#nextSlotAt) + 1000 / this.tps;
    this.#written.push(now);
    if (this.#written.length > 4096) this.#written.splice(0, this.#written.length - 4096);
  }

  release(): void {
    this.#inFlight--;
    this.#waiters.shift()?.();
  }

  /** The SMSC asked us to slow down: pause every part, twice as long as the last time. */
  throttled(): void {
    this.#throttleMs = Math.min(THROTTLE_MAX_MS, Math.max(THROTTLE_MIN_MS, this.#throttleMs * 2));
    this.#throttledUntil = Math.max(this.#throttledUntil, Date.now() + this.#throttleMs);
  }

  /** The SMSC accepted a part: the next throttle pause starts smaller again. */
  accepted(): void {
    this.#throttleMs = Math.floor(this.#throttleMs / 2);
  }

  /** Parts written per second over the last 10 seconds. */
  partsPerSecond(now = Date.now()): number {
    const since = now - 10_000;
    const first = this.#written.findIndex((t) => t >= since);
    if (first < 0) return 0;
    return Math.round(((this.#written.length - first) / 10) * 10) / 10;
  }
}
