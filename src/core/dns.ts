// Host names of outbound webhooks resolved over DNS-over-HTTPS (the JSON API of RFC 8484 resolvers
// such as https://cloudflare-dns.com/dns-query) before each push, so a name that points at a
// private address is refused as an IP literal would be. Workers' fetch resolves names itself and
// tells the caller nothing, so this is the only place the gateway sees the addresses.
import { z } from "zod";
import { isPrivateAddress } from "./ip";

const DohAnswer = z.object({
  Status: z.number().int(),
  Answer: z.array(z.object({ name: z.string(), type: z.number().int(), data: z.string() })).optional(),
});

const A = 1;
const AAAA = 28;
export const DOH_TIMEOUT_MS = 3000;

export type Resolution = { ok: true; addresses: string[] } | { ok: false; problem: string; transient: boolean };

async function query(url: string, host: string, type: "A" | "AAAA"): Promise<Resolution> {
  const u = new URL(url);
  u.searchParams.set("name", host);
  u.searchParams.set("type", type);
  let res: Response;
  try {
    res = await fetch(u, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(DOH_TIMEOUT_MS) });
  } catch (e) {
    return { ok: false, problem: `DNS over HTTPS failed: ${String(e).slice(0, 100)}`, transient: true };
  }
  if (!res.ok) return { ok: false, problem: `DNS over HTTPS answered HTTP ${res.status}`, transient: true };
  const parsed = DohAnswer.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, problem: "DNS over HTTPS answered an unreadable body", transient: true };
  // 3 = NXDOMAIN: the name does not exist (a push to it cannot succeed); others (SERVFAIL…) may pass.
  if (parsed.data.Status === 3) return { ok: false, problem: `the host ${host} does not exist`, transient: true };
  if (parsed.data.Status !== 0) return { ok: false, problem: `DNS over HTTPS status ${parsed.data.Status}`, transient: true };
  const want = type === "A" ? A : AAAA;
  return { ok: true, addresses: (parsed.data.Answer ?? []).filter((a) => a.type === want).map((a) => a.data) };
}

/** Every A and AAAA address of `host` (CNAME chains are followed by the resolver). */
export async function resolveHost(dohUrl: string, host: string): Promise<Resolution> {
  const [a, aaaa] = await Promise.all([query(dohUrl, host, "A"), query(dohUrl, host, "AAAA")]);
  if (!a.ok) return a;
  if (!aaaa.ok) return aaaa;
  const addresses = [...a.addresses, ...aaaa.addresses];
  if (addresses.length === 0) return { ok: false, problem: `the host ${host} has no address`, transient: true };
  return { ok: true, addresses };
}

/** Why a push to `host` must not go out now (null: every address is public). */
export async function hostProblem(dohUrl: string, host: string): Promise<{ problem: string; transient: boolean } | null> {
  const r = await resolveHost(dohUrl, host);
  if (!r.ok) return r;
  const bad = r.addresses.find((a) => isPrivateAddress(a));
  return bad ? { problem: `the host resolves to a loopback, private, link-local or reserved address (${bad})`, transient: false } : null;
}
