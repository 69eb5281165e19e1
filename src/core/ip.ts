// IP allow-lists (exact addresses or IPv4/IPv6 CIDR ranges) and the private-address test used to
// keep outbound webhooks away from internal networks.

function v4(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function v6(ip: string): bigint | null {
  let s = ip.toLowerCase().replace(/^\[|\]$/g, "");
  const tail4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail4) {
    const n = v4(tail4[1]!);
    if (n === null) return null;
    s = s.slice(0, -tail4[1]!.length) + ((n >>> 16).toString(16) + ":" + (n & 0xffff).toString(16));
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Whether `ip` matches an entry: an address, or a CIDR range like 10.0.0.0/8 or 2001:db8::/32. */
export function ipMatches(ip: string, entry: string): boolean {
  const [net, bitsText] = entry.split("/");
  const a4 = v4(ip);
  const n4 = v4(net!);
  if (a4 !== null && n4 !== null) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!(bits >= 0 && bits <= 32)) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (a4 & mask) === (n4 & mask);
  }
  const a6 = v6(ip);
  const n6 = v6(net!);
  if (a6 === null || n6 === null) return false;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (!(bits >= 0 && bits <= 128)) return false;
  const shift = BigInt(128 - bits);
  return a6 >> shift === n6 >> shift;
}

export const isValidIpOrCidr = (entry: string): boolean => {
  const [net, bits] = entry.split("/");
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return false;
  return v4(net!) !== null || v6(net!) !== null;
};

export const ipAllowed = (ip: string, list: string[] | null): boolean => list === null || list.some((e) => ipMatches(ip, e));

const PRIVATE_RANGES = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
  "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
  "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "100::/64", "2001:db8::/32",
  // Local-use NAT64 (RFC 8215): translated into whatever the operator's network holds.
  "64:ff9b:1::/48",
];

const low32 = (n: bigint): number => Number(n & 0xffffffffn);
const v4text = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/**
 * The IPv4 addresses an IPv6 address carries and that a packet to it may reach: IPv4-compatible
 * (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d), NAT64
 * (64:ff9b::/96), 6to4 (2002:aabb:ccdd::/48) and Teredo (2001::/32: the server, and the client,
 * stored inverted in the last 32 bits).
 */
export function embeddedIpv4(ip: string): string[] {
  const n = v6(ip);
  if (n === null) return [];
  const top96 = n >> 32n;
  if (top96 === 0n || top96 === 0xffffn || top96 === 0xffff0000n || top96 === 0x64ff9b0000000000000000n) return [v4text(low32(n))];
  if (n >> 112n === 0x2002n) return [v4text(Number((n >> 80n) & 0xffffffffn))];
  if (n >> 96n === 0x20010000n) return [v4text(Number((n >> 64n) & 0xffffffffn)), v4text(~low32(n) >>> 0)];
  return [];
}

/**
 * Loopback, private, link-local (cloud metadata lives at 169.254.169.254), CGNAT, multicast,
 * reserved — and IPv6 addresses that embed such an IPv4 address (so [::7f00:1] is 127.0.0.1 and
 * [2002:a9fe:a9fe::] the metadata address).
 */
export const isPrivateAddress = (ip: string): boolean =>
  PRIVATE_RANGES.some((r) => ipMatches(ip, r)) || embeddedIpv4(ip).some((a) => PRIVATE_RANGES.some((r) => ipMatches(a, r)));

export const isIpLiteral = (host: string): boolean => v4(host) !== null || v6(host) !== null;
