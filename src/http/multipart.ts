// multipart/form-data parsing over bytes already capped by readBytes. Hand-written because
// workerd's Request.formData() throws on parts without a name (JPush's C# SDK sends those; it does
// accept the Java SDK's "multipart/form-data ; boundary=====…"), and so that every defect is a
// typed outcome the dialect maps to its own code, never an exception.

export interface Part {
  /** The Content-Disposition name; null when the part has none (JPush's C# SDK). */
  name: string | null;
  filename: string | null;
  contentType: string | null;
  data: Uint8Array;
}

export type MultipartOutcome = { kind: "parts"; parts: Part[] } | { kind: "malformed"; reason: string };

/** Most parts any request may carry: a form has a handful of fields and a few files. */
export const MAX_PARTS = 32;

/** The boundary of a multipart/form-data Content-Type (spaces around ";" and quotes allowed), else null. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType) return null;
  const [type, ...params] = contentType.split(";");
  if (type!.trim().toLowerCase() !== "multipart/form-data") return null;
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    // RFC 2046: 1–70 characters.
    return v.length >= 1 && v.length <= 70 ? v : null;
  }
  return null;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = hay.indexOf(first, from); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** A Content-Disposition parameter (quoted or bare; RFC 5987 `filename*=UTF-8''…` too). */
function dispositionParam(header: string, key: string): string | null {
  const ext = new RegExp(`;\\s*${key}\\*\\s*=\\s*(?:UTF-8|utf-8)''([^;]*)`).exec(header);
  if (ext) {
    try {
      return decodeURIComponent(ext[1]!.trim());
    } catch {
      /* fall through to the plain parameter */
    }
  }
  const m = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(header);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!;
}

const utf8 = new TextDecoder();

/** Splits `body` into its parts. A missing final delimiter or a part without headers is malformed. */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartOutcome {
  const dash = ascii(`--${boundary}`);
  const delimiter = ascii(`\r\n--${boundary}`);
  // The first delimiter opens the body or follows a preamble.
  let at: number;
  if (indexOf(body.subarray(0, dash.length), dash, 0) === 0) at = dash.length;
  else {
    const first = indexOf(body, delimiter, 0);
    if (first < 0) return { kind: "malformed", reason: `no part starts with --${boundary}` };
    at = first + delimiter.length;
  }
  const parts: Part[] = [];
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return { kind: "parts", parts }; // "--": the close delimiter
    // Transport padding (spaces/tabs) may follow a delimiter before its CRLF.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) return { kind: "malformed", reason: "a boundary line does not end with CRLF" };
    at += 2;
    const headEnd = indexOf(body, ascii("\r\n\r\n"), at);
    const next = indexOf(body, delimiter, at);
    if (next < 0) return { kind: "malformed", reason: `the body does not end with --${boundary}--` };
    // A part with no header lines starts straight with its blank line.
    const noHeaders = body[at] === 0x0d && body[at + 1] === 0x0a;
    if (!noHeaders && (headEnd < 0 || headEnd > next)) return { kind: "malformed", reason: "a part has no blank line after its headers" };
    const head = noHeaders ? "" : utf8.decode(body.subarray(at, headEnd));
    const dataStart = noHeaders ? at + 2 : headEnd + 4;
    let disposition = "";
    let contentType: string | null = null;
    for (const line of head.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-disposition") disposition = value;
      else if (key === "content-type") contentType = value;
    }
    if (parts.length === MAX_PARTS) return { kind: "malformed", reason: `more than ${MAX_PARTS} parts` };
    parts.push({
      name: disposition ? dispositionParam(disposition, "name") : null,
      filename: disposition ? dispositionParam(disposition, "filename") : null,
      contentType,
      data: body.subarray(dataStart, next),
    });
    at = next + delimiter.length;
  }
}
