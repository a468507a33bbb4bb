import * as z from "zod/mini";
import { isoDateTimeSchema } from "../fields";

/** One SMS the sandbox "sent", as `GET /sandbox/sms` lists it (oldest first). */
export const sandboxSmsSchema = z.object({
  to: z.string(),
  text: z.string(),
  otp: z.string(),
  sentAt: isoDateTimeSchema,
});
export type SandboxSms = z.infer<typeof sandboxSmsSchema>;

/** Answer of `GET /sandbox/sms`. */
export const sandboxSmsListSchema = z.array(sandboxSmsSchema);

/** Answer of `GET /sandbox/stats`: requests per `METHOD /path/pattern` and token grants per grant type. */
export const sandboxStatsSchema = z.object({
  requests: z.record(z.string(), z.number()),
  grants: z.record(z.string(), z.number()),
});
export type SandboxStats = z.infer<typeof sandboxStatsSchema>;
