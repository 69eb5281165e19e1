// The SMPP codec, encodings and receipt parsing, without a connection: PDUs round-trip, the stream is
// framed whatever the read boundaries, texts split into exactly the parts billing counts.
import { describe, expect, it } from "vitest";
import { TLV, decodePdu, encodePdu, type PduInput } from "../../../src/carriers/smpp/pdu";
import { FrameReader } from "../../../src/carriers/smpp/frames";
import { decodeText, encodeParts, gsmDecode, gsmEncode, splitUdh } from "../../../src/carriers/smpp/encoding";
import { isReceipt, parseReceipt } from "../../../src/carriers/smpp/receipt";
import { statusClass, statusName } from "../../../src/carriers/smpp/status";
import { countSegments } from "../../../src/core/segments";

const sm = {
  serviceType: "", sourceTon: 5, sourceNpi: 0, sourceAddr: "EdgeSMS", destTon: 1, destNpi: 1, destAddr: "8613900001234",
  esmClass: 0, protocolId: 0, priority: 0, scheduleDeliveryTime: "", validityPeriod: "", registeredDelivery: 1,
  replaceIfPresent: 0, dataCoding: 0, smDefaultMsgId: 0, shortMessage: new Uint8Array([0x48, 0x69]),
};
const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

describe("PDU codec", () => {
  const cases: PduInput[] = [
    { command: "bind_transceiver", status: 0, seq: 1, body: { systemId: "edge", password: "secret", systemType: "", interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: "" } },
    { command: "bind_transceiver_resp", status: 0, seq: 1, body: { systemId: "smsc" } },
    { command: "submit_sm", status: 0, seq: 2, body: sm },
    { command: "submit_sm_resp", status: 0, seq: 2, body: { messageId: "abc123" } },
    { command: "deliver_sm", status: 0, seq: 3, body: { ...sm, esmClass: 4 }, tlvs: new Map([[TLV.receipted_message_id, ascii("abc123\0")], [TLV.message_state, bytes(2)]]) },
    { command: "deliver_sm_resp", status: 0, seq: 3, body: { messageId: "" } },
    { command: "data_sm", status: 0, seq: 4, body: { serviceType: "", sourceTon: 1, sourceNpi: 1, sourceAddr: "8613900001234", destTon: 0, destNpi: 1, destAddr: "106900", esmClass: 0, registeredDelivery: 0, dataCoding: 8 }, tlvs: new Map([[TLV.message_payload, bytes(0x4f, 0x60)]]) },
    { command: "data_sm_resp", status: 0, seq: 4, body: { messageId: "x" } },
    { command: "enquire_link", status: 0, seq: 5, body: null },
    { command: "enquire_link_resp", status: 0, seq: 5, body: null },
    { command: "unbind", status: 0, seq: 6, body: null },
    { command: "unbind_resp", status: 0, seq: 6, body: null },
    { command: "generic_nack", status: 3, seq: 7, body: null },
  ];
  it.each(cases.map((c) => [c.command, c] as const))("%s round-trips", (_, pdu) => {
    const wire = encodePdu(pdu);
    expect(new DataView(wire.buffer).getUint32(0)).toBe(wire.length);
    expect(decodePdu(wire)).toEqual({ tlvs: new Map(), ...pdu });
  });

  it("writes the header and C-octet strings as SMPP 3.4 lays them out", () => {
    const wire = encodePdu({ command: "enquire_link", status: 0, seq: 0x01020304, body: null });
    expect([...wire]).toEqual([0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 1, 2, 3, 4]);
    const resp = encodePdu({ command: "submit_sm_resp", status: 0, seq: 1, body: { messageId: "ab" } });
    expect([...resp.slice(16)]).toEqual([0x61, 0x62, 0]);
  });

  it("reads an error response without a body, and an unknown command", () => {
    const wire = encodePdu({ command: "enquire_link", status: 0x58, seq: 9, body: null });
    new DataView(wire.buffer).setUint32(4, 0x80000004); // submit_sm_resp with no message_id at all
    expect(decodePdu(wire)).toMatchObject({ command: "submit_sm_resp", status: 0x58, seq: 9, body: { messageId: "" } });
    new DataView(wire.buffer).setUint32(4, 0x00000099);
    expect(decodePdu(wire)).toMatchObject({ command: "unknown", commandId: 0x99 });
  });

  it("refuses fields longer than SMPP allows", () => {
    expect(() => encodePdu({ command: "submit_sm", status: 0, seq: 1, body: { ...sm, sourceAddr: "x".repeat(21) } })).toThrow(RangeError);
    expect(() => encodePdu({ command: "submit_sm", status: 0, seq: 1, body: { ...sm, shortMessage: new Uint8Array(255) } })).toThrow(RangeError);
  });
});

describe("frame reader", () => {
  const a = encodePdu({ command: "submit_sm", status: 0, seq: 1, body: sm });
  const b = encodePdu({ command: "enquire_link", status: 0, seq: 2, body: null });
  const stream = new Uint8Array([...a, ...b]);

  it("frames PDUs split at every possible point, and several in one read", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = new FrameReader();
      const frames = [...r.push(stream.slice(0, cut)), ...r.push(stream.slice(cut))];
      expect(frames.map((f) => decodePdu(f).seq)).toEqual([1, 2]);
    }
    const r = new FrameReader();
    const oneByOne = [...stream].flatMap((x) => r.push(bytes(x)));
    expect(oneByOne.length).toBe(2);
  });

  it("throws on a command_length that cannot be right (the connection is closed)", () => {
    expect(() => new FrameReader().push(bytes(0, 0, 0, 8, 0, 0, 0, 0))).toThrow(/command_length 8/);
    expect(() => new FrameReader().push(bytes(0x7f, 0, 0, 0))).toThrow(/command_length/);
  });
});

describe("encoding", () => {
  it("GSM 03.38: basic characters by their code, extension characters as ESC + code", () => {
    expect([...gsmEncode("@£$ΔA{€}")]).toEqual([0x00, 0x01, 0x02, 0x10, 0x41, 0x1b, 0x28, 0x1b, 0x65, 0x1b, 0x29]);
    expect([...gsmEncode("ÆæßÉ ")]).toEqual([0x1c, 0x1d, 0x1e, 0x1f, 0x20]);
    expect(gsmDecode(gsmEncode("Hello [world] ^~|\\ €5 ñ¿¡"))).toBe("Hello [world] ^~|\\ €5 ñ¿¡");
    expect(() => gsmEncode("ç")).toThrow(RangeError);
  });

  const texts: Array<[string, string]> = [
    ["160 GSM", "a".repeat(160)],
    ["161 GSM", "a".repeat(161)],
    ["306 GSM", "a".repeat(306)],
    ["307 GSM", "a".repeat(307)],
    ["escape at a part boundary", "a".repeat(152) + "€" + "b".repeat(20)],
    ["extension chars only", "{}".repeat(81)],
    ["70 UCS-2", "你".repeat(70)],
    ["71 UCS-2", "你".repeat(71)],
    ["134 UCS-2", "好".repeat(134)],
    ["135 UCS-2", "好".repeat(135)],
    ["emoji at a part boundary", "你".repeat(66) + "😀" + "好".repeat(10)],
  ];
  it.each(texts)("%s: as many parts as countSegments bills, each within 140 octets, never a split pair", (_, text) => {
    const c = countSegments(text);
    const enc = encodeParts(text, c.encoding, c.segments, 42);
    expect(enc.parts.length).toBe(c.segments);
    expect(enc.dataCoding).toBe(c.encoding === "gsm7" ? 0 : 8);
    let joined = "";
    enc.parts.forEach((p, i) => {
      const { concat, payload } = splitUdh(p, enc.esmClass);
      if (c.segments > 1) {
        expect(enc.esmClass).toBe(0x40);
        expect([...p.slice(0, 6)]).toEqual([5, 0, 3, 42, c.segments, i + 1]);
        expect(concat).toEqual({ ref: "8:42", total: c.segments, seq: i + 1 });
      }
      // 140 octets: GSM septets are packed 8 per 7 octets by the SMSC; UCS-2 is 2 octets per unit.
      const octets = enc.dataCoding === 0 ? Math.ceil((payload.length * 7) / 8) : payload.length;
      expect(octets + (c.segments > 1 ? 6 : 0)).toBeLessThanOrEqual(140);
      if (enc.dataCoding === 0) expect(payload[payload.length - 1]).not.toBe(0x1b);
      const part = decodeText(payload, enc.dataCoding);
      if (enc.dataCoding === 8) expect(part).not.toMatch(/[\ud800-\udbff]$/);
      joined += part;
    });
    expect(joined).toBe(text);
  });

  it("refuses to send a part count other than the billed one", () => {
    expect(() => encodeParts("a".repeat(161), "gsm7", 1, 0)).toThrow(/2 parts, 1 billed/);
  });

  it("decodes replies by data_coding: GSM, IA5, Latin-1, UCS-2, and a 16-bit concatenation header", () => {
    expect(decodeText(gsmEncode("TD"), 0)).toBe("TD");
    expect(decodeText(ascii("STOP"), 1)).toBe("STOP");
    expect(decodeText(bytes(0xe9, 0x74, 0xe9), 3)).toBe("été");
    expect(decodeText(bytes(0x90, 0x00, 0x8b, 0xa2), 8)).toBe("退订");
    expect(splitUdh(bytes(6, 8, 4, 0x12, 0x34, 3, 2, 0x41), 0x40)).toEqual({ concat: { ref: "16:4660", total: 3, seq: 2 }, payload: bytes(0x41) });
    expect(splitUdh(bytes(0x41), 0)).toEqual({ concat: null, payload: bytes(0x41) });
  });
});

describe("receipts", () => {
  const text = ascii("id:7f3a sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:hello");
  it("reads the standard text", () => {
    expect(isReceipt(0x04, new Map())).toBe(true);
    expect(isReceipt(0x00, new Map())).toBe(false);
    expect(parseReceipt(text, new Map())).toEqual({ ref: "7f3a", stat: "DELIVRD", code: "10000", err: "000" });
  });
  it("prefers the TLVs, and maps every state", () => {
    const tlvs = (id: string, state: number) => new Map([[TLV.receipted_message_id, ascii(`${id}\0`)], [TLV.message_state, bytes(state)]]);
    expect(isReceipt(0, tlvs("x", 2))).toBe(true);
    const codes = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => parseReceipt(text, tlvs("9", s)));
    expect(codes.map((r) => [r!.ref, r!.stat, r!.code])).toEqual([
      ["9", "ENROUTE", null], ["9", "DELIVRD", "10000"], ["9", "EXPIRED", "4"], ["9", "DELETED", "4"],
      ["9", "UNDELIV", "4"], ["9", "ACCEPTD", null], ["9", "UNKNOWN", "9"], ["9", "REJECTD", "6"],
    ]);
  });
  it("an unknown stat is unknown (9), a receipt without id is unreadable", () => {
    expect(parseReceipt(ascii("id:1 stat:WEIRD err:0"), new Map())?.code).toBe("9");
    expect(parseReceipt(ascii("stat:DELIVRD"), new Map())).toBeNull();
  });
});

describe("command_status", () => {
  it("classes throttling, permanent and transient statuses; unknown ones are transient", () => {
    expect([0x58, 0x14].map(statusClass)).toEqual(["throttle", "throttle"]);
    expect([0x0b, 0x01, 0x43].map(statusClass)).toEqual(["permanent", "permanent", "permanent"]);
    expect([0x08, 0x0e, 0x45, 0x400].map(statusClass)).toEqual(["transient", "transient", "transient", "transient"]);
    expect(statusName(0x58)).toBe("ESME_RTHROTTLED");
    expect(statusName(0x400)).toBe("0x00000400");
  });
});
