// Templates: reviewed before use and bound to a signature; deleted rows are kept (soft delete)
// because messages refer to them.
import type { TenantDb } from "./db";
import type { Kind } from "./columns";
import type { AuthScope } from "./apps";
import { SIG_COLS, toSignature, type ReviewStatus, type Signature, type SignatureRow } from "./signatures";

export interface Template {
  id: number;
  tenantId: string;
  signatureId: number | null;
  kind: Kind;
  content: string;
  codeLength: number;
  ttl: number;
  remark: string | null;
  status: ReviewStatus;
  reviewNote: string | null;
  createdAt: number;
  updatedAt: number;
}

interface TemplateRow {
  id: number;
  tenant_id: string;
  signature_id: number | null;
  kind: Kind;
  content: string;
  code_length: number;
  ttl: number;
  remark: string | null;
  status: ReviewStatus;
  review_note: string | null;
  created_at: number;
  updated_at: number;
}

const toTemplate = (r: TemplateRow): Template => ({
  id: r.id,
  tenantId: r.tenant_id,
  signatureId: r.signature_id,
  kind: r.kind,
  content: r.content,
  codeLength: r.code_length,
  ttl: r.ttl,
  remark: r.remark,
  status: r.status,
  reviewNote: r.review_note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getTemplate({ db, tenantId }: TenantDb, id: number): Promise<Template | null> {
  const r = await db.prepare("SELECT * FROM templates WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0").bind(tenantId, id).first<TemplateRow>();
  return r ? toTemplate(r) : null;
}

/** What a templated send reads: the template, the signature it names, and one more signature (the request's sign_id, or else the app's default). */
export interface TemplateRead {
  template: Template | null;
  signature: Signature | null;
  other: Signature | null;
}

/**
 * The statements of a TemplateRead for the tenant and app of an authentication scope (store/apps
 * AuthScope), so that they share authentication's round trip; `read` takes their results. `signId`
 * null reads the app's default signature as `other`.
 */
export function templateReadIn(
  db: D1Database,
  s: AuthScope,
  templateId: number,
  signId: number | null,
): { statements: D1PreparedStatement[]; read: (results: D1Result[]) => TemplateRead } {
  const statements = [
    db.prepare(`SELECT * FROM templates WHERE tenant_id = ${s.tenant} AND id = ${s.at(1)} AND deleted = 0`).bind(...s.binds, templateId),
    db
      .prepare(
        `SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ${s.tenant} AND deleted = 0
           AND id = (SELECT signature_id FROM templates WHERE tenant_id = ${s.tenant} AND id = ${s.at(1)} AND deleted = 0)`,
      )
      .bind(...s.binds, templateId),
    signId !== null
      ? db.prepare(`SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ${s.tenant} AND id = ${s.at(1)} AND deleted = 0`).bind(...s.binds, signId)
      : db
          .prepare(
            `SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ${s.tenant} AND deleted = 0
               AND id = (SELECT default_signature_id FROM apps WHERE id = ${s.app})`,
          )
          .bind(...s.binds),
  ];
  const read = (results: D1Result[]): TemplateRead => {
    const [t, sig, other] = results.map((r) => r.results[0]);
    return {
      template: t ? toTemplate(t as TemplateRow) : null,
      signature: sig ? toSignature(sig as SignatureRow) : null,
      other: other ? toSignature(other as SignatureRow) : null,
    };
  };
  return { statements, read };
}

/** templateReadIn on its own, for the tenant and app already known (a send that did not read with authentication). */
export async function getTemplateRead({ db, tenantId }: TenantDb, appId: string, templateId: number, signId: number | null): Promise<TemplateRead> {
  const known: AuthScope = { tenant: "?1", app: "?2", binds: [tenantId, appId], at: (n) => `?${2 + n}` };
  const r = templateReadIn(db, known, templateId, signId);
  return r.read(await db.batch(r.statements));
}

export async function listTemplates({ db, tenantId }: TenantDb, limit: number, after: number | null): Promise<Template[]> {
  const { results } = await db
    .prepare("SELECT * FROM templates WHERE tenant_id = ?1 AND deleted = 0 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3")
    .bind(tenantId, after, limit)
    .all<TemplateRow>();
  return results.map(toTemplate);
}

/** The columns a template is written with (its id, tenant, review note and times are the store's). */
type TemplateFields = Pick<Template, "signatureId" | "kind" | "content" | "codeLength" | "ttl" | "remark">;

export type NewTemplate = TemplateFields & { status: ReviewStatus; now: number };

export async function insertTemplate({ db, tenantId }: TenantDb, t: NewTemplate): Promise<number> {
  const r = await db
    .prepare(
      `INSERT INTO templates (tenant_id, signature_id, kind, content, code_length, ttl, remark, status, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id`,
    )
    .bind(tenantId, t.signatureId, t.kind, t.content, t.codeLength, t.ttl, t.remark, t.status, t.now)
    .first<{ id: number }>();
  return r!.id;
}

export type TemplatePatch = Partial<TemplateFields>;

/** Only a template that is not approved may change; a change sends it back to review. */
export async function updateTemplate({ db, tenantId }: TenantDb, id: number, p: TemplatePatch, now: number): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE templates SET signature_id = CASE WHEN ?3 THEN ?4 ELSE signature_id END, kind = COALESCE(?5, kind),
         content = COALESCE(?6, content), code_length = COALESCE(?7, code_length), ttl = COALESCE(?8, ttl),
         remark = CASE WHEN ?9 THEN ?10 ELSE remark END, status = 'pending', review_note = NULL, updated_at = ?11
       WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0 AND status != 'approved'`,
    )
    .bind(
      tenantId, id, Number(p.signatureId !== undefined), p.signatureId ?? null, p.kind ?? null, p.content ?? null,
      p.codeLength ?? null, p.ttl ?? null, Number(p.remark !== undefined), p.remark ?? null, now,
    )
    .run();
  return r.meta.changes > 0;
}


export async function deleteTemplate({ db, tenantId }: TenantDb, id: number, now: number): Promise<boolean> {
  const r = await db
    .prepare("UPDATE templates SET deleted = 1, updated_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0")
    .bind(tenantId, id, now)
    .run();
  return r.meta.changes > 0;
}
