import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback web server for browser tests: every HTML path gets the same page, which loads `/app.js`. */
export interface PageServer {
  /** `http://127.0.0.1:<port>`, the app's origin. */
  url: string;
  close(): Promise<void>;
}

/** Serves `script` as `/app.js` and a page that loads it at every other path (`/`, `/callback`, …). */
export async function startPageServer(script: string): Promise<PageServer> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>kontist-auth browser test</title></head>
<body><script type="module" src="/app.js"></script></body></html>`;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/app.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else if (path === "/favicon.ico") {
      response.writeHead(204).end();
    } else {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
