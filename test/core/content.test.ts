import { describe, expect, it } from "vitest";
import { CoreError, type CoreErrorCode } from "../../src/core/errors";
import { extractSignature, renderTemplate, templateParams, withSignature } from "../../src/core/content";

function refusal(f: () => unknown): CoreError {
  try {
    f();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("templateParams", () => {
  it.each([
    ["您的验证码是{{code}}，{{ minutes }}分钟内有效", ["code", "minutes"]],
    ["{{a}}{{b}}{{a}}", ["a", "b"]],
    ["{{\tcode\n}} and {{code}}", ["code"]],
    ["{{user_name_2}}", ["user_name_2"]],
    ["no placeholders", []],
    ["", []],
    ["{{}} {{a-b}} {{ a b }} {code} {{ code } }", []],
    ["{{验证码}}", []], // names are ASCII only; such text stays literal
    ["{{{x}}}", ["x"]],
  ])("%j -> %j", (content, names) => {
    expect(templateParams(content)).toEqual(names);
  });
});

describe("renderTemplate renders", () => {
  it.each([
    ["您的验证码是{{code}}", { code: "1234" }, "您的验证码是1234"],
    ["{{ code }}/{{code}}", { code: "42" }, "42/42"],
    ["{{a}}{{b}}", { a: "x", b: "y", unused: "z" }, "xy"],
    ["{{n}}", { n: 1234 }, "1234"],
    ["{{n}}", { n: 0 }, "0"],
    ["{{n}}", { n: -1.5 }, "-1.5"],
    ["{{b}}", { b: false }, "false"],
    ["{{b}}", { b: true }, "true"],
    ["{{s}}", { s: " padded " }, " padded "],
    ["plain text", undefined, "plain text"],
    ["plain text", { extra: 1 }, "plain text"],
    // a value is never scanned again, and replacement patterns stay literal
    ["{{a}}-{{b}}", { a: "{{b}}", b: "x" }, "{{b}}-x"],
    ["{{a}}", { a: "$&$1$$`'" }, "$&$1$$`'"],
    ["{{a}}", { a: "x".repeat(100) }, "x".repeat(100)],
    ["{{a}}", { a: "中".repeat(100) }, "中".repeat(100)],
    ["{{a}}", { a: "😀".repeat(100) }, "😀".repeat(100)], // 100 characters, 200 UTF-16 units
  ])("%j with %j", (content, params, out) => {
    expect(renderTemplate(content, params)).toBe(out);
  });
});

describe("renderTemplate refuses", () => {
  it.each<[string, string, Record<string, unknown> | undefined, CoreErrorCode, string]>([
    ["no params at all", "code {{code}}", undefined, "template_param_missing", "code"],
    ["absent", "code {{code}}", { other: "1" }, "template_param_missing", "code"],
    ["undefined", "code {{code}}", { code: undefined }, "template_param_missing", "code"],
    ["null", "code {{code}}", { code: null }, "template_param_missing", "code"],
    ["inherited name", "{{constructor}}{{toString}}", {}, "template_param_missing", "constructor"],
    ["empty string", "{{code}}", { code: "" }, "template_param_empty", "code"],
    ["whitespace only", "{{code}}", { code: " \t\n　" }, "template_param_empty", "code"],
    ["object", "{{code}}", { code: { v: 1 } }, "invalid_input", "code"],
    ["array", "{{code}}", { code: ["1"] }, "invalid_input", "code"],
    ["function", "{{code}}", { code: () => "1" }, "invalid_input", "code"],
    ["NaN", "{{code}}", { code: Number.NaN }, "invalid_input", "code"],
    ["Infinity", "{{code}}", { code: Number.POSITIVE_INFINITY }, "invalid_input", "code"],
    ["101 characters", "{{code}}", { code: "x".repeat(101) }, "invalid_input", "code"],
    ["101 emoji", "{{code}}", { code: "😀".repeat(101) }, "invalid_input", "code"],
    ["missing before empty", "{{a}}{{b}}", { a: "" }, "template_param_missing", "b"],
  ])("%s", (_, content, params, code, field) => {
    const e = refusal(() => renderTemplate(content, params));
    expect(e.code).toBe(code);
    expect(e.detail.field).toBe(field);
    expect(e.message).toContain(`"${field}"`);
  });

  it("names every missing parameter", () => {
    const e = refusal(() => renderTemplate("{{a}} {{b}} {{c}}", { b: "1" }));
    expect(e.code).toBe("template_param_missing");
    expect(e.message).toBe('missing template parameters "a", "c"');
    expect(e.detail).toEqual({ field: "a" });
  });
});

describe("withSignature", () => {
  it.each([
    ["圆通快递", "您的快递已到", "【圆通快递】您的快递已到"],
    ["圆通快递", "【圆通快递】您的快递已到", "【圆通快递】您的快递已到"],
    ["圆通快递", "您的快递已到【圆通快递】", "您的快递已到【圆通快递】"],
    ["圆通快递", "【圆通】您的快递已到", "【圆通快递】【圆通】您的快递已到"],
    ["圆通快递", "[圆通快递]您的快递已到", "【圆通快递】[圆通快递]您的快递已到"],
    ["Acme", "Your code is 1234", "【Acme】Your code is 1234"],
    ["Acme", "", "【Acme】"],
  ])("%s + %j -> %j", (name, content, out) => {
    expect(withSignature(name, content)).toBe(out);
  });

  it.each(["", "  "])("refuses the empty name %j", (name) => {
    expect(refusal(() => withSignature(name, "hi")).code).toBe("signature_missing");
  });
});

describe("extractSignature", () => {
  it.each([
    ["【圆通快递】您的快递已到", "圆通快递"],
    ["您的快递已到【圆通快递】", "圆通快递"],
    ["【圆通快递】您的快递已到【顺丰】", "圆通快递"], // leading wins
    ["【圆通】", "圆通"],
    ["【Acme Inc】Your code is 1234", "Acme Inc"],
    ["【😀😀】hi", "😀😀"], // two characters
    [`【${"名".repeat(20)}】hi`, "名".repeat(20)],
    ["【a】hi【圆通】", "圆通"], // leading too short, trailing taken
    ["x【a【bc】", "bc"],
    [`【${"名".repeat(21)}】hi`, null],
    ["【a】hi", null],
    ["【】hi", null],
    ["【  】hi", null],
    ["【圆通快递 no closing bracket", null],
    ["no opening bracket 圆通快递】", null],
    ["hi 【圆通】 there", null],
    [" 【圆通】hi", null], // not leading
    ["[Acme] Your code is 1234", null],
    ["Your code is 1234 [Acme]", null],
    ["", null],
  ])("%j -> %j", (text, name) => {
    expect(extractSignature(text)).toBe(name);
  });
});
