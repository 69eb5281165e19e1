// Blocked-word screening: the global list every tenant shares plus the tenant's own words.

/** Words refused for every tenant (case-insensitive substring match). Kept short and obvious. */
export const GLOBAL_BLOCKED_WORDS: readonly string[] = ["发票代开", "代开发票", "赌博", "博彩", "六合彩", "枪支", "冰毒", "海洛因"];

/** The first blocked word found in `text`, or null. */
export function findBlockedWord(text: string, tenantWords: readonly string[]): string | null {
  const haystack = text.toLowerCase();
  for (const list of [GLOBAL_BLOCKED_WORDS, tenantWords]) {
    for (const w of list) if (haystack.includes(w.toLowerCase())) return w;
  }
  return null;
}
