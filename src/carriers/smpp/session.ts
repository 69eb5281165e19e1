// One TCP connection to an SMSC: the only writer of its socket, one reader loop that frames the
// stream into PDUs, and the requests awaiting their response by sequence number, each with a timeout.
import { connect } from "cloudflare:sockets";
import { CMD, decodePdu, encodePdu, type Pdu, type PduInput } from "./pdu";
import { FrameReader } from "./frames";

/** The request never left: the connection was closed before it was written. Safe to send again. */
export class NotWritten extends Error {}
/** The request was written but no response came (timeout, dropped connection): it may have been acted on. */
export class NoResponse extends Error {}

interface Waiting {
  resolve(p: Pdu): void;
  reject(e: Error): void;
  /** When it counts as unanswered (Date.now() based), and the timeout it was given. */
  deadline: number;
  timeoutMs: number;
}

export interface SessionOptions {
  host: string;
  port: number;
  tls: boolean;
  /** Every PDU the SMSC sends that is not a response to one of ours. */
  onRequest(session: SmppSession, pdu: Pdu): void;
  /** Called once when the connection ends, whoever ended it. */
  onClose(session: SmppSession, reason: string): void;
}

export class SmppSession {
  #socket: Socket;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #waiting = new Map<number, Waiting>();
  #seq = 0;
  #closed: string | null = null;
  /** One timer for every request's timeout, due at the earliest deadline (a timer per request cost 4% of the SMPP row). */
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerAt = Infinity;
  /** PDUs encoded in this turn, written together by #flush (one socket write instead of one each). */
  #out: Uint8Array[] = [];
  /** When the last PDU was read or written: enquire_link is only needed on an idle connection. */
  lastActivity = Date.now();

  private constructor(
    socket: Socket,
    private readonly opts: SessionOptions,
  ) {
    this.#socket = socket;
    this.#writer = socket.writable.getWriter();
  }

  /** Opens the connection (TLS when asked) and starts its reader; throws when it cannot be opened in time. */
  static async open(opts: SessionOptions, timeoutMs: number): Promise<SmppSession> {
    const socket = connect({ hostname: opts.host, port: opts.port }, { secureTransport: opts.tls ? "on" : "off", allowHalfOpen: false });
    // `closed` also rejects when the connection fails or drops; the reader loop reports that, so this
    // promise is settled here rather than left unhandled.
    socket.closed.catch(() => {});
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      await Promise.race([
        socket.opened,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs))),
      ]);
    } catch (e) {
      socket.close().catch(() => {});
      throw e;
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
    const s = new SmppSession(socket, opts);
    void s.#readLoop();
    return s;
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  get outstanding(): number {
    return this.#waiting.size;
  }

  /** Sends a request and resolves with its response (or generic_nack); rejects with NotWritten or NoResponse. */
  request(pdu: PduInput, timeoutMs: number): Promise<Pdu> {
    if (this.#closed !== null) return Promise.reject(new NotWritten(this.#closed));
    // Sequence numbers run 1..0x7FFFFFFF (SMPP 3.4 §5.1.4).
    this.#seq = this.#seq >= 0x7fffffff ? 1 : this.#seq + 1;
    const seq = this.#seq;
    const bytes = encodePdu({ ...pdu, seq });
    return new Promise<Pdu>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      this.#waiting.set(seq, { resolve, reject, deadline, timeoutMs });
      this.#arm(deadline);
      this.lastActivity = Date.now();
      this.#write(bytes);
    });
  }

  /** Makes the timer due no later than `deadline`. */
  #arm(deadline: number): void {
    if (this.#timer !== null && this.#timerAt <= deadline) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, deadline - Date.now()));
  }

  /** Fails the requests whose deadline passed; the timer is armed again for the next one. */
  #expire(): void {
    this.#timer = null;
    this.#timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [seq, w] of this.#waiting) {
      if (w.deadline <= now) {
        this.#waiting.delete(seq);
        w.reject(new NoResponse(`no response within ${w.timeoutMs} ms`));
      } else next = Math.min(next, w.deadline);
    }
    if (next !== Infinity) this.#arm(next);
  }

  /** Answers a request of the SMSC (deliver_sm_resp, enquire_link_resp, generic_nack…). */
  respond(pdu: PduInput): void {
    if (this.#closed !== null) return;
    this.lastActivity = Date.now();
    this.#write(encodePdu(pdu));
  }

  /**
   * Queues a PDU for the socket. The submits a window of responses releases, and the answers to a
   * read's deliver_sm, are encoded in one turn: they leave in one write at its end, in order.
   */
  #write(bytes: Uint8Array): void {
    this.#out.push(bytes);
    if (this.#out.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    if (this.#closed === null) this.#writeOut();
  }

  #writeOut(): void {
    const parts = this.#out;
    this.#out = [];
    if (parts.length === 0) return;
    let bytes = parts[0]!;
    if (parts.length > 1) {
      bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) (bytes.set(p, at), (at += p.length));
    }
    // A failed write may still have put some octets on the wire: every PDU in it counts as written.
    this.#writer.write(bytes).catch((e) => this.#close(`write failed: ${String(e)}`));
  }

  /** Closes the connection; requests still waiting fail with NoResponse. */
  close(reason: string): void {
    this.#close(reason);
  }

  #close(reason: string): void {
    if (this.#closed !== null) return;
    // What this turn queued (an unbind_resp before closing) still goes out first.
    this.#writeOut();
    this.#closed = reason;
    for (const w of this.#waiting.values()) w.reject(new NoResponse(reason));
    this.#waiting.clear();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#socket.close().catch(() => {});
    this.opts.onClose(this, reason);
  }

  async #readLoop(): Promise<void> {
    const frames = new FrameReader();
    const reader = this.#socket.readable.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return this.#close("connection closed by the SMSC");
        this.lastActivity = Date.now();
        for (const frame of frames.push(value)) this.#dispatch(frame);
        if (this.#closed !== null) return;
      }
    } catch (e) {
      this.#close(`connection lost: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  #dispatch(frame: Uint8Array): void {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch {
      // A body that does not parse: refuse that PDU, keep the connection (its length was sound).
      const seq = new DataView(frame.buffer, frame.byteOffset).getUint32(12);
      this.respond({ command: "generic_nack", status: 0x02, seq, body: null });
      return;
    }
    const isResponse = pdu.command === "unknown" ? pdu.commandId >= CMD.generic_nack : (CMD[pdu.command] & CMD.generic_nack) !== 0;
    if (isResponse) {
      const w = this.#waiting.get(pdu.seq);
      if (w) {
        this.#waiting.delete(pdu.seq);
        w.resolve(pdu);
      }
      return;
    }
    this.opts.onRequest(this, pdu);
  }
}
