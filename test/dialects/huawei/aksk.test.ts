// Huawei AK/SK (SDK-HMAC-SHA256), the algorithm of src/dialects/huawei/aksk.ts against the values
// Huawei publishes in its API signing guide (the VPC list request signed at 20191115T033655Z), both
// by our verifier's functions and by the independent signer of ./helpers (written from the guide's
// steps), which auth.test.ts then uses to drive every Huawei route through the real Worker.
import { describe, expect, it } from "vitest";
import { canonicalRequest, formatSdkDate, parseSdkDate, signatureMatches, signatureOf, stringToSign } from "../../../src/dialects/huawei/aksk";
import { sha256, sign } from "./helpers";

// Huawei's published example (API Request Signing Guide, "Constructing a Standard Request" ff.).
const PUBLISHED = {
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  headers: { "content-type": "application/json", host: "service.region.example.com", "x-sdk-date": "20191115T033655Z" },
  hashedCanonicalRequest: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  stringToSign: "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  ak: "QTWAOYTTINDUT2QVKYUC",
  sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
  authorization:
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

describe("the algorithm against Huawei's published example", () => {
  it("the independent signer reproduces the published Authorization header", async () => {
    const { headers } = PUBLISHED;
    expect(await sign(PUBLISHED.ak, PUBLISHED.sk, "GET", new URL(PUBLISHED.url), headers, "")).toBe(PUBLISHED.authorization);
  });

  it("our verifier's canonical request hashes to the published value, and the published signature verifies", async () => {
    const url = new URL(PUBLISHED.url);
    const input = {
      method: "GET",
      path: url.pathname,
      query: url.searchParams,
      header: (h: string) => (PUBLISHED.headers as Record<string, string>)[h] ?? null,
      signedHeaders: ["content-type", "host", "x-sdk-date"],
      payloadHash: await sha256(""),
    };
    const canonical = canonicalRequest(input);
    expect(canonical).toBe(
      "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
        "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n" +
        "content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(await sha256(canonical)).toBe(PUBLISHED.hashedCanonicalRequest);
    expect(await stringToSign("20191115T033655Z", canonical)).toBe(PUBLISHED.stringToSign);
    expect(await signatureOf(PUBLISHED.sk, "20191115T033655Z", canonical)).toBe(PUBLISHED.signature);
    expect(await signatureMatches(PUBLISHED.sk, "20191115T033655Z", canonical, PUBLISHED.signature)).toBe(true);
    expect(await signatureMatches(PUBLISHED.sk, "20191115T033656Z", canonical, PUBLISHED.signature)).toBe(false);
    expect(await signatureMatches("x" + PUBLISHED.sk, "20191115T033655Z", canonical, PUBLISHED.signature)).toBe(false);
  });

  it("X-Sdk-Date is YYYYMMDDTHHMMSSZ in UTC, and impossible dates are refused", () => {
    expect(parseSdkDate("20191115T033655Z")).toBe(Date.UTC(2019, 10, 15, 3, 36, 55));
    expect(formatSdkDate(Date.UTC(2019, 10, 15, 3, 36, 55))).toBe("20191115T033655Z");
    for (const bad of ["20190231T000000Z", "2019-11-15T03:36:55Z", "20191115T033655", "20191115T246000Z"]) expect(parseSdkDate(bad)).toBeNull();
  });
});
