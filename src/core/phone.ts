// Owns what counts as a mobile number: any accepted spelling becomes one E.164 string, or invalid_mobile.

// "mobile" metadata (~95 kB) is the smallest set that knows each country's mobile ranges: "min" has no
// type patterns (getType() is undefined almost everywhere), "max" (~150 kB) adds fixed-line, toll-free…
// patterns we would only use to refuse. With it a number is a mobile exactly when getType() names one;
// where a country's plan cannot tell the two apart (US) the answer is MOBILE or FIXED_LINE_OR_MOBILE.
import { getCountries, getCountryCallingCode, isSupportedCountry, PhoneNumber, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/core";
import metadata from "libphonenumber-js/mobile/metadata";
import { CoreError } from "./errors";

// Only digits, one leading "+", and the separators people type; anything else (letters, "x123"
// extensions, dots) is refused rather than guessed at — the library alone would extract a number from
// "+8613800138000abc".
const PLAIN = /^\+?\d+$/;
const SEPARATORS = /[\s\-()]/g;

// Mainland China mobiles are 11 digits starting with 1; the only national form accepted without +CC.
const CN_NATIONAL = /^1\d{10}$/;
const CN_E164 = /^\+861\d{10}$/;

const invalid = (raw: string, why: string): CoreError => {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return new CoreError("invalid_mobile", `"${shown}" is not a valid mobile number: ${why}`, { value: raw });
};

export function normalizeMobile(raw: string): string {
  let s = raw;
  if (!PLAIN.test(s)) {
    s = raw.replace(SEPARATORS, "");
    if (!PLAIN.test(s)) {
      throw invalid(raw, s === "" ? "it is empty" : "only digits, a leading +, spaces, dashes and brackets are allowed");
    }
  }

  // Bring every spelling to "+<country code><national number>".
  let e164: string;
  if (s.charCodeAt(0) === 43 /* + */) e164 = s;
  else if (s.startsWith("00")) e164 = "+" + s.slice(2);
  else if (CN_NATIONAL.test(s)) e164 = "+86" + s;
  else if (s.length === 13 && s.startsWith("861")) e164 = "+" + s;
  else throw invalid(raw, "give an 11-digit mainland China mobile or a +<country code> number");

  // E.164 allows at most 15 digits; checking first keeps absurd input away from the parser.
  if (e164.length < 8 || e164.length > 16) throw invalid(raw, "wrong length");

  // +86 is China alone, so the number can be built from its E.164 form directly (about 2 µs) instead
  // of the full text parser, which also has to pick among countries sharing a code (+1, +7, +44…) and
  // costs about 5 µs; mainland mobiles are most of every batch.
  const parsed = CN_E164.test(e164)
    ? new PhoneNumber(e164, metadata)
    : parsePhoneNumberFromString(e164, { extract: false }, metadata);
  const type = parsed?.getType();
  if (parsed === undefined || (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE")) {
    throw invalid(raw, "not a mobile number of any known country (landline, wrong length or unassigned range)");
  }
  return parsed.number;
}

/** True for a mainland-China (+86) mobile in the E.164 form normalizeMobile returns. */
export function isChinaMobile(e164: string): boolean {
  return CN_E164.test(e164);
}

/**
 * The national significant number ("13800138000" for "+8613800138000"), for dialects that echo
 * numbers in national form. Expects normalizeMobile's output.
 */
export function nationalNumber(e164: string): string {
  if (CN_E164.test(e164)) return e164.slice(3);
  const parsed = parsePhoneNumberFromString(e164, { extract: false }, metadata);
  if (parsed === undefined) throw invalid(e164, "not an E.164 number");
  return parsed.nationalNumber;
}

/**
 * Where a mobile in normalizeMobile's E.164 form is: its country (ISO 3166-1 alpha-2; undefined for
 * a non-geographic number) and calling code, for pricing. +86 needs no parse (as in normalizeMobile).
 */
export function destinationOf(e164: string): { country: string | undefined; callingCode: string } {
  if (CN_E164.test(e164)) return { country: "CN", callingCode: "86" };
  // Calling codes are prefix-free: the first 1–3 digits that are one name it. Most belong to one
  // country (+852 HK, +81 JP…) and need no parse (~25 µs); shared ones (+1, +7, +44…) do.
  const codes = countriesByCallingCode();
  for (let len = 1; len <= 3; len++) {
    const cc = e164.slice(1, 1 + len);
    const countries = codes.get(cc);
    if (countries?.length === 1) return { country: countries[0], callingCode: cc };
    if (countries) break;
  }
  const parsed = parsePhoneNumberFromString(e164, { extract: false }, metadata);
  if (parsed === undefined) throw invalid(e164, "not an E.164 number");
  return { country: parsed.country, callingCode: parsed.countryCallingCode };
}

/** An ISO 3166-1 alpha-2 code ("US") the numbering metadata knows. */
export const isKnownCountry = (iso: string): boolean => /^[A-Z]{2}$/.test(iso) && isSupportedCountry(iso as CountryCode, metadata);

/** The calling code of a country isKnownCountry accepts ("1" for US). */
export const callingCodeOf = (iso: string): string => getCountryCallingCode(iso as CountryCode, metadata);

// Derived once from the (immutable) numbering metadata.
let byCallingCode: Map<string, string[]> | null = null;
function countriesByCallingCode(): Map<string, string[]> {
  if (byCallingCode) return byCallingCode;
  const map = new Map<string, string[]>();
  for (const c of getCountries(metadata)) {
    const cc = getCountryCallingCode(c, metadata);
    map.set(cc, [...(map.get(cc) ?? []), c]);
  }
  return (byCallingCode = map);
}

/** The countries sharing calling code `cc` ("1" → US, CA, …), from the numbering metadata. */
export const countriesOfCallingCode = (cc: string): string[] => countriesByCallingCode().get(cc) ?? [];
