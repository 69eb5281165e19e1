// The review verdict body shared by signatures and templates.
import { z } from "zod";

export const ReviewBody = z.strictObject({
  status: z.enum(["approved", "rejected"]),
  note: z.string().trim().max(500).optional().describe("shown to the customer, e.g. why it was rejected"),
});

/** Operators may skip review at creation; "rejected" at creation makes no sense. */
export const InitialStatus = z.enum(["pending", "approved"]).optional().describe("default pending");
