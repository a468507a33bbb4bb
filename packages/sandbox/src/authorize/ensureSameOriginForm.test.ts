import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ApiError } from "../http/ApiError";
import { ensureSameOriginForm } from "./ensureSameOriginForm";

/** Runs the check on a request to `url` with `headers`; answers "ok" or the refusal's status. */
async function check(url: string, headers: Record<string, string>): Promise<string> {
  const app = new Hono();
  app.post("/api/oauth/authorize", (c) => {
    try {
      ensureSameOriginForm(c);
      return c.text("ok");
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return c.text(String(error.status));
    }
  });
  return (await app.request(url, { method: "POST", headers })).text();
}

describe("ensureSameOriginForm (finding 16)", () => {
  const url = "http://localhost:4010/api/oauth/authorize";

  it("lets the sandbox's own page, a user's navigation and non-browser clients through", async () => {
    const passing: Record<string, string>[] = [
      { "Sec-Fetch-Site": "same-origin" },
      { "Sec-Fetch-Site": "SAME-ORIGIN", Origin: "null" },
      { "Sec-Fetch-Site": "none" },
      { Origin: "http://localhost:4010" },
      {},
    ];
    for (const headers of passing) {
      expect(await check(url, headers), JSON.stringify(headers)).toBe("ok");
    }
  });

  it("refuses other sites, other ports of the same host, opaque origins and another Host's origin", async () => {
    const refused: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site", Origin: "http://localhost:4010" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: "http://localhost:5173" },
      { Origin: "http://127.0.0.1:4010" },
      { Origin: "null" },
    ];
    for (const headers of refused) {
      expect(await check(url, headers), JSON.stringify(headers)).toBe("403");
    }
  });
});
