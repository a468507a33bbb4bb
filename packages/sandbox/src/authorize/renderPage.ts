import { escapeHtml } from "./escapeHtml";

const style = [
  "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}",
  "label{display:block;margin:.75rem 0}",
  "input{display:block;width:100%;padding:.45rem;margin-top:.25rem;box-sizing:border-box}",
  "button{padding:.5rem 1.1rem;margin:.75rem .5rem 0 0}",
  ".error{color:#b00020}",
  "code{background:#f1f1f4;padding:0 .2rem}",
].join("");

/**
 * A complete, small HTML page of the sandbox with `title` (escaped here) and `body` (already HTML).
 * `head` adds elements to `<head>` (already HTML).
 */
export function renderPage(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} – Kontist sandbox</title>
<style>${style}</style>${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** Headers of a page that must not be framed or cached (login and error pages). */
export const pageHeaders = {
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
} as const;

/** An error page: the status and message (escaped here). */
export function renderErrorPage(status: number, message: string): string {
  return renderPage(
    "Error",
    `<h1>Kontist sandbox</h1>\n<p class="error" role="alert">${status}: ${escapeHtml(message)}</p>`,
  );
}
