-- messages_batch (batch_id) duplicated messages_tenant_batch (tenant_id, batch_id): every statement
-- that finds a batch's messages names its tenant (src/store/db.ts tenantDb), so the narrower index
-- only cost a B-tree insert per accepted message and a page per batch in every write.
DROP INDEX messages_batch;
