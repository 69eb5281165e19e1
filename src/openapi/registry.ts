// Route documentation: every router module exports RouteDoc[] built from the same zod schemas
// that validate its requests, and /openapi.json is generated from them (no hand-written spec).
import type { z } from "zod";

export interface RouteDoc {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path template, e.g. /v1/codes/{msg_id}/valid */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Request body schema (JSON unless contentTypes says otherwise). */
  body?: z.ZodType;
  contentTypes?: string[];
  query?: z.ZodType;
  /** 2xx response body schema. */
  response?: z.ZodType;
  status?: number;
  /** Documented error responses: status → description (the dialect's code table). */
  errors?: Record<string, string>;
  security?: string;
}
