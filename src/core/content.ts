// Owns the text of a message: {{name}} template parameters and the 【signature】 that carriers require.
import { CoreError } from "./errors";

// {{name}} or {{ name }}; names are ASCII letters, digits and underscore. Built per call: a shared /g
// regex carries lastIndex between uses.
const placeholders = (): RegExp => /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

// Chinese carriers and providers cap each template variable (commonly 20–35 characters for codes and
// names, up to 100 for free text); 100 is the widest common cap, so longer values are refused here
// instead of by the carrier after the customer has been charged.
const MAX_PARAM_LENGTH = 100;

/** Names of the template's {{name}} placeholders, each once, in order of first appearance. */
export function templateParams(content: string): string[] {
  const names: string[] = [];
  for (const m of content.matchAll(placeholders())) {
    const name = m[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The template with every placeholder replaced by its parameter. Values are inserted in one pass, so a
 * value that itself looks like {{other}} (or like a `$&` replacement pattern) stays literal text.
 */
export function renderTemplate(content: string, params: Record<string, unknown> | undefined): string {
  const names = templateParams(content);
  const missing = names.filter((n) => params === undefined || !Object.hasOwn(params, n) || params[n] == null);
  if (missing.length > 0) {
    throw new CoreError(
      "template_param_missing",
      `missing template parameter${missing.length > 1 ? "s" : ""} ${missing.map((n) => `"${n}"`).join(", ")}`,
      { field: missing[0]! },
    );
  }

  const values = new Map<string, string>();
  for (const name of names) values.set(name, paramText(name, params![name]));
  return content.replace(placeholders(), (_, name: string) => values.get(name)!);
}

function paramText(name: string, value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else if (typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else {
    throw new CoreError(
      "invalid_input",
      `template parameter "${name}" must be a string, number or boolean`,
      { field: name },
    );
  }
  if (text.trim() === "") {
    throw new CoreError("template_param_empty", `template parameter "${name}" is empty`, { field: name });
  }
  if (text.length > MAX_PARAM_LENGTH && codePoints(text) > MAX_PARAM_LENGTH) {
    throw new CoreError(
      "invalid_input",
      `template parameter "${name}" is longer than ${MAX_PARAM_LENGTH} characters`,
      { field: name },
    );
  }
  return text;
}

// A signature name is 2–20 characters between full-width brackets; the ASCII [name] is not a signature.
const SIGNATURE_MIN = 2;
const SIGNATURE_MAX = 20;

/**
 * 【name】 in front of the content, unless the content already starts or ends with exactly 【name】.
 * A different signature already in the content is the caller's to refuse (see extractSignature).
 */
export function withSignature(signatureName: string, content: string): string {
  if (signatureName.trim() === "") {
    throw new CoreError("signature_missing", "the signature name is empty", { field: "signature" });
  }
  const tag = `【${signatureName}】`;
  return content.startsWith(tag) || content.endsWith(tag) ? content : tag + content;
}

/** The name in a leading 【…】, else in a trailing one, else null. */
export function extractSignature(text: string): string | null {
  if (text.startsWith("【")) {
    const close = text.indexOf("】", 1);
    if (close > 0) {
      const name = text.slice(1, close);
      if (isSignatureName(name)) return name;
    }
  }
  if (text.endsWith("】")) {
    const open = text.lastIndexOf("【", text.length - 2);
    if (open >= 0) {
      const name = text.slice(open + 1, -1);
      if (isSignatureName(name)) return name;
    }
  }
  return null;
}

function isSignatureName(name: string): boolean {
  if (name.includes("【") || name.includes("】") || name.trim() === "") return false;
  const n = codePoints(name);
  return n >= SIGNATURE_MIN && n <= SIGNATURE_MAX;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
