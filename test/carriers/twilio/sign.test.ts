// X-Twilio-Signature against the example in Twilio's security documentation (Auth Token 12345,
// https://mycompany.com/myapp.php?foo=1&bar=2 and its five POST parameters).
import { describe, expect, it } from "vitest";
import { signatureValid, signedString, twilioSignature } from "../../../src/carriers/twilio/sign";

const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: [string, string][] = [
  ["CallSid", "CA1234567890ABCDE"],
  ["Caller", "+14158675310"],
  ["Digits", "1234"],
  ["From", "+14158675310"],
  ["To", "+18005551212"],
];

describe("twilio signature", () => {
  it("reproduces the published example", async () => {
    expect(signedString(URL_, [...PARAMS].reverse())).toBe("https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212");
    expect(await twilioSignature("12345", URL_, PARAMS)).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  });

  it("validates only the exact signature for that URL, parameters and token", async () => {
    expect(await signatureValid("12345", URL_, PARAMS, "GvWf1cFY/Q7PnoempGyD5oXAezc=")).toBe(true);
    expect(await signatureValid("12345", URL_, PARAMS, null)).toBe(false);
    expect(await signatureValid("12346", URL_, PARAMS, "GvWf1cFY/Q7PnoempGyD5oXAezc=")).toBe(false);
    expect(await signatureValid("12345", URL_ + "&x=1", PARAMS, "GvWf1cFY/Q7PnoempGyD5oXAezc=")).toBe(false);
    expect(await signatureValid("12345", URL_, [...PARAMS, ["Body", "x"]], "GvWf1cFY/Q7PnoempGyD5oXAezc=")).toBe(false);
  });
});
