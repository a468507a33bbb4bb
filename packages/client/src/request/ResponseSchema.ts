/** One problem a schema found (Standard Schema v1). */
export interface ResponseSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The outcome of a schema's `validate` (Standard Schema v1). */
export type ResponseSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<ResponseSchemaIssue> };

/**
 * A schema that checks a response body: any [Standard Schema](https://standardschema.dev) v1 — every
 * schema of `@kontist-auth/protocol`, and zod, valibot or arktype schemas of your own.
 *
 * @example
 * import { mfaChallengesResponseSchema } from "@kontist-auth/protocol";
 * const challenges = await client.request({ method: "GET", path: "/api/user/mfa/challenges", schema: mfaChallengesResponseSchema });
 */
export interface ResponseSchema<Output> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => ResponseSchemaResult<Output> | Promise<ResponseSchemaResult<Output>>;
  };
}
