// The SMPP 3.4 wire format: the 16-octet header, C-octet strings, TLVs, and the PDUs a transceiver
// bind exchanges (framing of the byte stream is frames.ts).

export const CMD = {
  generic_nack: 0x80000000,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
} as const;
export type CommandName = keyof typeof CMD;
const NAMES = new Map<number, CommandName>(Object.entries(CMD).map(([k, v]) => [v, k as CommandName]));

export const TLV = {
  receipted_message_id: 0x001e,
  message_state: 0x0427,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
} as const;

/** The body of submit_sm and deliver_sm (same layout); data_sm carries the TLVs only. */
export interface ShortMessage {
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  destTon: number;
  destNpi: number;
  destAddr: string;
  esmClass: number;
  protocolId: number;
  priority: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  replaceIfPresent: number;
  dataCoding: number;
  smDefaultMsgId: number;
  shortMessage: Uint8Array;
}

export interface BindBody {
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  addrTon: number;
  addrNpi: number;
  addressRange: string;
}

export type Pdu = { status: number; seq: number; tlvs: Map<number, Uint8Array> } & (
  | { command: "bind_transceiver"; body: BindBody }
  | { command: "submit_sm"; body: ShortMessage }
  | { command: "deliver_sm"; body: ShortMessage }
  | { command: "data_sm"; body: Omit<ShortMessage, "protocolId" | "priority" | "scheduleDeliveryTime" | "validityPeriod" | "replaceIfPresent" | "smDefaultMsgId" | "shortMessage"> }
  | { command: "bind_transceiver_resp"; body: { systemId: string } }
  | { command: "submit_sm_resp" | "deliver_sm_resp" | "data_sm_resp"; body: { messageId: string } }
  | { command: "enquire_link" | "enquire_link_resp" | "unbind" | "unbind_resp" | "generic_nack"; body: null }
  | { command: "unknown"; commandId: number; body: null }
);

/** Distributes Omit over the union so a literal PDU can be written without the `tlvs` map. */
type Loose<T> = T extends unknown ? Omit<T, "tlvs"> & { tlvs?: Map<number, Uint8Array> } : never;
export type PduInput = Loose<Pdu>;

const enc = new TextEncoder();
// C-octet strings are ASCII; decoding them octet by octet keeps any stray high octet visible.
const latin1 = { decode: (b: Uint8Array): string => String.fromCharCode(...b) };

class Writer {
  #bytes: number[] = [];
  u8(v: number): void {
    this.#bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.#bytes.push((v >>> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.#bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  cstr(s: string, max: number): void {
    // C-octet strings are ASCII; their size limits include the terminating NUL.
    const b = enc.encode(s);
    if (b.length + 1 > max) throw new RangeError(`SMPP field longer than ${max - 1} octets`);
    for (const x of b) this.#bytes.push(x);
    this.#bytes.push(0);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.#bytes.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

class Reader {
  #at: number;
  constructor(
    private readonly b: Uint8Array,
    at: number,
  ) {
    this.#at = at;
  }
  get left(): number {
    return this.b.length - this.#at;
  }
  u8(): number {
    if (this.left < 1) throw new RangeError("PDU body too short");
    return this.b[this.#at++]!;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  cstr(): string {
    const end = this.b.indexOf(0, this.#at);
    if (end < 0) throw new RangeError("C-octet string without NUL");
    const s = latin1.decode(this.b.subarray(this.#at, end));
    this.#at = end + 1;
    return s;
  }
  bytes(n: number): Uint8Array {
    if (this.left < n) throw new RangeError("PDU body too short");
    const out = this.b.slice(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }
  tlvs(): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    while (this.left >= 4) {
      const tag = this.u16();
      out.set(tag, this.bytes(this.u16()));
    }
    return out;
  }
}

function writeShortMessage(w: Writer, m: ShortMessage): void {
  w.cstr(m.serviceType, 6);
  w.u8(m.sourceTon);
  w.u8(m.sourceNpi);
  w.cstr(m.sourceAddr, 21);
  w.u8(m.destTon);
  w.u8(m.destNpi);
  w.cstr(m.destAddr, 21);
  w.u8(m.esmClass);
  w.u8(m.protocolId);
  w.u8(m.priority);
  w.cstr(m.scheduleDeliveryTime, 17);
  w.cstr(m.validityPeriod, 17);
  w.u8(m.registeredDelivery);
  w.u8(m.replaceIfPresent);
  w.u8(m.dataCoding);
  w.u8(m.smDefaultMsgId);
  if (m.shortMessage.length > 254) throw new RangeError("short_message longer than 254 octets");
  w.u8(m.shortMessage.length);
  w.raw(m.shortMessage);
}

function readShortMessage(r: Reader): ShortMessage {
  const m = {
    serviceType: r.cstr(), sourceTon: r.u8(), sourceNpi: r.u8(), sourceAddr: r.cstr(),
    destTon: r.u8(), destNpi: r.u8(), destAddr: r.cstr(), esmClass: r.u8(), protocolId: r.u8(),
    priority: r.u8(), scheduleDeliveryTime: r.cstr(), validityPeriod: r.cstr(), registeredDelivery: r.u8(),
    replaceIfPresent: r.u8(), dataCoding: r.u8(), smDefaultMsgId: r.u8(),
  };
  return { ...m, shortMessage: r.bytes(r.u8()) };
}

/** Serialises a PDU, header included. */
export function encodePdu(p: PduInput): Uint8Array {
  const w = new Writer();
  switch (p.command) {
    case "bind_transceiver":
      w.cstr(p.body.systemId, 16);
      w.cstr(p.body.password, 9);
      w.cstr(p.body.systemType, 13);
      w.u8(p.body.interfaceVersion);
      w.u8(p.body.addrTon);
      w.u8(p.body.addrNpi);
      w.cstr(p.body.addressRange, 41);
      break;
    case "bind_transceiver_resp":
      w.cstr(p.body.systemId, 16);
      break;
    case "submit_sm":
    case "deliver_sm":
      writeShortMessage(w, p.body);
      break;
    case "data_sm":
      w.cstr(p.body.serviceType, 6);
      w.u8(p.body.sourceTon);
      w.u8(p.body.sourceNpi);
      w.cstr(p.body.sourceAddr, 65);
      w.u8(p.body.destTon);
      w.u8(p.body.destNpi);
      w.cstr(p.body.destAddr, 65);
      w.u8(p.body.esmClass);
      w.u8(p.body.registeredDelivery);
      w.u8(p.body.dataCoding);
      break;
    case "submit_sm_resp":
    case "data_sm_resp":
      w.cstr(p.body.messageId, 65);
      break;
    case "deliver_sm_resp":
      w.u8(0); // message_id: unused, always NUL
      break;
  }
  for (const [tag, value] of p.tlvs ?? []) {
    w.u16(tag);
    w.u16(value.length);
    w.raw(value);
  }
  const body = w.done();
  const out = new Uint8Array(16 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, out.length);
  dv.setUint32(4, p.command === "unknown" ? p.commandId : CMD[p.command]);
  dv.setUint32(8, p.status);
  dv.setUint32(12, p.seq);
  out.set(body, 16);
  return out;
}

/** Parses one whole PDU (header included). A body that does not parse throws a RangeError. */
export function decodePdu(b: Uint8Array): Pdu {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const id = dv.getUint32(4);
  const status = dv.getUint32(8);
  const seq = dv.getUint32(12);
  const command = NAMES.get(id);
  const r = new Reader(b.subarray(0, dv.getUint32(0)), 16);
  const head = { status, seq };
  switch (command) {
    case undefined:
      return { ...head, command: "unknown", commandId: id, body: null, tlvs: new Map() };
    case "bind_transceiver": {
      const body = { systemId: r.cstr(), password: r.cstr(), systemType: r.cstr(), interfaceVersion: r.u8(), addrTon: r.u8(), addrNpi: r.u8(), addressRange: r.cstr() };
      return { ...head, command, body, tlvs: r.tlvs() };
    }
    case "submit_sm":
    case "deliver_sm":
      return { ...head, command, body: readShortMessage(r), tlvs: r.tlvs() } as Pdu;
    case "data_sm": {
      const body = {
        serviceType: r.cstr(), sourceTon: r.u8(), sourceNpi: r.u8(), sourceAddr: r.cstr(), destTon: r.u8(), destNpi: r.u8(),
        destAddr: r.cstr(), esmClass: r.u8(), registeredDelivery: r.u8(), dataCoding: r.u8(),
      };
      return { ...head, command, body, tlvs: r.tlvs() };
    }
    case "bind_transceiver_resp":
    case "submit_sm_resp":
    case "deliver_sm_resp":
    case "data_sm_resp": {
      // An error response may carry no body at all (SMPP 3.4 §4.4.2).
      const text = r.left > 0 ? r.cstr() : "";
      const body = command === "bind_transceiver_resp" ? { systemId: text } : { messageId: text };
      return { ...head, command, body, tlvs: r.tlvs() } as Pdu;
    }
    default:
      return { ...head, command, body: null, tlvs: new Map() };
  }
}

/** A TLV value as a C-octet string (receipted_message_id) or an integer (message_state, sar_*). */
export const tlvString = (v: Uint8Array | undefined): string | undefined => (v === undefined ? undefined : latin1.decode(v).replace(/\0+$/, ""));
export const tlvInt = (v: Uint8Array | undefined): number | undefined => (v === undefined || v.length === 0 ? undefined : v.reduce((n, x) => n * 256 + x, 0));
