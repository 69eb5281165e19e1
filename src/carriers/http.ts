// The JSON error shape and body parsing shared by the carrier callback and simulator routes.
import type { z } from "zod";
import { json } from "../http/respond";
import { readBody } from "../http/body";
import { logFault } from "../http/respond";
import { isCoreError } from "../core/errors";

export const errorJson = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  json({ error: { code, message, ...extra } }, status);

/** Reads and validates a JSON body; a Response is the 4xx to answer. */
export async function parseJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T> | Response> {
  const body = await readBody(req);
  switch (body.kind) {
    case "too_large":
      return errorJson(413, "too_large", "the body is larger than 2 MB");
    case "unsupported":
      return errorJson(415, "unsupported_media_type", `send application/json, not ${body.contentType}`);
    case "empty":
      return errorJson(400, "invalid_input", "the body is empty");
    case "malformed":
      return errorJson(400, "invalid_input", `the body is not valid JSON: ${body.reason}`);
    case "form":
      return errorJson(415, "unsupported_media_type", "send application/json");
  }
  const parsed = schema.safeParse(body.value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
  return errorJson(400, "invalid_input", issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), { issues });
}

export function onRouteError(name: string) {
  return (e: unknown, req: Request): Response => {
    if (isCoreError(e)) return errorJson(400, e.code, e.message);
    logFault(name, req, e);
    return errorJson(500, "server_error", "server error");
  };
}
