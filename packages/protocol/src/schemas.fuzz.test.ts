import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResponseValidationError } from "./errors/ResponseValidationError";
import * as protocol from "./index";
import { parseResponse } from "./parse";
import * as sandbox from "./sandbox/index";

// Property-based fuzzing of every exported zod schema (`.` and `./sandbox`, found by walking the exports,
// so a new schema is fuzzed without being listed here): arbitrary JSON and near-misses built from the
// schema's own keys, literals and patterns. `parseResponse` must answer the parsed data or a
// ResponseValidationError, nothing else, and parsed data must validate again to itself.
// FUZZ_RUNS / FUZZ_SEED override the CI size and the seed (fixed, so CI runs the same cases each time).

const runs = Number(process.env.FUZZ_RUNS ?? 1_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);

type Schema = Parameters<typeof parseResponse>[0];
interface Def {
  type: string;
  format?: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  keyType?: Schema;
  valueType?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: CheckDef } }[];
}
interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number | bigint;
}
const defOf = (schema: Schema) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && "_zod" in value && "safeParse" in value;

const schemas = (Object.entries({ ...protocol, ...sandbox }) as [string, unknown][]).filter(
  (entry): entry is [string, Schema] => isSchema(entry[1]),
);

/** Values that sit on the edges of what the schemas check. */
const edgeStrings = fc.constantFrom(
  "",
  " ",
  "x",
  "Bearer",
  "2025-01-01T00:00:00.000Z",
  "2025-13-45T99:99:99Z",
  "not a date",
  "__proto__",
  "constructor",
  "\u0000",
  "04",
  "30",
  "é".repeat(300),
);
const edgeNumbers = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_VALUE,
  1e-300,
);

/** Strings a check of this string schema accepts, just misses, or ignores. */
function stringFor(def: Def): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.string(), edgeStrings];
  for (const { _zod } of def.checks ?? []) {
    const check = _zod.def;
    if (check.pattern !== undefined) options.push(fc.stringMatching(check.pattern));
    if (check.check === "min_length" || check.check === "max_length") {
      const length = (check.check === "min_length" ? check.minimum : check.maximum) ?? 0;
      options.push(fc.constantFrom(length - 1, length, length + 1).map((n) => "a".repeat(Math.max(0, n))));
    }
    if (check.check === "custom") options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  }
  return fc.oneof(...options);
}

function numberFor(def: Def): fc.Arbitrary<number> {
  const bounds = (def.checks ?? []).map(({ _zod }) => Number(_zod.def.value));
  const options: fc.Arbitrary<number>[] = [fc.integer(), fc.double({ noNaN: true }), edgeNumbers];
  for (const bound of bounds.filter(Number.isFinite))
    options.push(fc.constantFrom(bound - 1, bound, bound + 1));
  return fc.oneof(...options);
}

/**
 * A near-miss of `schema`: the shape it wants (its keys, literals, enum values, patterns, lengths,
 * bounds), each part sometimes left out, replaced by arbitrary JSON, or joined by an unknown key.
 */
function nearMiss(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const any = fc.jsonValue({ maxDepth: 2 });
  const shaped = shapedLike(def, depth);
  return fc.oneof({ arbitrary: shaped, weight: 6 }, { arbitrary: any, weight: 1 });
}

function shapedLike(def: Def, depth: number): fc.Arbitrary<unknown> {
  const inner = (schema: Schema) => (depth > 4 ? fc.jsonValue({ maxDepth: 1 }) : nearMiss(schema, depth + 1));
  switch (def.type) {
    case "object": {
      const shape = def.shape ?? {};
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, value]) => [
          key,
          fc.option(inner(value), { nil: undefined, freq: 6 }),
        ]),
      );
      return fc
        .tuple(
          fc.record(fields),
          fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })),
        )
        .map(([known, extra]) => {
          const object: Record<string, unknown> = { ...(extra ?? {}) };
          for (const [key, value] of Object.entries(known)) if (value !== undefined) object[key] = value;
          return object;
        });
    }
    case "optional":
      return fc.oneof(inner(def.innerType as Schema), fc.constant(undefined));
    case "nullable":
      return fc.oneof(inner(def.innerType as Schema), fc.constant(null));
    case "array":
      return fc.array(inner(def.element as Schema), { maxLength: 4 });
    case "union":
      return fc.oneof(...(def.options ?? []).map(inner));
    case "record":
      return fc.dictionary(fc.oneof(fc.string(), edgeStrings), inner(def.valueType as Schema), {
        maxKeys: 4,
      });
    case "enum":
      return fc.oneof(fc.constantFrom(...Object.values(def.entries ?? {})), edgeStrings);
    case "literal":
      return fc.oneof(fc.constantFrom(...((def.values ?? []) as (string | number)[])), edgeStrings);
    case "string":
      return stringFor(def);
    case "number":
      return numberFor(def);
    case "boolean":
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Outcome of one parse: the data, or the typed error; anything else fails the property. */
function parseOrTypedError(schema: Schema, data: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseResponse(schema, data, "fuzzed body") };
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseValidationError);
    const typed = error as ResponseValidationError;
    expect(typed.code).toBe("INVALID_RESPONSE");
    expect(typed.message).toMatch(/^Invalid fuzzed body: /);
    expect(typeof typed.field).toBe("string");
    return { ok: false };
  }
}

/** Parsed data validates again, to an equal value, also after a JSON round trip. */
function expectRevalidates(schema: Schema, value: unknown) {
  const again = schema.safeParse(value);
  expect(again.success).toBe(true);
  expect(again.data).toStrictEqual(value);
  const serialised = JSON.stringify(value);
  if (serialised !== undefined) expect(schema.safeParse(JSON.parse(serialised)).success).toBe(true);
}

/** Every string leaf (never a key) prefixed with a marker that must not reach a message. */
function taint(value: unknown): unknown {
  if (typeof value === "string") return `SECRET-${value}`;
  if (Array.isArray(value)) return value.map(taint);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, taint(inner)]));
  }
  return value;
}

describe("every exported protocol schema under arbitrary input", () => {
  it("finds the schemas by walking the exports", () => {
    const names = schemas.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        "tokenResponseSchema",
        "authorizationWebMessageSchema",
        "sandboxFaultRequestSchema",
      ]),
    );
    expect(names.length).toBeGreaterThanOrEqual(46);
  });

  describe.each(schemas)("%s", (_name, schema) => {
    it("answers arbitrary JSON with the parsed data or a ResponseValidationError", () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (data) => {
          const outcome = parseOrTypedError(schema, data);
          if (outcome.ok) expectRevalidates(schema, outcome.value);
        }),
        { numRuns: runs, seed },
      );
    });

    it("answers near-misses built from its keys the same way, and accepts some of them", () => {
      let accepted = 0;
      fc.assert(
        fc.property(nearMiss(schema), (data) => {
          const outcome = parseOrTypedError(schema, data);
          if (!outcome.ok) return;
          accepted++;
          expectRevalidates(schema, outcome.value);
        }),
        { numRuns: runs, seed },
      );
      // The generator reaches the schema's valid shapes, so the property is not only about rejections.
      expect(accepted).toBeGreaterThan(0);
    });

    it("never quotes a value of the body in its error message", () => {
      fc.assert(
        fc.property(nearMiss(schema).map(taint), (data) => {
          try {
            parseResponse(schema, data, "fuzzed body");
          } catch (error) {
            expect(error).toBeInstanceOf(ResponseValidationError);
            expect((error as Error).message).not.toContain("SECRET-");
          }
        }),
        { numRuns: Math.ceil(runs / 4), seed },
      );
    });
  });
});
