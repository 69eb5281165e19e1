// Where a dialect is served besides its root paths: under its own prefix (/jpush/v1/codes) and, by
// configuration (DIALECT_HOSTS), on its own host name at the root. Inside a prefix or on such a host
// every path belongs to that one dialect, so an unknown path or a wrong method gets its own 404/405.
import { z } from "zod";

export const MOUNTED_DIALECTS = ["jpush", "paasw", "huawei", "smsapi"] as const;
export type MountedDialect = (typeof MOUNTED_DIALECTS)[number];

/**
 * Set on a request whose path was re-rooted under a prefix: the prefix removed. A signature made
 * over the path the client sent (Huawei AK/SK) is checked against prefix + path. Never trusted from
 * outside: the front door strips it from every incoming request.
 */
export const MOUNT_HEADER = "x-edgesms-mount";

/** The prefix each dialect answers under. smsapi's own paths already start with /smsapi: nothing is removed. */
export const PREFIXES: Record<MountedDialect, { prefix: string; strip: boolean }> = {
  jpush: { prefix: "/jpush", strip: true },
  paasw: { prefix: "/paasw", strip: true },
  huawei: { prefix: "/huawei", strip: true },
  smsapi: { prefix: "/smsapi", strip: false },
};

const HostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "a host name (no scheme, port or path)");

/** "host=dialect" pairs separated by commas or whitespace, e.g. "sms-jpush.example.com=jpush". */
export const DialectHosts = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter((x) => x !== ""))
  .pipe(z.array(z.string().transform((pair, ctx) => {
    const [host, dialect, ...rest] = pair.split("=");
    const h = HostName.safeParse(host ?? "");
    const d = z.enum(MOUNTED_DIALECTS).safeParse(dialect);
    if (rest.length > 0 || !h.success || !d.success) {
      ctx.addIssue({ code: "custom", message: `"${pair}" is not host=dialect (dialects: ${MOUNTED_DIALECTS.join(", ")})` });
      return z.NEVER;
    }
    return [h.data, d.data] as const;
  })))
  .transform((pairs) => new Map<string, MountedDialect>(pairs));

// The parsed map per distinct configuration string (configuration, not request state).
let cached: { raw: string; hosts: Map<string, MountedDialect> } | null = null;

/** The dialect configured for this host name, if any. Throws on a malformed DIALECT_HOSTS. */
export function dialectOfHost(env: Env, hostname: string): MountedDialect | null {
  const raw = env.DIALECT_HOSTS ?? "";
  if (raw.trim() === "") return null;
  if (cached?.raw !== raw) {
    const parsed = DialectHosts.safeParse(raw);
    if (!parsed.success) throw new Error(`DIALECT_HOSTS: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    cached = { raw, hosts: parsed.data };
  }
  return cached.hosts.get(hostname.toLowerCase()) ?? null;
}

/** The dialect whose prefix this path is under (the prefix itself included), if any. */
export function dialectOfPrefix(path: string): MountedDialect | null {
  for (const d of MOUNTED_DIALECTS) {
    const { prefix } = PREFIXES[d];
    if (path === prefix || path.startsWith(`${prefix}/`)) return d;
  }
  return null;
}

/** The request as the dialect's router sees it under a prefix: the prefix removed, and noted in MOUNT_HEADER. */
export function unmount(req: Request, dialect: MountedDialect): Request {
  const { prefix, strip } = PREFIXES[dialect];
  if (!strip) return req;
  const url = new URL(req.url);
  url.pathname = url.pathname.slice(prefix.length) || "/";
  const out = new Request(url, req);
  out.headers.set(MOUNT_HEADER, prefix);
  return out;
}

/** The path the client addressed (its prefix included): what a request signature covers. */
export const clientPath = (req: Request): string => (req.headers.get(MOUNT_HEADER) ?? "") + new URL(req.url).pathname;

/** An incoming request without MOUNT_HEADER (a client must not choose the path a signature is checked over). */
export function withoutMountHeader(req: Request): Request {
  if (!req.headers.has(MOUNT_HEADER)) return req;
  const out = new Request(req);
  out.headers.delete(MOUNT_HEADER);
  return out;
}
