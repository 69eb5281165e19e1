import { describe, expect, it } from "vitest";
import { countSegments } from "../../src/core/segments";

const a = (n: number) => "a".repeat(n);
const zh = (n: number) => "中".repeat(n);
const EMOJI = "😀"; // one code point, two UTF-16 units

describe("countSegments", () => {
  it.each([
    // [case, text, encoding, units, segments]
    ["empty text still costs one part", "", "gsm7", 0, 1],
    ["short ASCII", "Hello", "gsm7", 5, 1],
    ["ASCII 160 fits one part", a(160), "gsm7", 160, 1],
    ["ASCII 161 needs two", a(161), "gsm7", 161, 2],
    ["ASCII 306 = 2 × 153", a(306), "gsm7", 306, 2],
    ["ASCII 307", a(307), "gsm7", 307, 3],
    ["ASCII 459 = 3 × 153", a(459), "gsm7", 459, 3],
    ["ASCII 460", a(460), "gsm7", 460, 4],
    ["CR LF are GSM-7", "line\r\nline", "gsm7", 10, 1],

    ["€ is an escape pair", "€", "gsm7", 2, 1],
    ["158 + € = 160 septets", a(158) + "€", "gsm7", 160, 1],
    ["159 + € = 161 septets", a(159) + "€", "gsm7", 161, 2],
    ["80 carets = 160 septets", "^".repeat(80), "gsm7", 160, 1],
    ["81 carets", "^".repeat(81), "gsm7", 162, 2],
    ["form feed counts 2", "\f", "gsm7", 2, 1],
    ["every extension character", "\f^{}\\[~]|€", "gsm7", 20, 1],
    ["escape pair fits the end of part 1 exactly", a(151) + "€" + a(153), "gsm7", 306, 2],
    // 306 septets would fit 2 × 153, but the € cannot straddle parts 1 and 2.
    ["escape pair pushed to part 2", a(152) + "€" + a(152), "gsm7", 306, 3],
    ["ASCII [signature] is GSM-7 with two escapes", "[Acme] code 1234", "gsm7", 18, 1],

    ["Chinese 70 fits one part", zh(70), "ucs2", 70, 1],
    ["Chinese 71 needs two", zh(71), "ucs2", 71, 2],
    ["Chinese 134 = 2 × 67", zh(134), "ucs2", 134, 2],
    ["Chinese 135", zh(135), "ucs2", 135, 3],
    ["Chinese 201 = 3 × 67", zh(201), "ucs2", 201, 3],
    ["Chinese text with its signature", "【圆通快递】您的快递已到达驿站，取件码1234", "ucs2", 23, 1],
    ["signature + 64 chars = 70 units", "【圆通快递】" + zh(64), "ucs2", 70, 1],
    ["the signature pushes 65 chars into two parts", "【圆通快递】" + zh(65), "ucs2", 71, 2],
    ["【】 alone force UCS-2 on ASCII", "【Acme】Your code is 1234", "ucs2", 23, 1],
    ["one non-GSM char turns a long text UCS-2", a(100) + "ê", "ucs2", 101, 2],

    ["emoji is two units", EMOJI, "ucs2", 2, 1],
    ["68 + emoji = 70 units", a(68) + EMOJI, "ucs2", 70, 1],
    ["69 + emoji = 71 units", a(69) + EMOJI, "ucs2", 71, 2],
    ["emoji fills part 1 exactly", zh(65) + EMOJI + zh(67), "ucs2", 134, 2],
    // 134 units would fit 2 × 67, but the emoji cannot straddle parts 1 and 2.
    ["emoji pushed to part 2", zh(66) + EMOJI + zh(66), "ucs2", 134, 3],
    ["lone surrogate counts one unit", "\ud83d" + zh(70), "ucs2", 71, 2],
  ] as const)("%s", (_, text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });

  // GSM 03.38 default alphabet, 0x00–0x7F row by row, without 0x1B (escape).
  const GSM7_TABLE = [
    "@£$¥èéùìòÇ\nØø\rÅå",
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ",
    " !\"#¤%&'()*+,-./",
    "0123456789:;<=>?",
    "¡ABCDEFGHIJKLMNO",
    "PQRSTUVWXYZÄÖÑÜ§",
    "¿abcdefghijklmno",
    "pqrstuvwxyzäöñüà",
  ];
  it.each(GSM7_TABLE)("default alphabet row %j is GSM-7, one septet each", (row) => {
    expect(countSegments(row)).toEqual({ encoding: "gsm7", units: row.length, segments: 1 });
  });

  it.each(["é", "ñ", "ü", "Ä", "Ç", "ß", "Ø", "¿", "¡", "§", "£", "¥", "Δ", "Ω"])(
    "%s is in GSM-7",
    (ch) => {
      expect(countSegments(`Caf${ch}`).encoding).toBe("gsm7");
    },
  );

  it.each(["ê", "ç", "á", "í", "ó", "ú", "â", "õ", "ô", "`", "¢", "\t", "\u001b", "’", "“", "…", "中", "【"])(
    "%j is not in GSM-7",
    (ch) => {
      expect(countSegments(`Caf${ch}`)).toEqual({ encoding: "ucs2", units: 4, segments: 1 });
    },
  );
});
