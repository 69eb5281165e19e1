// The rule the docs test applies (docs/docs-tests.md): a doc's shown answer against the real one.
import { describe, expect, it } from "vitest";
import { checkAnswer, compareJson, compareText, extractBlocks, splitCommands } from "./examples.mjs";

describe("docs test: comparing answers", () => {
  it("objects need exactly the shown keys", () => {
    expect(compareJson({ a: 1, b: 2 }, { a: 1, b: 2 })).toEqual([]);
    expect(compareJson({ a: 1, b: 2 }, { a: 1 })).toEqual(["$.b: shown, but missing"]);
    expect(compareJson({ a: 1 }, { a: 1, c: 3 })).toEqual(["$.c: not shown, but answered 3"]);
  });

  it("other values are equal, except under id, time, secret and balance keys, where only the type counts", () => {
    expect(compareJson({ code: 50012 }, { code: 50010 })).toEqual(["$.code: shown 50012, got 50010"]);
    expect(compareJson({ msg_id: "1", created_at: 1, bizId: "2", token: "x", balance: 1.5 }, { msg_id: "9", created_at: 7, bizId: "8", token: "y", balance: 99 })).toEqual([]);
    expect(compareJson({ msg_id: "1" }, { msg_id: 1 })).toEqual(['$.msg_id: shown "1", got 1']);
  });

  it("arrays need the same length; … stands for any text or any value", () => {
    expect(compareJson([1, 2], [1])).toEqual(["$: shown 2 item(s), got 1: [1]"]);
    expect(compareJson({ message: "invalid mobile: …" }, { message: "invalid mobile: 123 is too short" })).toEqual([]);
    expect(compareJson({ message: "invalid mobile: …" }, { message: "auth failed" })).toEqual(['$.message: shown "invalid mobile: …", got "auth failed"']);
    expect(compareJson({ data: "…" }, { data: { anything: [1] } })).toEqual([]);
  });

  it("a command without a shown answer must get no HTTP error; a shown HTTP status is checked", () => {
    const bare = { text: "curl …", answer: null };
    expect(checkAnswer(bare, "{}", [200, 201])).toEqual([]);
    expect(checkAnswer(bare, "{}", [200, 404])).toEqual(["HTTP 404 and the doc shows no answer (an error example must show the answer it gets)"]);
    const shown = { text: "curl …", answer: { text: 'HTTP 403\n{"is_valid": false}', json: true } };
    expect(checkAnswer(shown, '{"is_valid":false}', [403])).toEqual([]);
    expect(checkAnswer(shown, '{"is_valid":false}', [200])).toEqual(["shown HTTP 403, got 200"]);
    expect(checkAnswer(shown, "not json", [403])).toEqual(['the answer is not JSON: "not json"']);
  });

  it("text answers compare line by line", () => {
    expect(compareText("HTTP/1.1 200 OK\n{\"balance\":…}", "HTTP/1.1 200 OK\r\n{\"balance\":5}\n")).toEqual([]);
    expect(compareText("HTTP/1.1 200 OK", "HTTP/1.1 409 Conflict")).toEqual(['line 1: shown "HTTP/1.1 200 OK", got "HTTP/1.1 409 Conflict"']);
  });
});

describe("docs test: reading the markdown", () => {
  const md = [
    "```sh",
    "# a prose comment",
    "X=$(curl -s $GW/a \\",
    "  -d '{",
    "  \"k\": 1}' | jq -r .id)",
    "curl -s $GW/b",
    '# {"ok": true,',
    '#  "n": 1}',
    "curl -s $GW/c",
    "```",
    "",
    "```json",
    '{"c": 3}',
    "```",
    "<!-- docs-test: skip (deploys) -->",
    "   ```sh",
    "   npx wrangler deploy",
    "   ```",
  ].join("\n");

  it("finds shell blocks, the answer that follows one, and the blocks marked not runnable", () => {
    const blocks = extractBlocks(md);
    expect(blocks.map((b) => [b.line, b.skip, b.answer?.text ?? null])).toEqual([
      [1, null, '{"c": 3}'],
      [16, "(deploys)", null],
    ]);
    expect(blocks[1]!.text).toBe("npx wrangler deploy");
  });

  it("splits a block into whole commands, each with the answer shown after it", () => {
    const [block] = extractBlocks(md);
    expect(splitCommands(block!.text, block!.answer).map((c) => [c.text.split("\n").length, c.answer?.text ?? null])).toEqual([
      [3, null],
      [1, '{"ok": true,\n "n": 1}'],
      [1, '{"c": 3}'],
    ]);
  });
});
