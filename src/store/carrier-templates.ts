// The carrier_templates table: per carrier and tenant, an edgesms template → the provider's
// template code, sign name and (for positional variables) parameter order.
import type { TenantDb } from "./db";

export interface CarrierTemplateRow {
  carrier: string;
  tenant_id: string;
  template_id: number;
  code: string;
  sign_name: string;
  /** JSON array of parameter names, or null. */
  params: string | null;
  updated_at: number;
}

export interface ProviderTemplate {
  code: string;
  signName: string;
  params?: string[];
}

export interface MappingInput {
  template_id: number;
  code: string;
  sign_name: string;
  params: string[] | null;
}

const keyOf = (carrier: string, tenantId: string, templateId: number): string => `${carrier}\n${tenantId}\n${templateId}`;

const toProviderTemplate = (r: CarrierTemplateRow): ProviderTemplate => ({
  code: r.code,
  signName: r.sign_name,
  ...(r.params === null ? {} : { params: JSON.parse(r.params) as string[] }),
});

/** Every carrier's mapping of the templates of the given messages: one statement for dispatch's claim batch. */
export function mappingsForMessagesStatement(db: D1Database, idsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT ct.* FROM carrier_templates ct
       WHERE (ct.tenant_id, ct.template_id) IN (
         SELECT m.tenant_id, m.template_id FROM messages m
         WHERE m.id IN (SELECT value FROM json_each(?1)) AND m.template_id IS NOT NULL)`,
    )
    .bind(idsJson);
}

/** Rows of mappingsForMessagesStatement (or templateMappings) indexed for lookups by carrier and message. */
export class TemplateMappings {
  readonly #byKey = new Map<string, ProviderTemplate>();
  constructor(rows: CarrierTemplateRow[]) {
    for (const r of rows) this.#byKey.set(keyOf(r.carrier, r.tenant_id, r.template_id), toProviderTemplate(r));
  }
  /** The provider template of a message on a carrier, or null (no template, or no mapping). */
  of(carrier: string, m: { tenantId: string; templateId: number | null }): ProviderTemplate | null {
    return m.templateId === null ? null : (this.#byKey.get(keyOf(carrier, m.tenantId, m.templateId)) ?? null);
  }
}

/** The mappings of one carrier for the given (tenant, template) pairs, in one round trip. */
export async function templateMappings(db: D1Database, carrier: string, keys: Array<{ tenantId: string; templateId: number }>): Promise<TemplateMappings> {
  if (keys.length === 0) return new TemplateMappings([]);
  const { results } = await db
    .prepare(
      `SELECT ct.* FROM carrier_templates ct
       JOIN json_each(?2) k ON ct.tenant_id = json_extract(k.value, '$[0]') AND ct.template_id = json_extract(k.value, '$[1]')
       WHERE ct.carrier = ?1`,
    )
    .bind(carrier, JSON.stringify(keys.map((k) => [k.tenantId, k.templateId])))
    .all<CarrierTemplateRow>();
  return new TemplateMappings(results);
}

/** A carrier's mappings, optionally of one tenant, in (tenant, template) order after `after`. */
export async function listCarrierTemplates(
  db: D1Database,
  carrier: string,
  tenantId: string | null,
  limit: number,
  after: [string, number] | null,
): Promise<CarrierTemplateRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM carrier_templates
       WHERE carrier = ?1 AND (?2 IS NULL OR tenant_id = ?2)
         AND (?3 IS NULL OR tenant_id > ?3 OR (tenant_id = ?3 AND template_id > ?4))
       ORDER BY tenant_id, template_id LIMIT ?5`,
    )
    .bind(carrier, tenantId, after?.[0] ?? null, after?.[1] ?? 0, limit)
    .all<CarrierTemplateRow>();
  return results;
}

/** Which of `ids` are live templates of the tenant (with their content, to check parameter names). */
export async function tenantTemplates({ db, tenantId }: TenantDb, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare("SELECT id, content FROM templates WHERE tenant_id = ?1 AND deleted = 0 AND id IN (SELECT value FROM json_each(?2))")
    .bind(tenantId, JSON.stringify(ids))
    .all<{ id: number; content: string }>();
  return new Map(results.map((r) => [r.id, r.content]));
}

/** Replaces one tenant's mappings on a carrier, in one transaction (rows passed as one JSON array). */
export async function replaceCarrierTemplates(db: D1Database, carrier: string, tenantId: string, rows: MappingInput[], now: number): Promise<CarrierTemplateRow[]> {
  const json = JSON.stringify(rows.map((r) => [r.template_id, r.code, r.sign_name, r.params === null ? null : JSON.stringify(r.params)]));
  const [, , listed] = await db.batch([
    db.prepare("DELETE FROM carrier_templates WHERE carrier = ?1 AND tenant_id = ?2").bind(carrier, tenantId),
    db
      .prepare(
        `INSERT INTO carrier_templates (carrier, tenant_id, template_id, code, sign_name, params, updated_at)
         SELECT ?1, ?2, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), ?4
         FROM json_each(?3)`,
      )
      .bind(carrier, tenantId, json, now),
    db.prepare("SELECT * FROM carrier_templates WHERE carrier = ?1 AND tenant_id = ?2 ORDER BY template_id").bind(carrier, tenantId),
  ]);
  return listed!.results as unknown as CarrierTemplateRow[];
}
