import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";
import { paths } from "@kontist-auth/protocol";
import { demoUser } from "../sandboxSupport";
import type { FlowRun, HygieneContext } from "./FlowRun";

// The authorization-code flow as a browser shows it: the address bar (the authorize URL, the callback
// with its code), the sandbox's login page, its answer to a wrong password, the MFA waiting page and the
// logout page all go to the capture; the PKCE verifier is a secret the browser never sees.

const redirectUri = "http://127.0.0.1:5173/callback";

/** A page the user's browser gets: its status, `Location` and body go to the capture. */
async function browse(context: HygieneContext, url: string, form?: Record<string, string>) {
  const response = await fetch(url, {
    redirect: "manual",
    ...(form === undefined ? {} : { method: "POST", body: new URLSearchParams(form) }),
  });
  const page = await response.text();
  const location = response.headers.get("location");
  context.capture.add("browser: address bar", location ?? url);
  context.capture.add("browser: pages", `${response.status} ${page}`);
  return { status: response.status, page, location };
}

/** Login page, a wrong password, the MFA waiting page approved on the phone, the token, a replayed callback. */
export async function authorizationCodeFlow(run: FlowRun, context: HygieneContext): Promise<void> {
  const verifier = createPkceVerifier();
  run.ledger.add("PKCE verifier", verifier);
  const client = run.client({ redirectUri, state: createState(), verifier });
  const authUri = await client.auth.tokenManager.getAuthUri();
  const query = Object.fromEntries(new URL(authUri).searchParams);
  const login = new URL(paths.authorize, authUri).href;
  await browse(context, authUri);

  const wrongPassword = `wrong browser pässword "${crypto.randomUUID()}" <&>`;
  run.ledger.add("password", wrongPassword);
  await browse(context, login, { ...query, ...demoUser, password: wrongPassword, decision: "allow" });

  let answer = await browse(context, login, { ...query, ...demoUser, decision: "allow" });
  if (answer.status === 200) {
    const challengeId = /data-mfa-challenge-id="([^"]+)"/.exec(answer.page)?.[1] ?? "";
    const fields = Object.fromEntries(
      [...answer.page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
        ([, name = "", value = ""]) => [name, value.replace(/&amp;/g, "&").replace(/&quot;/g, '"')],
      ),
    );
    await run.target.test.approveMfaChallenge(challengeId);
    answer = await browse(context, login, fields);
  }
  const callback = answer.location ?? "";
  const token = await client.auth.tokenManager.fetchToken(callback);
  run.token(token);
  run.show("authorization code flow", token);
  await run.failing("replayed callback", () => client.auth.tokenManager.fetchToken(callback));
  await browse(context, new URL(paths.logout, authUri).href);
}
