// TC3-HMAC-SHA256 against the example Tencent Cloud publishes in its "Signature v3" guide
// (CVM DescribeInstances, timestamp 1551113065, the documented payload and intermediate values).
import { describe, expect, it } from "vitest";
import { canonicalRequest, tc3Authorization, tc3Signature } from "../../../src/carriers/tencent/sign";

const PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const EXAMPLE = { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", service: "cvm", host: "cvm.tencentcloudapi.com", payload: PAYLOAD, timestamp: 1551113065 };

describe("tencent signature (TC3-HMAC-SHA256)", () => {
  it("reproduces the published canonical request", async () => {
    expect(await canonicalRequest(EXAMPLE.host, PAYLOAD)).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    );
  });

  it("reproduces the published signature and Authorization (the guide's masked key and its EXAMPLE key)", async () => {
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "Gu5t9xGARNpq86cd98joQYCN3*******" })).toBe("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" })).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(await tc3Authorization({ ...EXAMPLE, secretKey: "Gu5t9xGARNpq86cd98joQYCN3*******" })).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
    );
  });

  it("changes with the payload, the host, the day and the key", async () => {
    const base = await tc3Signature({ ...EXAMPLE, secretKey: "k" });
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "k", payload: PAYLOAD + " " })).not.toBe(base);
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "k", host: "sms.tencentcloudapi.com" })).not.toBe(base);
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "k", timestamp: EXAMPLE.timestamp + 86400 })).not.toBe(base);
    expect(await tc3Signature({ ...EXAMPLE, secretKey: "K" })).not.toBe(base);
  });
});
