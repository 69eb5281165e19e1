// What of a verification message may be shown or kept: the code's digits are masked for operators
// at once, and in storage once delivery no longer needs the text (the message is final).

/** Runs of 4 or more digits: verification codes are 4–8 digits (src/core/verification.ts). */
const CODE_LIKE = /\d{4,}/g;

/** Masks code-like digit runs outside 【signature】 brackets (a signature's own digits are not a secret). */
export const maskCodes = (text: string): string =>
  text
    .split(/(【[^】]*】)/)
    .map((part) => (part.startsWith("【") && part.endsWith("】") ? part : part.replace(CODE_LIKE, (d) => "*".repeat(d.length))))
    .join("");

/** A message's content as an operator may see it: a verification message's code masked. */
export const contentForOperator = (kind: string, content: string): string => (kind === "verification" ? maskCodes(content) : content);
