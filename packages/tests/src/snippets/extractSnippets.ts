import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root directory. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** A piece of TypeScript from the documentation, with where each of its lines comes from. */
export interface Snippet {
  /** The documenting file, relative to the repository root (`packages/client/README.md`). */
  file: string;
  /** The package directory the file belongs to (`client`), or undefined for the root README and apps. */
  packageDir: string | undefined;
  /** The source file's line (1-based) of each line of `code`. */
  lines: number[];
  code: string;
  /**
   * `program`: a README block, compiled as it stands (a complete program). `fragment`: an `@example`
   * block, or a README block marked `<!-- snippet: fragment -->`, compiled with its package's prelude.
   */
  kind: "program" | "fragment";
  /** Why it is not compiled: a README block marked `<!-- snippet: skip <reason> -->`. */
  skip?: string;
  /**
   * A program marked `<!-- snippet: run -->`: besides being compiled, `src/docs/runDocs.test.ts` runs it
   * against a local sandbox, playing the user's part.
   */
  run?: true;
}

/** Where the snippet is documented, for messages: `packages/client/README.md:47`. */
export function snippetLocation(snippet: Snippet, index = 0): string {
  return `${snippet.file}:${snippet.lines[index] ?? snippet.lines[0] ?? 0}`;
}

const fenceStart = /^(\s*)```(ts|typescript)\b/;
const fenceEnd = /^\s*```\s*$/;
const marker = /^<!--\s*snippet:\s*(\S+)\s*(.*?)\s*-->$/;

/**
 * Every ```ts / ```typescript block of a Markdown file. A `<!-- snippet: skip <reason> -->`,
 * `<!-- snippet: fragment -->` or `<!-- snippet: run -->` comment on the line before a block (blank lines
 * between allowed) marks it.
 *
 * @throws {Error} on an unknown marker, a skip without a reason, or an unclosed block.
 */
export function extractMarkdownSnippets(markdown: string, file: string): Snippet[] {
  const source = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let index = 0; index < source.length; index++) {
    const start = fenceStart.exec(source[index] ?? "");
    if (start === null) continue;
    const indent = start[1]?.length ?? 0;
    const lines: number[] = [];
    const code: string[] = [];
    let end = index + 1;
    for (; end < source.length && !fenceEnd.test(source[end] ?? ""); end++) {
      lines.push(end + 1);
      code.push((source[end] ?? "").slice(indent));
    }
    if (end === source.length) throw new Error(`${file}:${index + 1}: unclosed code block`);
    const snippet: Snippet = {
      file,
      packageDir: packageDirOf(file),
      lines,
      code: code.join("\n"),
      kind: "program",
    };
    applyMarker(snippet, markerBefore(source, index), `${file}:${index + 1}`);
    snippets.push(snippet);
    index = end;
  }
  return snippets;
}

function markerBefore(source: string[], fence: number): string | undefined {
  for (let index = fence - 1; index >= 0; index--) {
    const line = (source[index] ?? "").trim();
    if (line === "") continue;
    return line.startsWith("<!--") && line.includes("snippet:") ? line : undefined;
  }
  return undefined;
}

function applyMarker(snippet: Snippet, line: string | undefined, where: string): void {
  if (line === undefined) return;
  const [, verb, rest = ""] = marker.exec(line) ?? [];
  if (verb === "fragment" && rest === "") snippet.kind = "fragment";
  else if (verb === "run" && rest === "") snippet.run = true;
  else if (verb === "skip" && rest !== "") snippet.skip = rest;
  else throw new Error(`${where}: unknown snippet marker ${line} (use "skip <reason>", "fragment" or "run")`);
}

/**
 * The `@example` blocks of a TypeScript file's doc comments: the lines after the tag up to the next
 * tag or the end of the comment, without the comment's `*` margin; ``` fences inside are dropped.
 */
export function extractExampleSnippets(text: string, file: string): Snippet[] {
  const snippets: Snippet[] = [];
  let example: { lines: number[]; code: string[] } | undefined;
  let inComment = false;
  const finish = () => {
    while (example !== undefined && example.code.at(-1)?.trim() === "") {
      example.code.pop();
      example.lines.pop();
    }
    if (example !== undefined) {
      const { lines, code } = example;
      snippets.push({ file, packageDir: packageDirOf(file), lines, code: code.join("\n"), kind: "fragment" });
    }
    example = undefined;
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!inComment) {
      inComment = /^\s*\/\*\*/.test(raw) && !raw.includes("*/");
      return;
    }
    const line = raw.replace(/\*\/.*$/, "").replace(/^\s*\* ?/, "");
    if (/^@\w+/.test(line)) {
      finish();
      if (/^@example\b/.test(line)) example = { lines: [], code: [] };
    } else if (example !== undefined && !/^\s*```/.test(line)) {
      example.lines.push(index + 1);
      example.code.push(line);
    }
    if (raw.includes("*/")) {
      finish();
      inComment = false;
    }
  });
  return snippets;
}

function packageDirOf(file: string): string | undefined {
  return /^packages\/([^/]+)\//.exec(file)?.[1];
}

/**
 * The documentation the check covers, relative to `root`: the root README and CONTRIBUTING, every package's and app's
 * README, `docs/*.md`, and every non-test `.ts` file under `packages/<name>/src` (the private
 * `packages/tests` aside).
 */
export function documentedFiles(root = repositoryRoot): { markdown: string[]; sources: string[] } {
  const markdown = ["README.md", "CONTRIBUTING.md"];
  for (const area of ["packages", "apps"]) {
    for (const dir of readdirSync(join(root, area)).sort()) {
      if (existsSync(join(root, area, dir, "README.md"))) markdown.push(`${area}/${dir}/README.md`);
    }
  }
  if (existsSync(join(root, "docs"))) {
    for (const file of readdirSync(join(root, "docs")).sort()) {
      if (file.endsWith(".md")) markdown.push(`docs/${file}`);
    }
  }
  const sources: string[] = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const src = join(root, "packages", dir, "src");
    if (dir === "tests" || !existsSync(src)) continue;
    for (const file of readdirSync(src, { recursive: true, encoding: "utf8" }).sort()) {
      if (file.endsWith(".ts") && !/\.(test|bench|d)\.ts$/.test(file)) {
        sources.push(relative(root, join(src, file)));
      }
    }
  }
  return { markdown, sources };
}

/** Every snippet of the documentation under `root` (see {@link documentedFiles}). */
export function extractAllSnippets(root = repositoryRoot): Snippet[] {
  const { markdown, sources } = documentedFiles(root);
  return [
    ...markdown.flatMap((file) => extractMarkdownSnippets(readFileSync(join(root, file), "utf8"), file)),
    ...sources.flatMap((file) => extractExampleSnippets(readFileSync(join(root, file), "utf8"), file)),
  ];
}
