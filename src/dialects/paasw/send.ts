// POST /sms/send: one text to up to 1000 numbers as ONE atomic batch; its id is the bizId.
// Any refused number refuses the request (mode "all"): nothing is written or billed.
import { attemptOf, sending } from "../../http/router";
import { acceptSend } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Kind } from "../../core/types";
import { json } from "../../http/respond";
import { authenticateTokenWith } from "./auth";
import { PAASW_OWN, refuse } from "./errors";
import { readInput } from "./input";
import { parsePhoneNumbers } from "./recipients";
import { paaswRoutes, SendParams, SendResponse } from "./schemas";
import { approvedSignatureOf, signatureRead, signedText } from "./signature";

const KIND_BY_PARAM: Record<"1" | "2" | "3", Kind> = { "1": "verification", "2": "notification", "3": "marketing" };

/** The document: kind is required when the account may send several types, otherwise left out. */
function resolveKind(app: App, param: "1" | "2" | "3" | undefined): Kind {
  if (param !== undefined) return KIND_BY_PARAM[param];
  if (app.kinds.length === 1) return app.kinds[0]!;
  throw refuse(PAASW_OWN.missingParam, "kind is required: this app may send several kinds (1 verification, 2 notification, 3 marketing)");
}

/** The answer of both send endpoints. */
export const sent = (bizId: string): Response => json({ code: "10000", message: "操作成功", bizId });

export const sendRoutes = paaswRoutes(
  {
    path: "/sms/send",
    summary: "Send one text to up to 1000 numbers (one bizId)",
    description: "Any invalid number refuses the whole request (30001 names every one); duplicates are sent once; billed atomically.",
    params: SendParams,
    response: SendResponse,
  },
  async (req, env) => {
    const data = await readInput(req, SendParams);
    // The token and the signature share one D1 round trip.
    const { app, tenant, extra } = await authenticateTokenWith(req, env, data.token, { prefetch: signatureRead(data.sign), take: (r) => r.signatures });
    const kind = resolveKind(app, data.kind);
    const { mobiles } = parsePhoneNumbers(data.phoneNumbers);
    const sig = approvedSignatureOf(extra, data.sign);
    const text = signedText(sig.name, data.content);
    const accepted = await acceptSend(
      env,
      mobiles.map((mobile) => ({ mobile, normalized: true, text, signature: sig.name, customerRef: data.outId ?? null })),
      { tenant, app, kind, mode: "all", idempotency: idempotencyOf(req), attempt: attemptOf(req) },
    );
    return sent(accepted.batchId!);
  },
).map(sending);
