// An SMPP carrier's settings, validated when the operator saves the carrier (POST/PATCH
// /admin/v1/carriers) and again when a bind reads them. Field limits are SMPP 3.4's (§4.1.1).
import { z } from "zod";

const ton = z.number().int().min(0).max(6);
const npi = z.number().int().min(0).max(18);

export const SmppSettings = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean().default(false),
  systemId: z.string().min(1).max(15).regex(/^[\x20-\x7e]*$/, "printable ASCII"),
  /** Secret: sealed at rest, opened only inside the bind's memory. */
  password: z.string().max(8).regex(/^[\x20-\x7e]*$/, "printable ASCII"),
  systemType: z.string().max(12).regex(/^[\x20-\x7e]*$/, "printable ASCII").default(""),
  binds: z.number().int().min(1).max(10).default(1),
  window: z.number().int().min(1).max(100).default(10),
  /** Parts per second per bind. */
  tps: z.number().int().min(1).max(10_000).default(50),
  /** The default sender; a tenant's override replaces it, the extension is appended to either. */
  sourceAddr: z.string().min(1).max(20).regex(/^[\x20-\x7e]*$/, "printable ASCII"),
  sourceTon: ton.optional(),
  sourceNpi: npi.optional(),
  destTon: ton.default(1),
  destNpi: npi.default(1),
  enquireLinkSeconds: z.number().int().min(5).max(600).default(30),
  /** How long a submit_sm may wait for its response before its outcome is unknown. */
  responseTimeoutSeconds: z.number().int().min(1).max(120).default(30),
});
export type SmppSettings = z.output<typeof SmppSettings>;

/**
 * The sender's TON/NPI: as configured, else by its form: alphanumeric 5/0, digits 0/1 (unknown TON,
 * so a short code or a long number is read by the SMSC's own numbering plan).
 */
export function sourceTonNpi(s: SmppSettings, addr: string): { ton: number; npi: number } {
  const alpha = !/^\+?\d+$/.test(addr);
  return { ton: s.sourceTon ?? (alpha ? 5 : 0), npi: s.sourceNpi ?? (alpha ? 0 : 1) };
}
