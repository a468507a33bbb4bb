/**
 * Whether a GraphQL document holds only queries (and fragments), so that sending it twice does no harm
 * and the client may retry it. A light scan of the document's top level, not a parser: comments and
 * strings are skipped, each definition must start with `query`, `fragment` or `{` (a query's shorthand),
 * and its selection set must close. Anything else counts as a mutation: a `mutation` or `subscription`,
 * a type system definition, an unbalanced brace, an empty document, text it does not understand.
 *
 * @example
 * isQueryOnlyDocument("{ viewer { email } }"); // true
 * isQueryOnlyDocument("query q { a } fragment F on T { b }"); // true
 * isQueryOnlyDocument("query q { a } mutation m { b }"); // false
 * isQueryOnlyDocument("{ viewer { email }"); // false: not closed
 */
export function isQueryOnlyDocument(document: string): boolean {
  if (typeof document !== "string") return false;
  const tokens = topLevelTokens(document);
  if (tokens === undefined || tokens.length === 0) return false;
  let index = 0;
  let operations = 0;
  const isName = () => namePattern.test(tokens[index] ?? "");
  const skip = (token: string): boolean => {
    if (tokens[index] !== token) return false;
    index++;
    return true;
  };
  while (index < tokens.length) {
    if (skip("query")) {
      // query Name? (variables)? directives? { … }
      if (isName()) index++;
      skip("()");
      operations++;
    } else if (skip("fragment")) {
      // fragment Name on Type directives? { … }
      if (!isName() || tokens[index + 1] !== "on") return false;
      index += 2;
      if (!isName()) return false;
      index++;
    } else if (tokens[index] === "{") {
      operations++;
    } else {
      return false;
    }
    while (skip("@")) {
      if (!isName()) return false;
      index++;
      skip("()");
    }
    if (!skip("{")) return false;
  }
  return operations > 0;
}

const namePattern = /^[_A-Za-z][_0-9A-Za-z]*$/;
const nameAt = /[_A-Za-z][_0-9A-Za-z]*/y;

/**
 * The document's top-level tokens: names and punctuators outside any selection set; a whole selection
 * set is one `{` token, a whole parenthesized list (variables, a directive's arguments, which may hold
 * object values in braces) one `()` token. `undefined` when a string, a bracket or a character is out of
 * place.
 */
function topLevelTokens(document: string): string[] | undefined {
  const tokens: string[] = [];
  const open: string[] = [];
  let i = 0;
  while (i < document.length) {
    const char = document[i] ?? "";
    if (char === "#") {
      while (i < document.length && document[i] !== "\n" && document[i] !== "\r") i++;
      continue;
    }
    if (char === '"') {
      const end = endOfString(document, i);
      if (end === undefined || open.length === 0) return undefined;
      i = end;
      continue;
    }
    if (char === "{" || char === "(") {
      if (open.length === 0) tokens.push(char === "{" ? "{" : "()");
      open.push(char);
      i++;
      continue;
    }
    if (char === "}" || char === ")") {
      if (open.pop() !== (char === "}" ? "{" : "(")) return undefined;
      i++;
      continue;
    }
    if (/[\s,\uFEFF]/.test(char)) {
      i++;
      continue;
    }
    nameAt.lastIndex = i;
    const name = nameAt.exec(document)?.[0];
    const token = name ?? char;
    if (name === undefined && !/^[$@:!=[\]\-+.0-9]$/.test(char)) return undefined;
    if (open.length === 0) tokens.push(token);
    i += token.length;
  }
  return open.length === 0 ? tokens : undefined;
}

/** The index after the string starting at `start` (`"…"` with escapes, or a `"""…"""` block string). */
function endOfString(document: string, start: number): number | undefined {
  if (document.startsWith('"""', start)) {
    for (let i = start + 3; i < document.length; i++) {
      if (document.startsWith('\\"""', i)) i += 3;
      else if (document.startsWith('"""', i)) return i + 3;
    }
    return undefined;
  }
  for (let i = start + 1; i < document.length; i++) {
    const char = document[i];
    if (char === "\\") i++;
    else if (char === '"') return i + 1;
    else if (char === "\n" || char === "\r") return undefined;
  }
  return undefined;
}
