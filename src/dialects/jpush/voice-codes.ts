// POST /v1/voice_codes: a spoken verification code, the caller's (4–8 digits) or a generated one,
// read out in the chosen language and held by MobileGuard for `ttl` seconds (default 60).
import { attemptOf, sending } from "../../http/router";
import { normalizeMobile } from "../../core/phone";
import { acceptSend } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import { DEFAULT_CODE_LENGTH, issueCode } from "../../core/verification";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { codes, jpushRoute, SEND_403 } from "./errors";
import { parseInput, readJsonObject } from "./input";
import { MsgIdResponse, VoiceCodesRequest } from "./schemas";

/** JPush's default validity of a voice code, in seconds. */
const VOICE_TTL_DEFAULT = 60;

/**
 * What the call says; digits are spaced so that text-to-speech reads them one by one. Even the
 * mixed text stays within one segment, so a voice code costs what a text code costs.
 */
function voiceText(code: string, lang: number): string {
  const spoken = code.split("").join(" ");
  const zh = `您的验证码是 ${spoken}`;
  const en = `Your verification code is ${spoken}`;
  return lang === 0 ? zh : lang === 1 ? en : `${zh}。${en}`;
}

export const voiceCodesRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/voice_codes",
    summary: "Send a voice verification code",
    description: "The caller's code (4–8 digits) or a generated 6-digit one, read out in voice_lang (0 Chinese, 1 English, 2 both); valid for ttl seconds (default 60, at most 86400).",
    body: VoiceCodesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { "403": codes(...SEND_403, "invalidCodeLength", "invalidCodeType", "invalidVoiceLang", "invalidTtl") },
  },
  async (req, env) => {
    const { app, tenant } = await jpushAuth(req, env);
    const input = parseInput(VoiceCodesRequest, await readJsonObject(req), [["mobile", "missingMobile"]]);
    const mobile = normalizeMobile(input.mobile);
    const now = Date.now();
    const issued = await issueCode(env, tenant.id, mobile, {
      code: input.code ?? undefined,
      length: DEFAULT_CODE_LENGTH,
      ttlSeconds: input.ttl ?? VOICE_TTL_DEFAULT,
      now,
    });
    const res = await acceptSend(
      env,
      [{ mobile, text: voiceText(issued.code, input.voice_lang ?? 0), signature: null, channel: "voice", code: issued.held }],
      { tenant, app, kind: "verification", mode: "all", now, idempotency: idempotencyOf(req), attempt: attemptOf(req) },
    );
    return json({ msg_id: res.items[0]!.messageId });
  },
));
