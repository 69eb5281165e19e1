// The operator's review queue: signatures and templates waiting for a decision, across tenants.

export interface ReviewItem {
  type: "signature" | "template";
  tenant_id: string;
  id: number;
  name: string | null;
  kind: string | null;
  content: string | null;
  signature_id: number | null;
  created_at: number;
}

/**
 * Signatures and templates waiting for review across every tenant, oldest first (what has waited
 * longest is decided first); at most `limit` of each. The operator's queue, not a tenant's view.
 */
export async function readReviewQueue(db: D1Database, limit: number): Promise<ReviewItem[]> {
  const [sigs, tpls] = await db.batch([
    db
      .prepare(
        `SELECT 'signature' AS type, tenant_id, id, name, NULL AS kind, NULL AS content, NULL AS signature_id, created_at
         FROM signatures WHERE status = 'pending' AND deleted = 0 ORDER BY created_at, id LIMIT ?1`,
      )
      .bind(limit),
    db
      .prepare(
        `SELECT 'template' AS type, tenant_id, id, NULL AS name, kind, content, signature_id, created_at
         FROM templates WHERE status = 'pending' AND deleted = 0 ORDER BY created_at, id LIMIT ?1`,
      )
      .bind(limit),
  ]);
  return [...(sigs!.results as ReviewItem[]), ...(tpls!.results as ReviewItem[])].sort((a, b) => a.created_at - b.created_at);
}
