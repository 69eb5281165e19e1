// Owns the reading of paasw's phoneNumbers list: "," or the full-width "，" (the document's own
// example uses it), spaces trimmed, empty entries skipped, at most 1000 listed, duplicates sent once.
//
// Policy for bad numbers: the whole request is refused, naming every bad number. A paasw send has
// a single bizId and no per-number result, so a client could not tell which numbers were skipped
// from a partial acceptance; refusing costs nothing and changes nothing.
import { CoreError } from "../../core/errors";
import { normalizeMobile } from "../../core/phone";
import { MAX_NUMBERS } from "./schemas";

export interface Recipients {
  /** Distinct E.164 mobiles in the order first listed. */
  mobiles: string[];
  /** For each entry of `mobiles`, its position among the listed numbers (for paramJson arrays). */
  positions: number[];
  /** How many numbers were listed, duplicates included. */
  listed: number;
}

/** How many bad numbers the refusal names before summarising the rest. */
const NAMED_BAD = 50;

export function parsePhoneNumbers(raw: string): Recipients {
  const entries = raw.split(/[,，]/).map((s) => s.trim()).filter((s) => s !== "");
  if (entries.length === 0) throw new CoreError("no_recipients", "phoneNumbers lists no number", { field: "phoneNumbers" });
  if (entries.length > MAX_NUMBERS) {
    throw new CoreError("too_many_recipients", `phoneNumbers lists ${entries.length} numbers; at most ${MAX_NUMBERS} are allowed`, { field: "phoneNumbers" });
  }
  const mobiles: string[] = [];
  const positions: number[] = [];
  const seen = new Set<string>();
  const bad: string[] = [];
  entries.forEach((entry, i) => {
    let e164: string;
    try {
      e164 = normalizeMobile(entry);
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      bad.push(entry.length > 24 ? `${entry.slice(0, 24)}…` : entry);
      return;
    }
    if (seen.has(e164)) return;
    seen.add(e164);
    mobiles.push(e164);
    positions.push(i);
  });
  if (bad.length > 0) {
    const named = bad.slice(0, NAMED_BAD).join(", ");
    const more = bad.length > NAMED_BAD ? ` and ${bad.length - NAMED_BAD} more` : "";
    throw new CoreError("invalid_mobile", `${bad.length} invalid number${bad.length > 1 ? "s" : ""}: ${named}${more}`, { field: "phoneNumbers" });
  }
  return { mobiles, positions, listed: entries.length };
}
