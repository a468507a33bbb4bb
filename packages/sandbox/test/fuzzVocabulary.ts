import * as protocol from "@kontist-auth/protocol";
import * as sandboxProtocol from "@kontist-auth/protocol/sandbox";
import fc from "fast-check";

// What the sandbox fuzzer builds requests from: the protocol's own words and shapes, strange values,
// header values and content types.

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  element?: { _zod: { def: ZodDef } };
  options?: { _zod: { def: ZodDef } }[];
  valueType?: { _zod: { def: ZodDef } };
  entries?: Record<string, string | number>;
  values?: unknown[];
}

/**
 * Every field name, literal and enum value of the protocol's schemas, and the key sets of its object
 * schemas: the words and shapes the endpoints know.
 */
function protocolVocabulary(): {
  keys: string[];
  literals: string[];
  shapes: string[][];
  requestShapes: string[][];
} {
  const keys = new Set<string>([
    "username",
    "password",
    "decision",
    "pending_login",
    "deviceName",
    "deviceId",
  ]);
  const literals = new Set<string>(["allow", "deny", "true", "false"]);
  const shapes: string[][] = [["username", "password", "decision", ...protocol.authorizeParameterNames]];
  const walk = (def: ZodDef) => {
    if (def.shape !== undefined) shapes.push(Object.keys(def.shape));
    for (const [key, value] of Object.entries(def.shape ?? {})) {
      keys.add(key);
      walk(value._zod.def);
    }
    for (const child of [def.innerType, def.element, def.valueType, ...(def.options ?? [])]) {
      if (child !== undefined) walk(child._zod.def);
    }
    for (const value of [...Object.values(def.entries ?? {}), ...(def.values ?? [])])
      literals.add(String(value));
  };
  const requestShapes: string[][] = [shapes[0] ?? []];
  for (const [name, value] of Object.entries({ ...protocol, ...sandboxProtocol })) {
    if (typeof value !== "object" || value === null || !("_zod" in value)) continue;
    const before = shapes.length;
    walk((value as { _zod: { def: ZodDef } })._zod.def);
    // The bodies the endpoints read (`…RequestSchema`, `…QuerySchema`) are aimed at more often.
    if (/(Request|Query)Schema$/.test(name)) requestShapes.push(...shapes.slice(before));
  }
  return { keys: [...keys], literals: [...literals], shapes, requestShapes };
}

/** The words and shapes of `@kontist-auth/protocol` and `@kontist-auth/protocol/sandbox`. */
export const vocabulary = protocolVocabulary();
/** Path segments and values that trip up parsers. */
export const weird = [
  "",
  " ",
  "%",
  "%zz",
  "%00",
  "%2F",
  "..",
  "%2e%2e",
  ".",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "\u00e9",
  "a".repeat(300),
];
/** A body over the 64 KiB limit; one shared string, so generating it costs nothing. */
export const oversized = `{"name":"${"x".repeat(70_000)}"}`;

/** JSON nested up to 20,000 levels (40 KB, under the body limit), alone or inside a body's field. */
export const deeplyNested = fc
  .tuple(
    fc.integer({ min: 1, max: 20_000 }),
    fc.constantFrom("[", '{"a":'),
    fc.constantFrom("", "query", "variables"),
  )
  .map(([depth, open, field]) => {
    const close = open === "[" ? "]" : "}";
    const value = `${open.repeat(depth)}${open === "[" ? "" : "1"}${close.repeat(depth)}`;
    return field === "" ? value : `{"query":"{ viewer { id } }","${field}":${value}}`;
  });

/** A header value a `Request` can carry: Latin-1, without NUL, CR or LF. */
export const headerValue = fc
  .string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
    maxLength: 60,
  })
  .map((value) => value.replace(/\x7f/g, ""));

const contentTypes = {
  json: [
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/vnd.kontist+json",
    "application/json;",
  ],
  form: [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "Application/X-WWW-Form-Urlencoded",
  ],
  other: [
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/graphql",
    "text/html",
    "",
    ";",
    "application/octet-stream",
  ],
};

/** Any content type: the usual ones, near misses, arbitrary text, none. */
export function contentType(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constantFrom(...contentTypes.json, ...contentTypes.form, ...contentTypes.other),
    headerValue,
    fc.constant(undefined),
  );
}

/** Mostly a content type of `kind` (in its spellings), sometimes any. */
export function contentTypeFor(kind: "json" | "form"): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...contentTypes[kind]), weight: 6 },
    { arbitrary: contentType(), weight: 1 },
  );
}
