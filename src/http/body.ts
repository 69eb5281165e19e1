// Request-body reading shared by every dialect: size cap before parsing, JSON or form or query,
// and an outcome the dialect maps to its own documented error.

/** Largest body any route accepts (a 999-item Huawei batch of long Chinese texts fits). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type BodyOutcome =
  | { kind: "json"; value: unknown }
  | { kind: "form"; value: Record<string, string> }
  | { kind: "empty" }
  | { kind: "too_large" }
  | { kind: "malformed"; reason: string }
  | { kind: "unsupported"; contentType: string };

/**
 * Bytes that are not valid UTF-8 (in a body, a percent-decoded form field or query value). Refused
 * as a malformed request, never decoded to U+FFFD: a replaced character would be sent and billed.
 */
export class InvalidUtf8 extends Error {
  constructor(where = "the request") {
    super(`${where} is not valid UTF-8`);
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** UTF-8 bytes as text; throws InvalidUtf8 on any invalid sequence. */
export function decodeUtf8(bytes: Uint8Array, where?: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new InvalidUtf8(where);
  }
}

/**
 * Reads at most `max` bytes; a longer (or longer-declared) body is null without buffering it all.
 * Throws InvalidUtf8 when the bytes are not UTF-8.
 */
export async function readText(req: Request, max = MAX_BODY_BYTES): Promise<string | null> {
  const bytes = await readBytes(req, max);
  return bytes === null ? null : decodeUtf8(bytes, "the body");
}

const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * One application/x-www-form-urlencoded component ("+" is a space, %XX a byte) decoded as strict
 * UTF-8: "%FF%FE" throws InvalidUtf8 where URLSearchParams would give U+FFFD. A "%" not followed by
 * two hex digits stays literal, as URLSearchParams leaves it (vendors' shell scripts send raw text).
 */
export function decodeFormComponent(s: string, where?: string): string {
  if (!s.includes("%")) return s.replace(/\+/g, " ");
  const text = s.replace(/\+/g, " ");
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === "%" && HEX.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    // Copy the run up to the next "%" as UTF-8 (the text itself is already valid Unicode).
    let j = text.indexOf("%", i + 1);
    if (j < 0) j = text.length;
    for (const b of enc.encode(text.slice(i, j))) out.push(b);
    i = j;
  }
  return decodeUtf8(Uint8Array.from(out), where);
}

/** Form or query-string pairs in order, decoded strictly (throws InvalidUtf8). */
export function formEntries(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    out.push([decodeFormComponent(k, "a form field name"), decodeFormComponent(v, `the form field "${k}"`)]);
  }
  return out;
}

/** A URL's query parameters (the last of a repeated name wins), decoded strictly (throws InvalidUtf8). */
export function queryParams(url: string): Record<string, string> {
  const q = new URL(url).search;
  return Object.fromEntries(formEntries(q.startsWith("?") ? q.slice(1) : q));
}

/** What each request's body read gave: a rerun of the handler (http/router.ts) reads it again. */
const bodies = new WeakMap<Request, Uint8Array>();

/** The body's bytes, or null past `max` (declared or streamed) without buffering it all. */
export async function readBytes(req: Request, max = MAX_BODY_BYTES): Promise<Uint8Array | null> {
  const kept = bodies.get(req);
  if (kept) return kept.byteLength > max ? null : kept;
  const bytes = await readOnce(req, max);
  if (bytes) bodies.set(req, bytes);
  return bytes;
}

async function readOnce(req: Request, max: number): Promise<Uint8Array | null> {
  const length = req.headers.get("content-length");
  const declared = Number(length ?? "0");
  if (declared > max) return null;
  if (!req.body) return new Uint8Array(0);
  // A declared length within the cap is the body's exact size (HTTP framing), so it is read in one
  // call: a chunk-by-chunk read costs a runtime round trip per chunk, ~6% of a small send's CPU.
  if (length !== null && Number.isSafeInteger(declared) && declared >= 0) {
    const all = new Uint8Array(await req.arrayBuffer());
    return all.byteLength > max ? null : all;
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.byteLength;
  }
  return all;
}

// A header sent twice reads as "a, b" (Huawei's Java 1.x SMN SDK adds Content-Type twice): the first counts.
const mediaType = (req: Request): string => (req.headers.get("content-type") ?? "").split(/[;,]/)[0]!.trim().toLowerCase();

/**
 * Parses the body by its content type. Like the vendors' servers, JSON is also accepted with no
 * content type or text/plain (official SDKs send that); `accept` names what else a route takes.
 */
export async function readBody(req: Request, accept: { form?: boolean } = {}): Promise<BodyOutcome> {
  const type = mediaType(req);
  const isJson = type === "" || type === "application/json" || type === "text/plain" || type.endsWith("+json");
  const isForm = type === "application/x-www-form-urlencoded";
  if (!isJson && !(isForm && accept.form)) return { kind: "unsupported", contentType: type };
  try {
    const text = await readText(req);
    if (text === null) return { kind: "too_large" };
    if (text.trim() === "") return { kind: "empty" };
    if (isForm) return { kind: "form", value: Object.fromEntries(formEntries(text)) };
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch (e) {
    return { kind: "malformed", reason: e instanceof Error ? e.message : "invalid JSON" };
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
