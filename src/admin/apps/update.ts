// PATCH /admin/v1/tenants/{id}/apps/{appId}: what an app may do and where its pushes go.
import { z } from "zod";
import { json } from "../../http/respond";
import { updateApp } from "../../store/apps";
import { setAppCaps } from "../../store/app-caps";
import { adminRoute, invalid, parseBody, parseParams, requireTenant } from "../http";
import { formatFor, webhookUrlProblem } from "../../core/webhooks";
import { AppView, appView } from "../views";
import { AppParams, CallbackUrl, checkOwnSignature, IpAllowlist, KindsInput, requireApp, SignatureIdInput, SpendingCap } from "./schemas";
import { tenantDb } from "../../store/db";

export const UpdateAppBody = z.strictObject({
  name: z.string().trim().max(100).optional(),
  kinds: KindsInput.optional(),
  sms_enabled: z.boolean().optional(),
  blocked: z.boolean().optional().describe("a blocked app is refused at authentication"),
  ip_allowlist: IpAllowlist.nullable().optional(),
  default_signature_id: SignatureIdInput.nullable().optional(),
  report_url: CallbackUrl.nullable().optional().describe("delivery reports are pushed here; null clears"),
  reply_url: CallbackUrl.nullable().optional().describe("replies (MO) are pushed here; null clears"),
  cap_daily: SpendingCap.nullable().optional().describe("most this app may spend per day (tenant timezone), minor units; null removes the cap"),
  cap_total: SpendingCap.nullable().optional().describe("most this app may spend in total, minor units; null removes the cap"),
});

export const updateAppRoute = adminRoute(
  { method: "patch", path: "/admin/v1/tenants/{id}/apps/{appId}", summary: "Change a credential", body: UpdateAppBody, response: AppView },
  async (req, env) => {
    const { id, appId } = parseParams(req, AppParams);
    const tenant = await requireTenant(env, id);
    const app = await requireApp(env, id, appId);
    const body = await parseBody(req, UpdateAppBody);
    await checkOwnSignature(env, id, body.default_signature_id);
    // The same guard the pushes apply, so a URL that could never be delivered to is refused up front;
    // then the dialect's own check where its vendor has one (JPush's echostr handshake).
    const verify = formatFor(app.dialect).verifyUrl;
    for (const field of ["report_url", "reply_url"] as const) {
      const url = body[field];
      if (!url) continue;
      const problem = webhookUrlProblem(env, url) ?? (verify && url !== app[field === "report_url" ? "reportUrl" : "replyUrl"] ? await verify(env, url) : null);
      if (problem) throw invalid(`${field} is not a deliverable URL`, [{ path: field, message: problem }]);
    }
    await updateApp(
      tenantDb(env, id),
      appId,
      {
        name: body.name,
        kinds: body.kinds,
        smsEnabled: body.sms_enabled,
        blocked: body.blocked,
        ipAllowlist: body.ip_allowlist,
        defaultSignatureId: body.default_signature_id,
        reportUrl: body.report_url,
        replyUrl: body.reply_url,
      },
      Date.now(),
    );
    if (body.cap_daily !== undefined || body.cap_total !== undefined) {
      await setAppCaps(tenantDb(env, id), appId, { daily: body.cap_daily, total: body.cap_total }, Date.now());
    }
    return json(appView(await requireApp(env, id, appId), tenant.timezone));
  },
);
