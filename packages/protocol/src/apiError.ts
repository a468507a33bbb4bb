import * as z from "zod/mini";

/** The error body of every endpoint but the token endpoint: `{ "message", "status" }`. */
export const apiErrorSchema = z.object({
  message: z.string(),
  status: z.optional(z.number()),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
