// Text ⇄ short_message octets: GSM 03.38 default alphabet as unpacked septets (data_coding 0, one
// septet per octet, the SMSC packs them) or UCS-2 big-endian (data_coding 8), cut into exactly the
// parts that were billed (src/core/segments.ts owns the rule), with the 8-bit concatenation UDH.
import { GSM7_BASIC, GSM7_EXTENSION, GSM7_EXTENSION_CODES, splitSegments, type SmsEncoding } from "../../core/segments";

export const DC_DEFAULT = 0;
export const DC_IA5 = 1;
export const DC_LATIN1 = 3;
export const DC_UCS2 = 8;
/** esm_class bit: short_message starts with a User Data Header. */
export const ESM_UDHI = 0x40;
const ESC = 0x1b;

// GSM7_BASIC leaves out 0x1B (the escape), so the characters after it sit one code higher.
const BASIC_CODE = new Map<string, number>([...GSM7_BASIC].map((ch, i) => [ch, i < ESC ? i : i + 1]));
const BASIC_CHAR = new Map<number, string>([...BASIC_CODE].map(([ch, code]) => [code, ch]));
const EXT_CODE = new Map<string, number>([...GSM7_EXTENSION].map((ch, i) => [ch, GSM7_EXTENSION_CODES[i]!]));
const EXT_CHAR = new Map<number, string>([...EXT_CODE].map(([ch, code]) => [code, ch]));

export class PartCountMismatch extends Error {}

/** GSM text as unpacked septets: extension characters as ESC + code. Throws on a character outside the alphabet. */
export function gsmEncode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const basic = BASIC_CODE.get(ch);
    if (basic !== undefined) out.push(basic);
    else {
      const ext = EXT_CODE.get(ch);
      if (ext === undefined) throw new RangeError(`not in the GSM 03.38 alphabet: U+${ch.codePointAt(0)!.toString(16)}`);
      out.push(ESC, ext);
    }
  }
  return Uint8Array.from(out);
}

export function gsmDecode(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) {
    const c = b[i]! & 0x7f;
    if (c === ESC && i + 1 < b.length) {
      // An unknown extension code shows as a space, as 23.038 asks of receivers.
      s += EXT_CHAR.get(b[++i]! & 0x7f) ?? " ";
    } else s += BASIC_CHAR.get(c) ?? " ";
  }
  return s;
}

export function ucs2Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c >>> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

export interface EncodedParts {
  dataCoding: number;
  esmClass: number;
  /** Each part's short_message: UDH + text when there is more than one. */
  parts: Uint8Array[];
}

/**
 * The short_messages of a text, in the billed encoding and part count. `ref` is the concatenation
 * reference (the handset groups parts by sender + ref): one octet, so it wraps at 256.
 */
export function encodeParts(text: string, encoding: SmsEncoding, segments: number, ref: number): EncodedParts {
  const texts = splitSegments(text, encoding);
  if (texts.length !== segments) throw new PartCountMismatch(`text splits into ${texts.length} parts, ${segments} billed`);
  const body = encoding === "gsm7" ? gsmEncode : ucs2Encode;
  const dataCoding = encoding === "gsm7" ? DC_DEFAULT : DC_UCS2;
  if (texts.length === 1) return { dataCoding, esmClass: 0, parts: [body(texts[0]!)] };
  const parts = texts.map((t, i) => {
    const b = body(t);
    const out = new Uint8Array(6 + b.length);
    out.set([0x05, 0x00, 0x03, ref & 0xff, texts.length, i + 1]);
    out.set(b, 6);
    return out;
  });
  return { dataCoding, esmClass: ESM_UDHI, parts };
}

/** Text of a received short_message by its data_coding (GSM unpacked, IA5, Latin-1, UCS-2). */
export function decodeText(b: Uint8Array, dataCoding: number): string {
  let dc = dataCoding;
  // Coding group 1111: bit 2 chooses 8-bit data over the default alphabet.
  if ((dc & 0xf0) === 0xf0) dc = dc & 0x04 ? DC_LATIN1 : DC_DEFAULT;
  switch (dc) {
    case DC_DEFAULT:
      return gsmDecode(b);
    case DC_UCS2: {
      let s = "";
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    case DC_IA5:
    default:
      return latin1(b);
  }
}

/** Octets as Latin-1 (IA5 is its 7-bit subset). */
export const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

export interface Concat {
  /** The reference, 8- or 16-bit (prefixed so the two never collide). */
  ref: string;
  total: number;
  seq: number;
}

/** Separates a UDH (when esm_class says there is one) from the text, reading a concatenation element. */
export function splitUdh(b: Uint8Array, esmClass: number): { concat: Concat | null; payload: Uint8Array } {
  if (!(esmClass & ESM_UDHI) || b.length === 0) return { concat: null, payload: b };
  const len = b[0]!;
  const payload = b.subarray(1 + len);
  let concat: Concat | null = null;
  for (let i = 1; i + 1 < 1 + len && i + 1 < b.length; ) {
    const iei = b[i]!;
    const l = b[i + 1]!;
    const v = b.subarray(i + 2, i + 2 + l);
    if (iei === 0x00 && l === 3) concat = { ref: `8:${v[0]}`, total: v[1]!, seq: v[2]! };
    if (iei === 0x08 && l === 4) concat = { ref: `16:${(v[0]! << 8) | v[1]!}`, total: v[2]!, seq: v[3]! };
    i += 2 + l;
  }
  return { concat: concat && concat.total > 1 && concat.seq >= 1 && concat.seq <= concat.total ? concat : null, payload };
}
