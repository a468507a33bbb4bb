import { describe, expect, it } from "vitest";
import { checkSnippets } from "./checkSnippets";
import {
  extractAllSnippets,
  extractExampleSnippets,
  extractMarkdownSnippets,
  snippetLocation,
} from "./extractSnippets";

// What is documented compiles: every ```ts block of the READMEs and every @example of the packages'
// sources is type-checked against the packages' TypeScript sources, as CI runs it.
describe("the documentation's TypeScript", () => {
  const snippets = extractAllSnippets();

  it("compiles, every README block and @example", () => {
    expect(snippets.filter((snippet) => snippet.file.endsWith(".md")).length).toBeGreaterThan(30);
    expect(snippets.filter((snippet) => snippet.file.endsWith(".ts")).length).toBeGreaterThan(200);
    const problems = checkSnippets(snippets).map(({ location, message }) => `${location} ${message}`);
    expect(problems).toEqual([]);
  }, 120_000);

  // Every README block left out or read as a fragment is a reviewed exception: the list says which.
  it("marks few README blocks as skipped or fragments", () => {
    const marked = snippets
      .filter(
        (snippet) =>
          snippet.file.endsWith(".md") && (snippet.skip !== undefined || snippet.kind === "fragment"),
      )
      .map(
        (snippet) =>
          // Named by file and first line of code, not by line number, so an edit above it does not move it.
          `${snippet.file} ${snippet.skip === undefined ? "fragment" : `skip: ${snippet.skip}`}: ${snippet.code.trim().split("\n")[0]}`,
      );
    expect(marked).toMatchInlineSnapshot(`
      [
        "README.md fragment: const unsubscribe = client.auth.tokenManager.onTokenChange((token) => console.log(token?.expiresAt));",
        "README.md fragment: const { viewer } = await client.graphQL.rawQuery("{ viewer { email mainAccount { iban balance } } }");",
        "packages/client/README.md fragment: import { createDeviceSignature, toDeviceKeyHex } from "@kontist-auth/crypto";",
        "packages/client/README.md fragment: const deviceId = "device-id"; // this device's, from its own bind()",
        "packages/client/README.md fragment: location.assign(await client.auth.tokenManager.getAuthUri()); // password + approval on the phone",
        "packages/client/README.md fragment: import { isKontistAuthError } from "@kontist-auth/client";",
      ]
    `);
  });
});

describe("checkSnippets", () => {
  const readme = [
    "# A package", //                                                   1
    "",
    "```ts",
    'import { Client } from "@kontist-auth/client";',
    'const client = new Client({ clientId: 42, clientSecret: "secret" });', // 5: clientId is a string
    "await client.auth.tokenManager.refresh();",
    "```",
    "",
    "<!-- snippet: skip a shell session, not TypeScript -->",
    "",
    "```ts",
    "$ pnpm add @kontist-auth/client", //                               12
    "```",
    "<!-- snippet: fragment -->",
    "```typescript",
    "await client.auth.tokenManager.noSuchMethod();", //                16
    "```",
  ].join("\n");
  const source = [
    "/**", //                                                           1
    " * Does nothing; its examples see the client's main entry (`Token`) and prelude (`error`).",
    " *",
    " * @example",
    ' * if (isKontistAuthError(error, "INVALID_RESPONSE")) console.log(error.code);',
    " * console.log(undeclaredName);", //                                6: a free name nobody declared
    " * @returns nothing",
    " */",
    "export function nothing(): void {}",
    "",
    "/**",
    " * @example",
    " * ```ts",
    ' * const token: Token = new Token({ accessToken: "a" });', //                        14
    " * ```",
    " */",
  ].join("\n");

  it("extracts README blocks and @example blocks with their lines and markers", () => {
    const blocks = extractMarkdownSnippets(readme, "packages/client/README.md");
    expect(blocks.map((block) => [snippetLocation(block), block.kind, block.skip])).toEqual([
      ["packages/client/README.md:4", "program", undefined],
      ["packages/client/README.md:12", "program", "a shell session, not TypeScript"],
      ["packages/client/README.md:16", "fragment", undefined],
    ]);
    const examples = extractExampleSnippets(source, "packages/client/src/nothing.ts");
    expect(examples.map((example) => [example.lines, example.code])).toEqual([
      [
        [5, 6],
        'if (isKontistAuthError(error, "INVALID_RESPONSE")) console.log(error.code);\nconsole.log(undeclaredName);',
      ],
      [[14], 'const token: Token = new Token({ accessToken: "a" });'],
    ]);
  });

  it("refuses an unknown marker and a skip without a reason", () => {
    for (const marker of ["<!-- snippet: ignore -->", "<!-- snippet: skip -->"]) {
      expect(() => extractMarkdownSnippets(`${marker}\n\`\`\`ts\nx;\n\`\`\``, "README.md")).toThrow(
        /unknown snippet marker/,
      );
    }
  });

  it("reports a broken snippet at its documented line, and an unknown free name", () => {
    const problems = checkSnippets([
      ...extractMarkdownSnippets(readme, "packages/client/README.md"),
      ...extractExampleSnippets(source, "packages/client/src/nothing.ts"),
    ]);
    expect(problems.map(({ location, message }) => `${location} ${message.slice(0, 6)}`)).toEqual([
      "packages/client/README.md:5 TS2322", // Type 'number' is not assignable to type 'string'.
      "packages/client/README.md:16 TS2339", // Property 'noSuchMethod' does not exist on type …
      "packages/client/src/nothing.ts:6 TS2304", // Cannot find name 'undeclaredName'.
    ]);
    expect(problems[2]?.message).toBe("TS2304 Cannot find name 'undeclaredName'.");
  }, 60_000);
});
