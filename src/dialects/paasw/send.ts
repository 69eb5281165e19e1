// POST /sms/send: one text to up to 1000 numbers as ONE atomic batch; its id is the bizId.
// Any refused number refuses the request (mode "all"): nothing is written or billed.
import type { IRequest } from "itty-router";
import { acceptSend } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Kind } from "../../core/types";
import { json } from "../../http/respond";
import { PAASW_OWN, PaaswRefusal } from "./errors";
import { readAuthedWith } from "./input";
import { parsePhoneNumbers } from "./recipients";
import { SendParams } from "./schemas";
import { approvedSignatureOf, signatureRead, signedText } from "./signature";

const KIND_BY_PARAM: Record<"1" | "2" | "3", Kind> = { "1": "verification", "2": "notification", "3": "marketing" };

/** The document: kind is required when the account may send several types, otherwise left out. */
export function resolveKind(app: App, param: "1" | "2" | "3" | undefined): Kind {
  if (param !== undefined) return KIND_BY_PARAM[param];
  if (app.kinds.length === 1) return app.kinds[0]!;
  throw new PaaswRefusal(PAASW_OWN.missingParam, "kind is required: this app may send several kinds (1 verification, 2 notification, 3 marketing)");
}

export const sent = (bizId: string): Response => json({ code: "10000", message: "操作成功", bizId });

export async function postSend(req: IRequest, env: Env): Promise<Response> {
  // The token and the signature share one D1 round trip.
  const input = await readAuthedWith(req, env, SendParams, (d) => ({ prefetch: signatureRead(d.sign), take: (r) => r.signatures }));
  if (!input.ok) return input.response;
  const { data, app, tenant } = input;
  const kind = resolveKind(app, data.kind);
  const { mobiles } = parsePhoneNumbers(data.phoneNumbers);
  const sig = approvedSignatureOf(input.extra, data.sign);
  const text = signedText(sig.name, data.content);
  const accepted = await acceptSend(
    env,
    mobiles.map((mobile) => ({ mobile, normalized: true, text, signature: sig.name, customerRef: data.outId ?? null })),
    { tenant, app, kind, mode: "all", idempotency: idempotencyOf(req) },
  );
  return sent(accepted.batchId!);
}
