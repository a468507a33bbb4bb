import { afterAll, beforeAll, beforeEach } from "vitest";
import { type RunningSandbox, type SandboxOptions, startSandbox } from "../src/index";
import { passwordToken } from "./requests";

/** What {@link useFreshSandbox} gives a test file; read it inside tests, once the hooks have run. */
export interface FreshSandbox {
  sandbox: RunningSandbox;
  /** The demo user's access token, new for each test. */
  accessToken: string;
}

/**
 * One sandbox for the test file (closed after it), reset to its seeds and logged in as the demo user
 * before each test.
 */
export function useFreshSandbox(options: Omit<SandboxOptions, "port"> = {}): FreshSandbox {
  const fixture = {} as FreshSandbox;
  beforeAll(async () => {
    fixture.sandbox = await startSandbox({ ...options, port: 0 });
  });
  afterAll(() => fixture.sandbox.close());
  beforeEach(async () => {
    fixture.sandbox.reset();
    fixture.accessToken = (await passwordToken(fixture.sandbox)).access_token;
  });
  return fixture;
}
