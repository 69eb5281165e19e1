// GET /api/token: appId + secret → the app's token, valid 7200 s. Inside its validity the same
// token comes back with the seconds it has left (the document: 有效期内重复获取返回相同结果);
// resetting the secret kills it at once (src/core/tokens.ts).
import { issueToken } from "../../core/tokens";
import { json } from "../../http/respond";
import { authenticateSecret } from "./auth";
import { readInput } from "./input";
import { paaswRoutes, TokenParams, TokenResponse } from "./schemas";

const TOKEN_TTL_SECONDS = 7200;

export const tokenRoutes = paaswRoutes(
  {
    path: "/api/token",
    summary: "Get a token (valid 7200 s; the same token while valid)",
    description: "Resetting the app's secret invalidates its tokens at once (code 20003: fetch a new one).",
    params: TokenParams,
    response: TokenResponse,
    auth: false,
  },
  async (req, env) => {
    const { appId, secret } = await readInput(req, TokenParams);
    const app = await authenticateSecret(req, env, appId, secret);
    const now = Date.now();
    const issued = await issueToken(env, app, TOKEN_TTL_SECONDS, now);
    return json({ code: "10000", message: "操作成功", token: issued.token, expires_in: Math.floor((issued.expiresAt - now) / 1000) });
  },
);
