import * as z from "zod/mini";

/** A non-empty string. */
export const nonEmptyString = z.string().check(z.minLength(1));

/**
 * The `key` of createDevice: a P-256 public key as the hex of the uncompressed point `04‖X‖Y`, without
 * any ASN.1 (SubjectPublicKeyInfo) header, 130 hex characters in either case. Curve membership is
 * checked by `@kontist-auth/crypto`, not here.
 */
export const deviceKeyHexSchema = z.string().check(z.regex(/^04[0-9a-fA-F]{128}$/));

/**
 * A `signature`: the hex of an ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }`, either case. The shape
 * (a SEQUENCE of 8 to 72 bytes) is checked here; strict DER rules are checked by `@kontist-auth/crypto`.
 */
export const derSignatureHexSchema = z.string().check(z.regex(/^30(?:[0-9a-fA-F]{2}){7,71}$/));

/** An ISO 8601 timestamp, as the API writes `createdAt` and `expiresAt`. */
export const isoDateTimeSchema = z
  .string()
  .check(
    z.refine((value) => !Number.isNaN(Date.parse(value)), { message: "expected an ISO 8601 date-time" }),
  );
