// Signatures (签名): reviewed before use; deleted rows are kept (soft delete) because messages refer
// to them. The review verdict statement, shared with templates, lives here too.
import type { TenantDb } from "./db";
import type { AuthScope } from "./apps";

export type ReviewStatus = "pending" | "approved" | "rejected";

export interface Signature {
  id: number;
  uid: string;
  tenantId: string;
  name: string;
  type: number;
  remark: string | null;
  imageType: string | null;
  hasImage: boolean;
  status: ReviewStatus;
  reviewNote: string | null;
  createdAt: number;
  updatedAt: number;
}

export const SIG_COLS = "id, uid, tenant_id, name, type, remark, image_type, image IS NOT NULL AS has_image, status, review_note, created_at, updated_at";

export interface SignatureRow {
  id: number;
  uid: string;
  tenant_id: string;
  name: string;
  type: number;
  remark: string | null;
  image_type: string | null;
  has_image: number;
  status: ReviewStatus;
  review_note: string | null;
  created_at: number;
  updated_at: number;
}

export const toSignature = (r: SignatureRow): Signature => ({
  id: r.id,
  uid: r.uid,
  tenantId: r.tenant_id,
  name: r.name,
  type: r.type,
  remark: r.remark,
  imageType: r.image_type,
  hasImage: r.has_image === 1,
  status: r.status,
  reviewNote: r.review_note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getSignature({ db, tenantId }: TenantDb, id: number): Promise<Signature | null> {
  const r = await db.prepare(`SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0`).bind(tenantId, id).first<SignatureRow>();
  return r ? toSignature(r) : null;
}

export async function getSignatureByUid({ db, tenantId }: TenantDb, uid: string): Promise<Signature | null> {
  const r = await db.prepare(`SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ?1 AND uid = ?2 AND deleted = 0`).bind(tenantId, uid).first<SignatureRow>();
  return r ? toSignature(r) : null;
}

export async function getSignatureByName({ db, tenantId }: TenantDb, name: string): Promise<Signature | null> {
  const r = await db.prepare(`SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ?1 AND name = ?2 AND deleted = 0`).bind(tenantId, name).first<SignatureRow>();
  return r ? toSignature(r) : null;
}

export async function listSignatures({ db, tenantId }: TenantDb, limit: number, after: number | null): Promise<Signature[]> {
  const { results } = await db
    .prepare(`SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ?1 AND deleted = 0 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3`)
    .bind(tenantId, after, limit)
    .all<SignatureRow>();
  return results.map(toSignature);
}

export interface NewSignature {
  uid: string;
  name: string;
  type: number;
  remark: string | null;
  image: Uint8Array | null;
  imageType: string | null;
  status: ReviewStatus;
  now: number;
}

/**
 * The insert of `s`; with `soleInReview`, it inserts nothing while another live signature of the
 * tenant is pending, that rule being the statement's own condition so two concurrent submissions
 * cannot both pass a check made before. (The WHERE also keeps SQLite from reading ON CONFLICT as a join.)
 */
const insertStatement = ({ db, tenantId }: TenantDb, s: NewSignature, soleInReview: boolean): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO signatures (uid, tenant_id, name, type, remark, image, image_type, status, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9
       WHERE ?10 = 0 OR NOT EXISTS (SELECT 1 FROM signatures WHERE tenant_id = ?2 AND status = 'pending' AND deleted = 0)
       ON CONFLICT DO NOTHING RETURNING id`,
    )
    .bind(s.uid, tenantId, s.name, s.type, s.remark, s.image, s.imageType, s.status, s.now, Number(soleInReview));

/** Returns the new signature id, or null when the tenant already has a live signature of that name. */
export async function insertSignature(t: TenantDb, s: NewSignature): Promise<number | null> {
  const r = await insertStatement(t, s, false).first<{ id: number }>();
  return r?.id ?? null;
}

/** Why a signature could not be written: another one under review (its id), or the name taken. */
export type SignatureBlock = { outcome: "in_review"; pendingId: number } | { outcome: "name_taken" };

/**
 * The SELECT, run in the write's batch (one transaction), that says why the write changed nothing:
 * another pending signature than `id` (with `soleInReview`), else a live one named `name`.
 */
const blockStatement = ({ db, tenantId }: TenantDb, id: number | null, name: string | null, soleInReview: boolean): D1PreparedStatement =>
  db
    .prepare(
      `SELECT (SELECT MIN(id) FROM signatures WHERE ?4 = 1 AND tenant_id = ?1 AND status = 'pending' AND deleted = 0 AND (?2 IS NULL OR id != ?2)) AS pending,
              (SELECT id FROM signatures WHERE tenant_id = ?1 AND name = ?3 AND deleted = 0 AND (?2 IS NULL OR id != ?2)) AS named`,
    )
    .bind(tenantId, id, name, Number(soleInReview));

const blockOf = (r: D1Result<{ pending: number | null; named: number | null }>): SignatureBlock | null => {
  const w = r.results[0]!;
  return w.pending !== null ? { outcome: "in_review", pendingId: w.pending } : w.named !== null ? { outcome: "name_taken" } : null;
};

/** Inserts `s` unless another signature of the tenant is pending (JPush reviews one at a time) or the name is taken. */
export async function insertSoleSignature(t: TenantDb, s: NewSignature): Promise<{ outcome: "inserted"; id: number } | SignatureBlock> {
  const [ins, why] = await t.db.batch<{ id: number; pending: number | null; named: number | null }>([
    insertStatement(t, s, true),
    blockStatement(t, null, s.name, true),
  ]);
  const id = ins!.results[0]?.id;
  if (id !== undefined) return { outcome: "inserted", id };
  return blockOf(why!) ?? { outcome: "name_taken" };
}

export async function getSignatureImage({ db, tenantId }: TenantDb, id: number): Promise<{ image: ArrayBuffer; type: string } | null> {
  const r = await db
    .prepare("SELECT image, image_type FROM signatures WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0 AND image IS NOT NULL")
    .bind(tenantId, id)
    .first<{ image: number[] | ArrayBuffer; image_type: string }>();
  if (!r) return null;
  const image = r.image instanceof ArrayBuffer ? r.image : new Uint8Array(r.image).buffer;
  return { image, type: r.image_type };
}

/** A review verdict on a signature or template, with `also` (the pushes telling of it) in the same batch. */
export async function reviewItem(
  { db, tenantId }: TenantDb,
  subject: "signature" | "template",
  id: number,
  status: ReviewStatus,
  note: string | null,
  now: number,
  also: D1PreparedStatement[] = [],
): Promise<boolean> {
  // The table name is one of two constants, never caller input.
  const table = subject === "signature" ? "signatures" : "templates";
  const [r] = await db.batch([
    db
      .prepare(`UPDATE ${table} SET status = ?3, review_note = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0`)
      .bind(tenantId, id, status, note, now),
    ...also,
  ]);
  return r!.meta.changes > 0;
}

export interface SignaturePatch {
  name?: string;
  type?: number;
  remark?: string | null;
  image?: Uint8Array | null;
  imageType?: string | null;
}

/**
 * Any change sends a signature back to review. With `soleInReview` nothing changes while another
 * signature of the tenant is pending, and a name taken changes nothing either (OR IGNORE): both are
 * the statement's own conditions, the batch's SELECT says which one held.
 */
export async function updateSignature(
  t: TenantDb,
  id: number,
  p: SignaturePatch,
  now: number,
  soleInReview = false,
): Promise<{ outcome: "updated" } | { outcome: "not_found" } | SignatureBlock> {
  const { db, tenantId } = t;
  const [upd, why, live] = await db.batch<{ pending: number | null; named: number | null; n: number }>([
    db
      .prepare(
        `UPDATE OR IGNORE signatures SET name = COALESCE(?3, name), type = COALESCE(?4, type),
           remark = CASE WHEN ?5 THEN ?6 ELSE remark END,
           image = CASE WHEN ?7 THEN ?8 ELSE image END, image_type = CASE WHEN ?7 THEN ?9 ELSE image_type END,
           status = 'pending', review_note = NULL, updated_at = ?10
         WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0
           AND (?11 = 0 OR NOT EXISTS (SELECT 1 FROM signatures WHERE tenant_id = ?1 AND status = 'pending' AND deleted = 0 AND id != ?2))`,
      )
      .bind(
        tenantId, id, p.name ?? null, p.type ?? null,
        Number(p.remark !== undefined), p.remark ?? null,
        Number(p.image !== undefined), p.image ?? null, p.imageType ?? null,
        now, Number(soleInReview),
      ),
    blockStatement(t, id, p.name ?? null, soleInReview),
    db.prepare("SELECT COUNT(*) AS n FROM signatures WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0").bind(tenantId, id),
  ]);
  if (upd!.meta.changes > 0) return { outcome: "updated" };
  if (live!.results[0]!.n === 0) return { outcome: "not_found" };
  return blockOf(why!) ?? { outcome: "not_found" };
}

/**
 * Deletes a signature that no live template uses and no app has as its default: both rules are the
 * statement's own condition, so a template bound or a default set meanwhile cannot slip between a
 * check and the delete. When nothing was deleted, the same batch (one transaction) says why.
 */
export async function deleteSignature(
  { db, tenantId }: TenantDb,
  id: number,
  now: number,
): Promise<{ outcome: "deleted" } | { outcome: "not_found" } | { outcome: "in_use"; templates: number; apps: number }> {
  const [del, why] = await db.batch<{ live: number; templates: number; apps: number }>([
    db
      .prepare(
        `UPDATE signatures SET deleted = 1, updated_at = ?3
         WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0
           AND NOT EXISTS (SELECT 1 FROM templates WHERE tenant_id = ?1 AND signature_id = ?2 AND deleted = 0)
           AND NOT EXISTS (SELECT 1 FROM apps WHERE tenant_id = ?1 AND default_signature_id = ?2)`,
      )
      .bind(tenantId, id, now),
    db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM signatures WHERE tenant_id = ?1 AND id = ?2 AND deleted = 0) AS live,
                (SELECT COUNT(*) FROM templates WHERE tenant_id = ?1 AND signature_id = ?2 AND deleted = 0) AS templates,
                (SELECT COUNT(*) FROM apps WHERE tenant_id = ?1 AND default_signature_id = ?2) AS apps`,
      )
      .bind(tenantId, id),
  ]);
  if (del!.meta.changes > 0) return { outcome: "deleted" };
  const w = why!.results[0]!;
  return w.live > 0 ? { outcome: "in_use", templates: w.templates, apps: w.apps } : { outcome: "not_found" };
}

/** How many live templates and apps (as their default) of the tenant use a signature. */
export async function getSignatureUsage({ db, tenantId }: TenantDb, id: number): Promise<{ templates: number; apps: number }> {
  const r = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM templates WHERE tenant_id = ?1 AND signature_id = ?2 AND deleted = 0) AS templates,
              (SELECT COUNT(*) FROM apps WHERE tenant_id = ?1 AND default_signature_id = ?2) AS apps`,
    )
    .bind(tenantId, id)
    .first<{ templates: number; apps: number }>();
  return r!;
}

/**
 * The signatures named `names` or with a uid in `uids` and, when `withDefault`, the app's default one,
 * for the tenant and app of an authentication scope (store/apps AuthScope): one statement that
 * shares authentication's round trip. `read` gives the rows found.
 */
export function signaturesIn(
  db: D1Database,
  s: AuthScope,
  refs: { names?: string[]; uids?: string[]; withDefault?: boolean },
): { statements: D1PreparedStatement[]; read: (results: D1Result[]) => Signature[] } {
  return {
    statements: [
      db
        .prepare(
          `SELECT ${SIG_COLS} FROM signatures WHERE tenant_id = ${s.tenant} AND deleted = 0
             AND (name IN (SELECT value FROM json_each(${s.at(1)})) OR uid IN (SELECT value FROM json_each(${s.at(2)}))
               OR (${s.at(3)} = 1 AND id = (SELECT default_signature_id FROM apps WHERE id = ${s.app})))`,
        )
        .bind(...s.binds, JSON.stringify(refs.names ?? []), JSON.stringify(refs.uids ?? []), refs.withDefault ? 1 : 0),
    ],
    read: (results) => ((results[0]?.results ?? []) as SignatureRow[]).map(toSignature),
  };
}
