-- Template mapping for template-based providers (Aliyun, Tencent Cloud): per carrier and tenant, an
-- edgesms template → the provider's approved template code and sign name. A message whose template
-- has no row for a templated carrier is not handed to that carrier (it fails over, or fails).
-- params: JSON array of the edgesms parameter names in the order of the provider's positional
-- variables (Tencent's {1}, {2}…), or NULL (named variables, as Aliyun's ${name}).
CREATE TABLE carrier_templates (
  carrier TEXT NOT NULL REFERENCES carriers(name) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  template_id INTEGER NOT NULL REFERENCES templates(id),
  code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  sign_name TEXT NOT NULL CHECK (length(sign_name) BETWEEN 1 AND 64),
  params TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (carrier, tenant_id, template_id)
) WITHOUT ROWID;
-- Dispatch reads every carrier's mapping of the claimed messages' templates at once.
CREATE INDEX carrier_templates_template ON carrier_templates (tenant_id, template_id);
