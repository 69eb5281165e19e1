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
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// Sent as ESC + character, so 2 septets each, and never split from their escape.
const GSM7_EXTENSION = "\f^{}\\[~]|€";

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

  // Fill parts greedily; an escape pair that does not fit whole goes to the next part.
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const s = septetsOf(text.charCodeAt(i));
    if (used + s > GSM7_PART) {
      segments++;
      used = 0;
    }
    used += s;
  }
  return { encoding: "gsm7", units: septets, segments };
}

function countUcs2(text: string): SegmentCount {
  const units = text.length;
  if (units <= UCS2_SINGLE) return { encoding: "ucs2", units, segments: 1 };

  // A surrogate pair (most emoji) must stay in one part, or each half arrives as garbage.
  let segments = 1;
  let used = 0;
  for (let i = 0; i < units; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < units && isLowSurrogate(text.charCodeAt(i + 1));
    const size = pair ? 2 : 1;
    if (used + size > UCS2_PART) {
      segments++;
      used = 0;
    }
    used += size;
    if (pair) i++;
  }
  return { encoding: "ucs2", units, segments };
}

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
