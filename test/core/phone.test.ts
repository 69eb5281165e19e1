import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { CoreError } from "../../src/core/errors";
import { isChinaMobile, nationalNumber, normalizeMobile } from "../../src/core/phone";

function refusal(raw: string): CoreError {
  try {
    normalizeMobile(raw);
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error(`normalizeMobile(${JSON.stringify(raw)}) did not throw`);
}

describe("normalizeMobile accepts", () => {
  it.each([
    // mainland China, every common spelling
    ["13800138000", "+8613800138000"],
    [" 13800138000 ", "+8613800138000"],
    ["138-0013-8000", "+8613800138000"],
    ["138 0013 8000", "+8613800138000"],
    ["8613800138000", "+8613800138000"],
    ["+8613800138000", "+8613800138000"],
    ["+86 138 0013 8000", "+8613800138000"],
    ["+86-138-0013-8000", "+8613800138000"],
    ["+86 (138) 0013-8000", "+8613800138000"],
    ["008613800138000", "+8613800138000"],
    ["0086 138 0013 8000", "+8613800138000"],
    ["\t+86\u00a0138 0013 8000\n", "+8613800138000"],
    // ranges assigned in the last years
    ["19912345678", "+8619912345678"],
    ["19212345678", "+8619212345678"],
    ["16612345678", "+8616612345678"],
    ["17012345678", "+8617012345678"],
    ["17312345678", "+8617312345678"],
    ["14712345678", "+8614712345678"],
    ["+86 198 1234 5678", "+8619812345678"],
    // other countries, with an explicit country code
    ["+447911123456", "+447911123456"],
    ["0044 7911 123456", "+447911123456"],
    ["+1 415 555 2671", "+14155552671"], // US: FIXED_LINE_OR_MOBILE territory
    ["+49 151 23456789", "+4915123456789"],
    ["+81 90-1234-5678", "+819012345678"],
    ["+852 9123 4567", "+85291234567"],
    ["+886 912 345 678", "+886912345678"],
    ["+65 8465 5555", "+6584655555"],
    ["+33 6 12 34 56 78", "+33612345678"],
  ])("%j -> %s", (raw, e164) => {
    expect(normalizeMobile(raw)).toBe(e164);
  });
});

describe("normalizeMobile refuses with invalid_mobile", () => {
  it.each([
    ["", "empty"],
    ["   ", "blank"],
    ["010-12345678", "Beijing landline, national form"],
    ["01012345678", "Beijing landline, no dash"],
    ["+861012345678", "Beijing landline with +86"],
    ["+86 21 1234 5678", "Shanghai landline"],
    ["1380013800", "10 digits"],
    ["138001380001", "12 digits"],
    ["+86138001380001", "+86 and 12 digits"],
    ["12345", "too short"],
    ["+1234567890123456", "more than 15 digits"],
    ["1380013800a", "a letter"],
    ["+86 138 0013 800O", "letter O for zero"],
    ["+8613800138000x", "trailing garbage"],
    ["+8613800138000 ext. 12", "an extension"],
    ["abc", "letters only"],
    ["+", "a lone plus"],
    ["++8613800138000", "two pluses"],
    ["86+13800138000", "a plus inside"],
    ["+86.138.0013.8000", "dots"],
    ["１３８００１３８０００", "full-width digits"],
    ["+8614012345678", "unassigned 140 range"],
    ["+8610012345678", "unassigned 100 range"],
    ["4915123456789", "another country without + or 00"],
    ["+442079460000", "London landline"],
    ["+6561234567", "Singapore landline"],
    ["+49 30 1234567", "Berlin landline"],
    ["+99912345678", "unassigned country code"],
  ])("%j (%s)", (raw) => {
    const e = refusal(raw);
    expect(e.code).toBe("invalid_mobile");
    expect(e.detail).toEqual({ value: raw });
    expect(e.message).toContain(`"${raw}"`);
  });

  it("keeps a huge value out of the message but in the detail", () => {
    const raw = "1".repeat(5000);
    const e = refusal(raw);
    expect(e.message.length).toBeLessThan(200);
    expect(e.detail.value).toBe(raw);
  });
});

describe("Chinese ranges follow libphonenumber", () => {
  // Every 1xx prefix, judged by the full (max) metadata: accepted exactly when it says MOBILE.
  const prefixes = Array.from({ length: 100 }, (_, i) => String(100 + i));
  it.each(prefixes)("1%s…", (prefix) => {
    for (const rest of ["12345678", "00000000", "99999999"]) {
      const national = prefix + rest;
      const mobile = parsePhoneNumberFromString(`+86${national}`)?.getType() === "MOBILE";
      if (mobile) expect(normalizeMobile(national)).toBe(`+86${national}`);
      else expect(refusal(national).code).toBe("invalid_mobile");
    }
  });
});

describe("isChinaMobile", () => {
  it.each([
    ["+8613800138000", true],
    ["+8619912345678", true],
    ["+447911123456", false],
    ["+14155552671", false],
    ["13800138000", false], // not E.164
    ["+861012345678", false], // landline shape
  ])("%s -> %s", (e164, expected) => {
    expect(isChinaMobile(e164)).toBe(expected);
  });
});

describe("nationalNumber", () => {
  it.each([
    ["+8613800138000", "13800138000"],
    ["+447911123456", "7911123456"],
    ["+14155552671", "4155552671"],
    ["+819012345678", "9012345678"],
  ])("%s -> %s", (e164, national) => {
    expect(nationalNumber(e164)).toBe(national);
  });

  it("round-trips normalizeMobile for Chinese spellings", () => {
    for (const raw of ["13800138000", "+86 138 0013 8000", "008613800138000"]) {
      expect(nationalNumber(normalizeMobile(raw))).toBe("13800138000");
    }
  });

  it("refuses what is not E.164", () => {
    expect(() => nationalNumber("hello")).toThrow(CoreError);
  });
});
