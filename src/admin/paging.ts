// Every operator list is paged the same way: `limit` (1–500, default 50) and an opaque `cursor`
// (base64url JSON of the last row's sort key) answered as {items, next_cursor}.
import { z } from "zod";
import { invalid } from "./http";

export const MAX_LIMIT = 500;

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe(`page size, at most ${MAX_LIMIT}`),
  cursor: z.string().max(512).optional().describe("next_cursor of the previous page"),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable().describe("null on the last page") });

const toB64url = (s: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const fromB64url = (s: string): string =>
  new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));

export const encodeCursor = (value: unknown): string => toB64url(JSON.stringify(value));

/** The cursor's sort key, or null without one; a cursor we did not issue is a 400 on "cursor". */
export function decodeCursor<S extends z.ZodType>(cursor: string | undefined, schema: S): z.output<S> | null {
  if (cursor === undefined || cursor === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(fromB64url(cursor));
  } catch {
    value = undefined;
  }
  const r = schema.safeParse(value);
  if (!r.success) throw invalid("the cursor is not one this API issued", [{ path: "cursor", message: "invalid cursor" }]);
  return r.data;
}

/**
 * Rows were fetched with limit + 1: the extra row only says another page exists; the cursor is
 * the sort key of the last row shown.
 */
export function page<R, V>(rows: R[], limit: number, view: (r: R) => V, keyOf: (r: R) => unknown): { items: V[]; next_cursor: string | null } {
  const shown = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: shown.map(view), next_cursor: more ? encodeCursor(keyOf(shown[shown.length - 1]!)) : null };
}
