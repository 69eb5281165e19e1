// GET /admin/v1/review-queue: signatures and templates waiting for review across every tenant,
// oldest first; verdicts go to each item's own /review endpoint.
import { z } from "zod";
import { json } from "../http/respond";
import { readReviewQueue } from "../store/review-queue";
import { adminRoute, parseQuery } from "./http";
import { directoryDb } from "../store/db";

const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100).describe("at most this many of each type") });

const Item = z.object({
  type: z.enum(["signature", "template"]),
  tenant_id: z.string(),
  id: z.number().int(),
  name: z.string().nullable().describe("signatures"),
  kind: z.string().nullable().describe("templates"),
  content: z.string().nullable().describe("templates"),
  signature_id: z.number().int().nullable(),
  created_at: z.number().int(),
});

export const reviewQueueRoute = adminRoute(
  { method: "get", path: "/admin/v1/review-queue", summary: "Pending signatures and templates, all tenants", query: Query, response: z.object({ items: z.array(Item) }) },
  async (req, env) => {
    const q = parseQuery(req, Query);
    return json({ items: await readReviewQueue(directoryDb(env), q.limit) });
  },
);
