// The "twilio" carrier type: Twilio Programmable Messaging, free text (no template mapping), its
// secrets (Auth Token, API key secret) sealed at rest.
import type { CarrierKind } from "../types";
import { TwilioSettings } from "./settings";
import { errorJson } from "../http";
import { brokenCarrier, parsedSettings, timedProbe } from "../provider-http";
import { probe, query, submit } from "./client";
import { twilioCallback } from "./callback";

export const twilioKind: CarrierKind<typeof TwilioSettings> = {
  type: "twilio",
  settings: TwilioSettings,
  secrets: ["authToken", "apiKeySecret"],
  templated: false,
  reportWindowMs: 10 * 60_000,
  create: (_env, config) => {
    const s = parsedSettings(TwilioSettings, config.settings);
    if (!s.ok) return brokenCarrier(config.name, "twilio", s.reason);
    return { name: config.name, type: "twilio", submit: (messages) => submit(s.value, messages), query: (targets) => query(s.value, targets) };
  },
  callback: async (req, _env, config) => {
    const s = parsedSettings(TwilioSettings, config.settings);
    return s.ok ? twilioCallback(req, s.value) : errorJson(503, "carrier_misconfigured", "this carrier's settings are invalid");
  },
  /** One read-only signed call: whether the endpoint answers and takes the credentials. */
  status: async (_env, config) => {
    const s = parsedSettings(TwilioSettings, config.settings);
    if (!s.ok) return { settings: s.reason };
    return { ...(await timedProbe(s.value.endpoint, () => probe(s.value))) };
  },
};
