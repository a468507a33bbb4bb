import { request } from "node:http";
import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { confirm, graphQLAnswer, other, passwordToken, uuid } from "../../test/requests";

const fresh = useFreshSandbox();

/** `POST /sandbox/transactions` with any body (an object as JSON, a string as it is); returns the answer. */
function postTransaction(body: unknown): Promise<Response> {
  return fetch(`${fresh.sandbox.url}${sandboxPaths.transactions}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function balanceOf(accessToken: string): Promise<number> {
  const { token } = await confirm(fresh.sandbox, accessToken);
  const answer = await graphQLAnswer(fresh.sandbox, token, "{ viewer { mainAccount { balance } } }");
  return answer.data.viewer.mainAccount.balance;
}

describe("POST /sandbox/transactions", () => {
  it("books on the demo user's main account by default: 201 { id }, and the balance changes", async () => {
    const response = await postTransaction({ amount: -1250, name: "Coffee Roasters GmbH" });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: uuid });
    await fresh.sandbox.test.bookTransaction({ amount: 250 });
    expect(await balanceOf(fresh.accessToken)).toBe(123_456 - 1250 + 250);
  });

  it("books on the account of the user whose login is email (any case), and no one else's", async () => {
    await fresh.sandbox.test.bookTransaction({ amount: 700, email: other.email.toUpperCase() });
    const otherToken = (await passwordToken(fresh.sandbox, other)).access_token;
    expect(await balanceOf(otherToken)).toBe(5000 + 700);
    expect(await balanceOf(fresh.accessToken)).toBe(123_456);
  });

  it("answers bad input with 4xx and books nothing", async () => {
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ amount: 12.5 }, 400],
      [{ amount: "100" }, 400],
      [{ amount: 2_147_483_648 }, 400],
      [{ amount: 1, name: "x".repeat(256) }, 400],
      [{ amount: 1, email: "" }, 400],
      ["[1,", 400],
      [{ amount: 1, email: "nobody@example.com" }, 404],
      [{ amount: 2_147_483_647 }, 409],
    ];
    for (const [body, status] of cases) {
      const response = await postTransaction(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(await response.json()).toEqual({ message: expect.any(String), status });
    }
    const notJson = await fetch(`${fresh.sandbox.url}${sandboxPaths.transactions}`, {
      method: "POST",
      body: "amount=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(notJson.status).toBe(415);
    expect(await balanceOf(fresh.accessToken)).toBe(123_456);
  });

  it("is test support: not counted, and answered only to a loopback Host", async () => {
    await fresh.sandbox.test.bookTransaction({ amount: 1 });
    const stats = await fresh.sandbox.test.stats();
    expect(stats.requests[`POST ${sandboxPaths.transactions}`]).toBeUndefined();

    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ amount: 1 });
      const outgoing = request(
        {
          host: "127.0.0.1",
          port: fresh.sandbox.port,
          method: "POST",
          path: sandboxPaths.transactions,
          headers: { Host: "sandbox.example", "Content-Type": "application/json" },
        },
        (incoming) => {
          incoming.resume();
          resolve(incoming.statusCode ?? 0);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
    expect(status).toBe(403);
    expect(await balanceOf(fresh.accessToken)).toBe(123_456 + 1);
  });
});
