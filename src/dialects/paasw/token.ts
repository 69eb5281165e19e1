// GET /api/token: appId + secret → the app's token, valid 7200 s. Inside its validity the same
// token comes back with the seconds it has left (the document: 有效期内重复获取返回相同结果);
// resetting the secret kills it at once (src/core/tokens.ts).
import type { IRequest } from "itty-router";
import { authenticate } from "../../core/credentials";
import { CoreError } from "../../core/errors";
import { issueToken } from "../../core/tokens";
import { clientIp, json } from "../../http/respond";
import { PAASW_OWN, paaswErrorResponse } from "./errors";
import { readInput } from "./input";
import { TokenParams } from "./schemas";

export const TOKEN_TTL_SECONDS = 7200;

export async function getToken(req: IRequest, env: Env): Promise<Response> {
  const input = await readInput(req, TokenParams);
  if (!input.ok) return input.response;
  const { appId, secret } = input.data;
  let app;
  try {
    ({ app } = await authenticate(env, "paasw", appId, secret, clientIp(req)));
  } catch (e) {
    // Here auth_failed means the pair is wrong, not a token: its own code, one message for both
    // halves so that the answer does not tell which appIds exist.
    if (e instanceof CoreError && e.code === "auth_failed") return paaswErrorResponse(PAASW_OWN.badCredentials);
    throw e;
  }
  const now = Date.now();
  const issued = await issueToken(env, app, TOKEN_TTL_SECONDS, now);
  return json({ code: "10000", message: "操作成功", token: issued.token, expires_in: Math.floor((issued.expiresAt - now) / 1000) });
}
