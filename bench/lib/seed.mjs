// Seeds the bench tenant through the operator API (/admin/v1, bearer ADMIN_TOKEN): balance,
// relaxed verification limits, an approved signature and templates, one credential per dialect,
// and the dialect logins (paasw token, Huawei IAM token). Whatever is missing is reported, not fatal.
import { call } from "./load.mjs";

export const TENANT = "bench";
export const SIGN = "边缘短信";
export const TEMPLATES = {
  verification: "您的验证码是{{code}}，5分钟内有效。",
  notification: "您的订单{{order}}已发货，请注意查收。",
  marketing: "会员日全场{{discount}}折起。回TD退订",
};
// Codes stay limited per mobile (the realistic path through MobileGuard) but loosely enough that a
// rare random repeat is still admitted; notification and marketing keep the tenant defaults.
const SETTINGS = { limits: { verification: [{ seconds: 60, max: 100 }, { seconds: 86400, max: 1000 }] }, repeatWindowSeconds: 0 };

/** Reads a field by any of the names the operator API might use, at the top or one level down. */
const pick = (o, ...names) => {
  for (const src of [o?.credentials, o, o?.credential, o?.app, o?.data]) {
    for (const n of names) if (src && src[n] !== undefined && src[n] !== null) return src[n];
  }
  return undefined;
};

export async function seed(url, adminToken) {
  const notes = [];
  const headers = { authorization: `Bearer ${adminToken}` };
  const admin = (method, path, body) => call(url, method, `/admin/v1${path}`, { body, headers });
  const must = async (what, p) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`);
    return r.data;
  };
  const s = { tenant: TENANT, creds: {}, templates: {}, signature: null, notes };
  try {
    await must("create tenant", admin("POST", "/tenants", { id: TENANT, name: "Bench Co.", timezone: "Asia/Shanghai", settings: SETTINGS }));
  } catch (e) {
    notes.push(`operator API unavailable: ${e.message}`);
    return s;
  }
  const attempt = async (what, fn) => {
    try {
      return await fn();
    } catch (e) {
      notes.push(`${what}: ${e.message}`);
      return undefined;
    }
  };
  await attempt("top-up", () =>
    must("top up", admin("POST", `/tenants/${TENANT}/balance`, { amount: 1_000_000_000_000, reason: "topup", note: "bench" })),
  );
  const sig = await attempt("signature", () => must("signature", admin("POST", `/tenants/${TENANT}/signatures`, { name: SIGN, status: "approved" })));
  if (!sig) return s;
  s.signature = { id: pick(sig, "id"), uid: pick(sig, "uid", "sign_id"), name: SIGN };
  for (const [kind, content] of Object.entries(TEMPLATES)) {
    const t = await attempt(`${kind} template`, () =>
      must(kind, admin("POST", `/tenants/${TENANT}/templates`, { kind, content, signature_id: s.signature.id, status: "approved", ttl: 300 })),
    );
    if (t) s.templates[kind] = pick(t, "id", "temp_id");
  }
  for (const dialect of ["jpush", "paasw", "huawei", "smsapi"]) {
    const c = await attempt(`${dialect} credential`, () =>
      must(dialect, admin("POST", `/tenants/${TENANT}/apps`, { dialect, name: `bench ${dialect}`, default_signature_id: s.signature.id })),
    );
    if (!c) continue;
    const key = pick(c, "appKey", "appId", "user_name", "key");
    const secret = pick(c, "masterSecret", "secret", "password");
    s.creds[dialect] = { key, secret, projectId: pick(c, "projectId", "project_id"), apiKey: pick(c, "api_key", "apiKey") ?? `${key}.${secret}` };
  }
  await attempt("paasw token", async () => {
    const p = s.creds.paasw;
    if (!p) return;
    const r = await call(url, "GET", `/api/token?appId=${encodeURIComponent(p.key)}&secret=${encodeURIComponent(p.secret)}`);
    if (typeof r.data?.token !== "string") throw new Error(`HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 200)}`);
    p.token = r.data.token;
  });
  await attempt("huawei token", async () => {
    const h = s.creds.huawei;
    if (!h) return;
    const body = {
      auth: {
        identity: { methods: ["password"], password: { user: { name: h.key, password: h.secret, domain: { name: TENANT } } } },
        scope: { project: { id: h.projectId } },
      },
    };
    const r = await call(url, "POST", "/v3/auth/tokens", { body });
    const token = r.headers.get("x-subject-token");
    if (!token) throw new Error(`HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 200)}`);
    h.token = token;
  });
  return s;
}
