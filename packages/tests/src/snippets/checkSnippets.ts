import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { repositoryRoot, type Snippet, snippetLocation } from "./extractSnippets";
import { defaultFragmentPackage, snippetPreludes } from "./snippetPreludes";

/** One compile error in a snippet, at the documentation's own line. */
export interface SnippetProblem {
  /** Where the snippet starts, e.g. `packages/client/README.md:47`: one snippet, one key. */
  snippet: string;
  /** Where the error is, e.g. `packages/client/README.md:52`, or `… (prelude)` for a prelude line. */
  location: string;
  /** `TS2304 Cannot find name 'client'.` */
  message: string;
}

// A module name a snippet's own directory cannot resolve (a README's import of another workspace package)
// is resolved from here: packages/tests depends on every published package, as an app using them would.
const fallbackImporter = fileURLToPath(import.meta.url);

/**
 * Type-checks each snippet as its own module with the workspace's compiler options, against the
 * packages' TypeScript sources (the `@kontist-auth/source` condition). A `program` snippet compiles as it
 * stands; a `fragment` gets its package's prelude first (see `snippetPreludes.ts`). Skipped snippets
 * are left out. Returns every error; an empty list means everything compiles.
 */
export function checkSnippets(snippets: readonly Snippet[], root = repositoryRoot): SnippetProblem[] {
  const options = compilerOptions(root);
  const virtual = new Map<string, { snippet: Snippet; preludeLines: number; text: string }>();
  const compiled = snippets.filter((snippet) => snippet.skip === undefined);
  const fragments = compiled.filter((snippet) => snippet.kind === "fragment");
  const entries = new Map(fragments.map((snippet) => [fragmentPackage(snippet), mainEntry(root, snippet)]));
  const documented = new Set(fragments.flatMap((s) => (s.file.endsWith(".ts") ? [join(root, s.file)] : [])));
  const host = snippetHost(options, virtual);

  const names = exportedNames(
    ts.createProgram([...entries.values(), ...documented], options, host),
    new Set([...entries.values(), ...documented]),
  );
  for (const snippet of compiled) {
    const path = join(root, `${snippet.file}.L${snippet.lines[0] ?? 0}.snippet.ts`);
    const prelude = snippet.kind === "fragment" ? fragmentPrelude(snippet, root, entries, names) : [];
    virtual.set(path, {
      snippet,
      preludeLines: prelude.length,
      text: [...prelude, snippet.code, "export {};", ""].join("\n"),
    });
  }

  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems: SnippetProblem[] = [];
  for (const [path, { snippet, preludeLines }] of virtual) {
    const file = program.getSourceFile(path);
    if (file === undefined) throw new Error(`${path} is not in the program`);
    for (const diagnostic of [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ]) {
      const line = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - preludeLines;
      problems.push({
        snippet: snippetLocation(snippet),
        location:
          line < 0
            ? `${snippetLocation(snippet)} (prelude)`
            : snippetLocation(snippet, Math.min(line, snippet.lines.length - 1)),
        message: `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`,
      });
    }
  }
  return problems;
}

/** tsconfig.base.json's compiler options: strict, Bundler resolution, the source condition. */
function compilerOptions(root: string): ts.CompilerOptions {
  const { config, error } = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile);
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]?.messageText, "\n"));
  return { ...options, noEmit: true };
}

function snippetHost(
  options: ts.CompilerOptions,
  virtual: ReadonlyMap<string, { text: string }>,
): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const cache = ts.createModuleResolutionCache(
    host.getCurrentDirectory(),
    host.getCanonicalFileName,
    options,
  );
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (path) => virtual.get(path)?.text ?? readFile(path);
  host.fileExists = (path) => virtual.has(path) || fileExists(path);
  host.getSourceFile = (path, language) => {
    const text = virtual.get(path)?.text;
    if (text !== undefined) return ts.createSourceFile(path, text, language, true, ts.ScriptKind.TS);
    if (!parsed.has(path)) parsed.set(path, getSourceFile(path, language));
    return parsed.get(path);
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirect, compilerOptions) =>
    literals.map(({ text }) => {
      const resolved = ts.resolveModuleName(text, containingFile, compilerOptions, host, cache, redirect);
      if (resolved.resolvedModule !== undefined || !virtual.has(containingFile)) return resolved;
      return ts.resolveModuleName(text, fallbackImporter, compilerOptions, host, cache, redirect);
    });
  return host;
}

interface ExportedName {
  name: string;
  typeOnly: boolean;
}

/** The runtime and type exports of each of `files`, by path. */
function exportedNames(program: ts.Program, files: ReadonlySet<string>): Map<string, ExportedName[]> {
  const checker = program.getTypeChecker();
  const names = new Map<string, ExportedName[]>();
  for (const path of files) {
    const file = program.getSourceFile(path);
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    names.set(
      path,
      (module === undefined ? [] : checker.getExportsOfModule(module))
        .filter((symbol) => symbol.name !== "default")
        .map((symbol) => ({ name: symbol.name, typeOnly: isTypeOnly(checker, symbol) })),
    );
  }
  return names;
}

/** Whether an export is a type only: a type, or a value exported with `export type` on the way. */
function isTypeOnly(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  let current: ts.Symbol | undefined = symbol;
  while (current !== undefined && current.flags & ts.SymbolFlags.Alias) {
    if (current.declarations?.some((declaration) => ts.isTypeOnlyImportOrExportDeclaration(declaration))) {
      return true;
    }
    current = checker.getImmediateAliasedSymbol(current);
  }
  return current === undefined || (current.flags & ts.SymbolFlags.Value) === 0;
}

function fragmentPackage(snippet: Snippet): string {
  return snippet.packageDir ?? defaultFragmentPackage;
}

/** The source file of a package's main entry (what `@kontist-auth/source` maps "." to). */
function mainEntry(root: string, snippet: Snippet): string {
  const dir = join(root, "packages", fragmentPackage(snippet));
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return join(dir, manifest.exports["."]["@kontist-auth/source"]);
}

/**
 * The lines before a fragment: imports of its package's main entry and (for an `@example`) of the file
 * it documents, then the package's declared names; each only where the fragment does not declare it.
 */
function fragmentPrelude(
  snippet: Snippet,
  root: string,
  entries: ReadonlyMap<string, string>,
  names: ReadonlyMap<string, ExportedName[]>,
): string[] {
  const declared = topLevelNames(snippet.code);
  const lines: string[] = [];
  const importFrom = (specifier: string, path: string) => {
    const imported = (names.get(path) ?? []).filter(({ name }) => !declared.has(name));
    for (const { name } of imported) declared.add(name);
    if (imported.length === 0) return;
    const list = imported.map(({ name, typeOnly }) => (typeOnly ? `type ${name}` : name)).join(", ");
    lines.push(`import { ${list} } from ${JSON.stringify(specifier)};`);
  };
  if (snippet.file.endsWith(".ts")) importFrom(`./${basename(snippet.file)}`, join(root, snippet.file));
  const pkg = fragmentPackage(snippet);
  importFrom(`@kontist-auth/${pkg}`, entries.get(pkg) ?? "");
  const prelude = snippetPreludes[pkg];
  if (prelude === undefined) throw new Error(`snippetPreludes.ts has no prelude for packages/${pkg}`);
  for (const [specifier, imported] of Object.entries(prelude.imports)) {
    const list = imported.filter((name) => !declared.has(name));
    if (list.length > 0) lines.push(`import { ${list.join(", ")} } from ${JSON.stringify(specifier)};`);
  }
  for (const [name, type] of Object.entries(prelude.declarations)) {
    if (!declared.has(name)) lines.push(`declare const ${name}: ${type};`);
  }
  return lines;
}

/** The names a module's top level declares or imports. */
function topLevelNames(code: string): Set<string> {
  const file = ts.createSourceFile("snippet.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name !== undefined) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else for (const element of bindings?.elements ?? []) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}
