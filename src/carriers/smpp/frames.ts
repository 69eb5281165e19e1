// Framing of an SMPP byte stream: TCP delivers PDUs split across reads or several in one read; each
// PDU starts with its own length.

/** Largest PDU accepted from the peer: a submit/deliver with a full message_payload stays far below it. */
export const MAX_PDU = 64 * 1024;

/**
 * Turns a TCP byte stream into PDUs: keeps a partial PDU across reads and yields every complete one
 * of a read. A command_length below the header size or above MAX_PDU means the stream is out of
 * step, which cannot be recovered: it throws, and the caller closes the connection.
 */
export class FrameReader {
  #buf = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.#buf.length + chunk.length);
    joined.set(this.#buf);
    joined.set(chunk, this.#buf.length);
    const out: Uint8Array[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const len = new DataView(joined.buffer, at, 4).getUint32(0);
      if (len < 16 || len > MAX_PDU) throw new RangeError(`bad command_length ${len}`);
      if (joined.length - at < len) break;
      out.push(joined.slice(at, at + len));
      at += len;
    }
    this.#buf = joined.slice(at);
    return out;
  }
}
