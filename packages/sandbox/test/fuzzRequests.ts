import { deviceGraphQL } from "@kontist-auth/protocol";
import fc from "fast-check";
import { demo, type FuzzFixture } from "./fuzzFixture";
import {
  contentType,
  contentTypeFor,
  deeplyNested,
  headerValue,
  oversized,
  vocabulary,
  weird,
} from "./fuzzVocabulary";

/** One fuzzed request: what `new Request()` is built from. */
export interface FuzzRequest {
  method: string;
  /** Path and query, e.g. `/api/user/devices/%zz/verify?x=1`. */
  path: string;
  headers: [string, string][];
  body: string | Uint8Array<ArrayBuffer> | undefined;
  /** It carries `Authorization: Bearer` with a token the sandbox never issued: it must not authenticate. */
  forgedBearer: boolean;
}

/** A route as Hono registered it: `:name` for a path parameter. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/** Builds the request arbitrary of one route, aimed at `fixture`'s ids, tokens, keys and signatures. */
export function fuzzRequestsFor(route: RegisteredRoute, fixture: FuzzFixture): fc.Arbitrary<FuzzRequest> {
  const values = fixtureValues(fixture);
  const method = methodsFor(route);
  const path = pathsFor(route, values);
  const bodyAndType = bodiesFor(values);
  const { authorization, otherHeaders } = headersFor(fixture);
  return fc
    .record({ method, path, bodyAndType, authorization, otherHeaders })
    .map(({ method, path, bodyAndType: [body, type], authorization, otherHeaders }) => {
      const headers: [string, string][] = [...otherHeaders];
      if (type !== undefined) headers.push(["content-type", type]);
      if (authorization !== undefined) headers.push(["authorization", authorization]);
      const [scheme, token] = authorization?.trim().split(/\s+/) ?? [];
      const forgedBearer =
        scheme?.toLowerCase() === "bearer" &&
        token !== fixture.accessToken &&
        token !== fixture.confirmedToken;
      return {
        method,
        path,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : body,
        forgedBearer,
      };
    });
}

type FixtureValues = ReturnType<typeof fixtureValues>;

/** Texts, values, keys and shaped objects, aimed at the fixture's ids, tokens, keys and signatures. */
function fixtureValues(fixture: FuzzFixture) {
  const ids = [
    fixture.deviceId,
    fixture.unverifiedDeviceId,
    fixture.otpChallengeId,
    fixture.deviceChallengeId,
    fixture.mfaChallengeId,
    ...fixture.bindingRequestIds,
  ];
  const text = fc.oneof(
    { arbitrary: fc.constantFrom(...ids, ...vocabulary.literals), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        fixture.accessToken,
        fixture.refreshToken,
        fixture.signature,
        fixture.freshKeyHex,
        demo.email,
        demo.password,
        demo.clientId,
        demo.clientSecret,
        demo.publicClientId,
        demo.redirectUri,
        "http://localhost:4000/cb",
        "kontist-demo://callback",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      ),
      weight: 3,
    },
    { arbitrary: fc.string(), weight: 2 },
    { arbitrary: fc.constantFrom(...weird), weight: 1 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.stringMatching(/^30[0-9a-f]{10,140}$/), weight: 1 },
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: text, weight: 6 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...vocabulary.keys), weight: 5 },
    { arbitrary: fc.string(), weight: 1 },
  );
  // The values a field of that name most likely wants, from the fixture.
  const hints: Record<string, string[]> = {
    key: [fixture.freshKeyHex],
    signature: [fixture.signature],
    challengeId: [fixture.otpChallengeId, fixture.deviceChallengeId],
    deviceId: [fixture.deviceId, fixture.unverifiedDeviceId],
    id: [...fixture.bindingRequestIds, fixture.mfaChallengeId],
    username: [demo.email],
    email: [demo.email],
    password: [demo.password],
    client_id: [demo.clientId, demo.publicClientId],
    client_secret: [demo.clientSecret],
    redirect_uri: [demo.redirectUri],
    refresh_token: [fixture.refreshToken],
    code: [fixture.authorizationCode],
    route: ["POST /api/oauth/token", "GET /api/user/mfa/challenges", "POST /api/graphql"],
  };
  const valueFor = (name: string): fc.Arbitrary<unknown> => {
    const hinted = hints[name];
    return hinted === undefined
      ? value
      : fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 3 }, { arbitrary: value, weight: 1 });
  };
  /** An object in the shape of one of the protocol's schemas, each field likely filled sensibly. */
  const shape = fc.oneof(
    { arbitrary: fc.constantFrom(...vocabulary.requestShapes), weight: 3 },
    { arbitrary: fc.constantFrom(...vocabulary.shapes), weight: 1 },
  );
  const shaped = shape.chain((names) =>
    fc.record(Object.fromEntries(names.map((name) => [name, valueFor(name)])), {
      requiredKeys: names.filter((_, i) => i % 3 !== 2),
    }),
  );
  const object = fc.oneof(
    { arbitrary: shaped, weight: 2 },
    { arbitrary: fc.dictionary(key, value, { maxKeys: 6 }), weight: 1 },
  );
  return { ids, text, value, key, shaped, object };
}

/** Bodies (JSON, GraphQL, forms, text, bytes, none, oversized, deeply nested) with a content type. */
function bodiesFor({ key, text, shaped, object }: FixtureValues) {
  const graphQLBody = fc.record(
    {
      query: fc.oneof(
        fc.constantFrom(
          ...Object.values(deviceGraphQL),
          "{ viewer { id email mainAccount { iban balance } } }",
          "subscription { newTransaction { id } }",
          "{ __schema { types { name } } }",
        ),
        fc.string(),
        fc
          .constantFrom(...Object.values(deviceGraphQL))
          .chain((document) => fc.nat({ max: document.length }).map((cut) => document.slice(0, cut))),
      ),
      variables: fc.oneof(object, fc.jsonValue({ maxDepth: 2 })),
      operationName: fc.oneof(fc.string(), fc.constantFrom(...Object.keys(deviceGraphQL)), fc.constant(null)),
    },
    { requiredKeys: ["query"] },
  );
  const formBody = fc
    .oneof(
      fc.array(fc.tuple(key, text), { maxLength: 10 }),
      shaped.map((fields) =>
        Object.entries(fields).map(([name, v]): [string, string] => [
          name,
          typeof v === "string" ? v : (JSON.stringify(v) ?? ""),
        ]),
      ),
    )
    .map((entries) => new URLSearchParams(entries).toString());

  const bodyAndType: fc.Arbitrary<[string | Uint8Array<ArrayBuffer> | undefined, string | undefined]> =
    fc.oneof(
      {
        arbitrary: fc.tuple(
          fc.oneof(object, graphQLBody, fc.jsonValue()).map((v) => JSON.stringify(v) ?? ""),
          contentTypeFor("json"),
        ),
        weight: 5,
      },
      { arbitrary: fc.tuple(formBody, contentTypeFor("form")), weight: 4 },
      { arbitrary: fc.tuple(fc.oneof(fc.string(), fc.string({ unit: "binary" })), contentType()), weight: 2 },
      {
        arbitrary: fc.tuple(
          fc.uint8Array({ maxLength: 256 }).map((bytes) => new Uint8Array(bytes)),
          contentType(),
        ),
        weight: 1,
      },
      { arbitrary: fc.tuple(fc.constant(undefined), contentType()), weight: 2 },
      { arbitrary: fc.tuple(fc.constant(oversized), contentTypeFor("json")), weight: 1 },
      { arbitrary: fc.tuple(deeplyNested, contentTypeFor("json")), weight: 1 },
    );
  return bodyAndType;
}

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `token` with the low bits of its last base64url character flipped by `bits`. */
function withLastCharacterBits(token: string, bits: number): string {
  const last = base64url.indexOf(token.at(-1) ?? "A");
  return `${token.slice(0, -1)}${base64url[(last ^ bits) & 63]}`;
}

/** `Authorization` (real tokens, mangled ones, Basic, garbage, none) and other headers. */
function headersFor(fixture: FuzzFixture) {
  const bearer = (token: string) => `Bearer ${token}`;
  const authorization = fc.oneof(
    { arbitrary: fc.constant(bearer(fixture.accessToken)), weight: 8 },
    { arbitrary: fc.constant(bearer(fixture.confirmedToken)), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(
          `Basic ${btoa(`${demo.clientId}:${demo.clientSecret}`)}`,
          "Basic",
          "Basic !!!",
          `Basic ${btoa("%zz:%E0%A4%A")}`,
          `Basic ${btoa(`${demo.clientId}:${demo.clientSecret}`)}==`,
          `bearer  ${fixture.accessToken} `,
          bearer(fixture.refreshToken),
          "Bearer",
          `Bearer ${fixture.accessToken}x`,
        ),
        fc.nat({ max: fixture.accessToken.length - 1 }).map((at) => bearer(fixture.accessToken.slice(0, at))),
        fc
          .tuple(fc.nat({ max: fixture.accessToken.length - 1 }), fc.constantFrom("A", "-", "_", "."))
          .map(([at, c]) => bearer(fixture.accessToken.slice(0, at) + c + fixture.accessToken.slice(at + 1))),
        headerValue.map((v) => `Basic ${btoa(v.replace(/[^\x20-\x7e]/g, ""))}`),
        headerValue,
        // Another spelling of a real token's signature: the last character's unused low bits changed.
        fc
          .tuple(
            fc.constantFrom(fixture.accessToken, fixture.confirmedToken),
            fc.integer({ min: 1, max: 15 }),
          )
          .map(([token, bits]) => bearer(withLastCharacterBits(token, bits))),
      ),
      weight: 3,
    },
  );
  const otherHeaders = fc.array(
    fc.oneof(
      fc.tuple(
        fc.constantFrom("accept"),
        fc.constantFrom("text/html", "application/json", "*/*", "text/html;q=0"),
      ),
      fc.tuple(
        fc.constant("origin"),
        fc.constantFrom("http://localhost:5173", "https://evil.example", "null", "http://127.0.0.1"),
      ),
      fc.tuple(
        fc.constant("sec-fetch-site"),
        fc.constantFrom("same-origin", "cross-site", "none", "same-site", ""),
      ),
      fc.tuple(fc.constant("cookie"), fc.oneof(fc.constant(fixture.sessionCookie), headerValue)),
      fc.tuple(
        fc.constantFrom(
          "access-control-request-method",
          "content-encoding",
          "transfer-encoding",
          "x-forwarded-for",
          "range",
        ),
        headerValue,
      ),
      fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), headerValue),
    ),
    { maxLength: 4 },
  );
  return { authorization, otherHeaders };
}

/** Mostly the route's own method; sometimes another, or an unknown one. */
function methodsFor(route: RegisteredRoute) {
  const otherMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
  const method = fc.oneof(
    { arbitrary: fc.constant(route.method), weight: 12 },
    { arbitrary: fc.constantFrom(...otherMethods), weight: 2 },
    {
      arbitrary: fc.stringMatching(/^[A-Z]{1,10}$/).filter((m) => !["CONNECT", "TRACE", "TRACK"].includes(m)),
      weight: 1,
    },
  );
  return method;
}

/** The route's path with fuzzed parameters (often real ids), a trailing oddity, a query. */
function pathsFor(route: RegisteredRoute, { ids, key, text }: FixtureValues) {
  const segment = fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 6 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.string().map(encodeURIComponent), weight: 2 },
    { arbitrary: fc.constantFrom(...weird), weight: 2 },
  );
  const parameters = route.path.match(/:[A-Za-z0-9]+/g) ?? [];
  const path = fc
    .tuple(
      fc.array(segment, { minLength: parameters.length, maxLength: parameters.length }),
      fc.oneof(
        { arbitrary: fc.constant(""), weight: 8 },
        { arbitrary: fc.constantFrom("/", "//", "/x", "/.."), weight: 1 },
      ),
      fc.oneof(
        { arbitrary: fc.constant(""), weight: 4 },
        {
          arbitrary: fc.array(fc.tuple(key, text), { maxLength: 4 }).map((q) => `?${new URLSearchParams(q)}`),
          weight: 1,
        },
        { arbitrary: fc.string().map((q) => `?${q}`), weight: 1 },
      ),
    )
    .map(([values, suffix, query]) => {
      let i = 0;
      return `${route.path.replace(/:[A-Za-z0-9]+/g, () => values[i++] ?? "")}${suffix}${query}`.replace(
        /#/g,
        "%23",
      );
    });

  return path;
}
