// Drives the operator API through the real Worker with the test ADMIN_TOKEN (vitest.config.ts).
import { env, exports } from "cloudflare:workers";
import { randomHex } from "../../src/core/crypto";

export interface Answer<T = any> {
  status: number;
  body: T;
}

export async function admin<T = any>(method: string, path: string, body?: unknown, token: string | null = env.ADMIN_TOKEN): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await exports.default.fetch(`http://gw/admin/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

/** A tenant created through the API, with a unique id. */
export async function newTenant(extra: Record<string, unknown> = {}): Promise<{ id: string; webhook_secret: string } & Record<string, any>> {
  const res = await admin("POST", "/tenants", { id: `t-${randomHex(6)}`, name: "Acme", ...extra });
  if (res.status !== 201) throw new Error(`tenant create failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The field paths of a 400 answer. */
export const paths = (a: Answer): string[] => (a.body?.error?.issues ?? []).map((i: { path: string }) => i.path);
