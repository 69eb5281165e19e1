// Owns how many SMS parts a text costs: GSM 03.38 (3GPP TS 23.038) 7-bit when every character is in the
// default alphabet, UCS-2 otherwise, with the concatenation header's room taken out of each part.

export type SmsEncoding = "gsm7" | "ucs2";

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets for gsm7 (extension characters count 2), UTF-16 code units for ucs2. */
  units: number;
  segments: number;
}

// A single part holds 140 octets; a concatenated part gives 6 of them to the UDH.
const GSM7_SINGLE = 160;
const GSM7_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

// The default alphabet, in table order (0x1B, the escape to the extension table, is left out: it is not
// a character a sender can mean). Ç (0x09) is in it; ç is not, nor ê, á, í, ó, ú.
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// Sent as ESC + character, so 2 septets each, and never split from their escape. Their codes in the
// extension table, in the same order (3GPP TS 23.038 §6.2.1.1).
export const GSM7_EXTENSION = "\f^{}\\[~]|€";
export const GSM7_EXTENSION_CODES = [0x0a, 0x14, 0x28, 0x29, 0x2f, 0x3c, 0x3d, 0x3e, 0x40, 0x65];

// Septets per character, indexed by UTF-16 code unit; 0 means "not GSM-7". Every basic and extension
// character is below U+0400 except €, which is handled on its own to keep the table small.
const SEPTETS = new Uint8Array(0x400);
for (let i = 0; i < GSM7_BASIC.length; i++) SEPTETS[GSM7_BASIC.charCodeAt(i)] = 1;
for (let i = 0; i < GSM7_EXTENSION.length; i++) {
  const c = GSM7_EXTENSION.charCodeAt(i);
  if (c < 0x400) SEPTETS[c] = 2;
}
const EURO = 0x20ac;

const septetsOf = (c: number): number => (c < 0x400 ? SEPTETS[c]! : c === EURO ? 2 : 0);

/**
 * The encoding, size and part count of a complete SMS text (signature included: 【】 are not GSM-7, so a
 * signed Chinese-style text is always UCS-2). Empty text still reports 1 segment, because a message
 * always costs at least one part; the send pipeline refuses empty content before it gets here.
 */
export function countSegments(text: string): SegmentCount {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const s = septetsOf(text.charCodeAt(i));
    if (s === 0) return countUcs2(text);
    septets += s;
  }
  if (septets <= GSM7_SINGLE) return { encoding: "gsm7", units: septets, segments: 1 };
  return { encoding: "gsm7", units: septets, segments: partStarts(text, "gsm7").length };
}

function countUcs2(text: string): SegmentCount {
  const units = text.length;
  if (units <= UCS2_SINGLE) return { encoding: "ucs2", units, segments: 1 };
  return { encoding: "ucs2", units, segments: partStarts(text, "ucs2").length };
}

/**
 * Where each part of a text starts (UTF-16 indexes), by the one rule billing and sending share: parts
 * are filled greedily, an escape pair (GSM-7 extension character) or a surrogate pair (most emoji)
 * never split, since each half would arrive as garbage.
 */
function partStarts(text: string, encoding: SmsEncoding): number[] {
  const gsm = encoding === "gsm7";
  const single = gsm ? GSM7_SINGLE : UCS2_SINGLE;
  const part = gsm ? GSM7_PART : UCS2_PART;
  let total = 0;
  const sizes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = !gsm && c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
    const size = gsm ? septetsOf(c) : pair ? 2 : 1;
    sizes.push(size);
    if (pair) {
      sizes.push(0); // the low surrogate rides with its high half
      i++;
    }
    total += size;
  }
  if (total <= single) return [0];
  const starts = [0];
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i] === 0) continue;
    if (used + sizes[i]! > part) {
      starts.push(i);
      used = 0;
    }
    used += sizes[i]!;
  }
  return starts;
}

/** The text cut into the parts it is billed as (one part when it fits a single SMS). */
export function splitSegments(text: string, encoding: SmsEncoding): string[] {
  const starts = partStarts(text, encoding);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
}

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
