// Aliyun RPC signature v1 against the example Aliyun publishes in its SMS API signing guide
// (AccessKeyId testId / secret testSecret, SendSms to 15300000001, expected zJDF+Lrzhj/ThnlvIToysFRq6t4=).
import { describe, expect, it } from "vitest";
import { canonicalQuery, percentEncode, rpcSignature, stringToSign } from "../../../src/carriers/aliyun/sign";

const EXAMPLE = {
  AccessKeyId: "testId",
  Action: "SendSms",
  Format: "XML",
  OutId: "123",
  PhoneNumbers: "15300000001",
  RegionId: "cn-hangzhou",
  SignName: "阿里云短信测试专用",
  SignatureMethod: "HMAC-SHA1",
  SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
  SignatureVersion: "1.0",
  TemplateCode: "SMS_71390007",
  TemplateParam: '{"customer":"test"}',
  Timestamp: "2017-07-12T02:42:19Z",
  Version: "2017-05-25",
};

describe("aliyun signature (RPC v1, HMAC-SHA1)", () => {
  it("reproduces the published string to sign and signature", async () => {
    expect(stringToSign("GET", EXAMPLE)).toBe(
      "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
    );
    expect(await rpcSignature("GET", EXAMPLE, "testSecret")).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("changes with any parameter, the method and the secret", async () => {
    const base = await rpcSignature("GET", EXAMPLE, "testSecret");
    expect(await rpcSignature("GET", { ...EXAMPLE, OutId: "124" }, "testSecret")).not.toBe(base);
    expect(await rpcSignature("POST", EXAMPLE, "testSecret")).not.toBe(base);
    expect(await rpcSignature("GET", EXAMPLE, "testSecreT")).not.toBe(base);
  });

  it("percent-encodes as RFC 3986 (space %20, * %2A, ~ kept, ! ' ( ) encoded)", () => {
    expect(percentEncode("a b*c~d!e'f(g)h+")).toBe("a%20b%2Ac~d%21e%27f%28g%29h%2B");
    expect(canonicalQuery({ b: "2", a: "1", B: "3" })).toBe("B=3&a=1&b=2");
  });
});
