import { connect, type Socket } from "node:net";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedGraphQLSocket } from "../../test/graphQLWebSocket";
import { passwordToken } from "../../test/requests";
import { type RunningSandbox, sandboxDefaults, startSandbox } from "../index";

const timeoutSeconds = 0.5;
const lines: string[] = [];
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, requestTimeout: timeoutSeconds, log: (line) => lines.push(line) });
});
afterAll(() => sandbox.close());

/**
 * Opens a raw TCP connection, sends `head`, then one more byte every `trickleMs` (when given) until the
 * sandbox closes the connection; resolves with what came back and when the connection closed.
 */
function slowRequest(head: string, trickleMs?: number): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(sandbox.port, "127.0.0.1");
    let answer = "";
    let trickle: NodeJS.Timeout | undefined;
    // A hang fails the test instead of waiting for vitest's timeout.
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error("The sandbox did not time the request out."));
    }, 5000);
    socket.on("connect", () => {
      socket.write(head);
      if (trickleMs !== undefined) {
        trickle = setInterval(() => socket.writable && socket.write("a"), trickleMs);
      }
    });
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(trickle);
      clearTimeout(guard);
      resolve({ answer, closedAfterMs: performance.now() - started });
    });
  });
}

function expectCutOff(result: { answer: string; closedAfterMs: number }) {
  // 408 Request Timeout, or at least the connection closed without any other answer.
  expect(result.answer === "" || result.answer.startsWith("HTTP/1.1 408 ")).toBe(true);
  expect(result.closedAfterMs).toBeGreaterThanOrEqual(timeoutSeconds * 1000 - 100);
  expect(result.closedAfterMs).toBeLessThan(timeoutSeconds * 1000 + 1200);
}

const form = "Content-Type: application/x-www-form-urlencoded";

describe("requestTimeout (issue 11: slow-loris requests are cut off)", () => {
  it("answers 408 and closes a connection whose body trickles in, byte by byte", async () => {
    lines.length = 0;
    const result = await slowRequest(
      `POST /api/oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n${form}\r\nContent-Length: 10000\r\n\r\ngrant_type=`,
      50,
    );
    expectCutOff(result);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
    await sleep(50);
    // Logged as the 408 it is, never as an unexpected (500) error.
    expect(lines).toEqual([expect.stringMatching(/^POST \/api\/oauth\/token 408 \d+ms$/)]);
  });

  it("cuts off a slow JSON body of an authenticated call, and a chunked body that stalls", async () => {
    const { access_token } = await passwordToken(sandbox);
    expectCutOff(
      await slowRequest(
        `POST /api/user/devices HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${access_token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"name":"',
        50,
      ),
    );
    expectCutOff(
      await slowRequest(
        "POST /api/graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          'Transfer-Encoding: chunked\r\n\r\n5\r\n{"que\r\n',
      ),
    );
  });

  it("cuts off headers that never end, and a connection that sends nothing", async () => {
    expectCutOff(
      await slowRequest("GET /api/user/mfa/challenges HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 50),
    );
    expectCutOff(await slowRequest(""));
  });

  it("still serves a slow body that arrives in time, a slow answer, and everyone else meanwhile", async () => {
    const body =
      "grant_type=password&username=demo%40example.com&password=demo-password&client_id=demo-client&client_secret=demo-secret";
    const socket = connect(sandbox.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
    });
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /api/oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n${form}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const meanwhile = fetch(`${sandbox.url}/sandbox/sms`);
    for (const part of [body.slice(0, 40), body.slice(40, 80), body.slice(80)]) {
      await sleep(100);
      socket.write(part);
    }
    expect((await meanwhile).status).toBe(200);
    await sleep(100);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();

    // The timeout is for receiving the request, not for answering it.
    await sandbox.test.injectFault({ route: "GET /api/user/mfa/challenges", fault: "delay", delayMs: 900 });
    const { access_token } = await passwordToken(sandbox);
    const delayed = await fetch(`${sandbox.url}/api/user/mfa/challenges`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(delayed.status).toBe(200);
  });

  it("does not count the idle time of a keep-alive connection between two requests", async () => {
    const socket = connect(sandbox.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
    });
    await new Promise((resolve) => socket.once("connect", resolve));
    const request = "GET /sandbox/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    socket.write(request);
    await sleep(timeoutSeconds * 1000 + 1200);
    socket.write(request);
    await sleep(200);
    expect(answer.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(answer).not.toContain(" 408 ");
    socket.destroy();
  });

  it("leaves a GraphQL WebSocket open past the timeout: it is no request still arriving", async () => {
    const { access_token } = await passwordToken(sandbox);
    const connection = await connectedGraphQLSocket(sandbox, access_token);
    await sleep(timeoutSeconds * 1000 + 1200);
    connection.send({ type: "ping" });
    expect(await connection.next()).toEqual({ type: "pong" });
    connection.socket.close();
  });

  it("defaults to 10 seconds, and checks the option", async () => {
    expect(sandboxDefaults.requestTimeout).toBe(10);
    await expect(startSandbox({ requestTimeout: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ requestTimeout: Number.POSITIVE_INFINITY })).rejects.toThrow(RangeError);
  });
});
