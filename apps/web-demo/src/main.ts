import { Client, isKontistAuthError, type Token } from "@kontist-auth/client";
import { createWebCryptoSigner } from "@kontist-auth/crypto";
import { readApiUrl } from "./apiUrl";
import { askForOtp } from "./askForOtp";
import { forgetBoundDevice, loadBoundDevice, saveBoundDevice } from "./boundDevice";
import { describeError } from "./describeError";
import { createPkcePair, type PkcePair, savePendingLogin, takePendingLogin } from "./pendingLogin";

// The page shows ids and claims only, never a token: the token lives in the client's memory.

const clientId = "demo-public";
const scopes = ["users", "accounts"];
// A loopback http redirect URI: Kontist gives such a PKCE client no refresh token, so the client renews
// silently, in a hidden iframe, from the login session at the API.
const redirectUri = `${location.origin}/`;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

const main = document.querySelector("main") as HTMLElement;
const buttons = {
  login: byId<HTMLButtonElement>("login"),
  bind: byId<HTMLButtonElement>("bind"),
  confirm: byId<HTMLButtonElement>("confirm"),
  showAccount: byId<HTMLButtonElement>("show-account"),
  renew: byId<HTMLButtonElement>("renew"),
  logout: byId<HTMLButtonElement>("logout"),
  forget: byId<HTMLButtonElement>("forget"),
};
const otpForm = {
  form: byId<HTMLFormElement>("otp-form"),
  input: byId<HTMLInputElement>("otp"),
  cancel: byId<HTMLButtonElement>("otp-cancel"),
};
const lines = {
  api: byId("api"),
  status: byId("status"),
  error: byId("error"),
  user: byId("user"),
  confirmed: byId("confirmed"),
  expires: byId("expires"),
  renewal: byId("renewal"),
  device: byId("device"),
  account: byId("account"),
};

function showToken(token: Token | null): void {
  const sub = token?.claims?.sub;
  lines.user.textContent = token === null ? "not logged in" : typeof sub === "string" ? sub : "unknown";
  lines.confirmed.textContent = token === null ? "—" : token.confirmed ? "yes" : "no";
  lines.expires.textContent = token?.expiresAt?.toLocaleTimeString() ?? "—";
  lines.renewal.textContent =
    token === null ? "—" : token.refreshToken === undefined ? "silent (no refresh token)" : "refresh token";
  if (token === null || !token.confirmed) lines.account.textContent = "—";
}

async function showDevice(): Promise<void> {
  const device = await loadBoundDevice();
  lines.device.textContent =
    device === undefined
      ? "not bound"
      : `${device.deviceId} (key in IndexedDB, extractable: ${device.keyPair.privateKey.extractable})`;
}

/** Runs one user action: buttons off meanwhile, its outcome on the status line, a failure by its code. */
async function run(working: string, action: () => Promise<string>): Promise<void> {
  main.setAttribute("aria-busy", "true");
  for (const button of Object.values(buttons)) button.disabled = true;
  lines.status.textContent = working;
  lines.error.textContent = "";
  try {
    lines.status.textContent = await action();
  } catch (error) {
    lines.status.textContent = "";
    lines.error.textContent = describeError(error);
  } finally {
    for (const button of Object.values(buttons)) button.disabled = false;
    main.setAttribute("aria-busy", "false");
  }
}

function createClient(apiUrl: string, pkce: PkcePair): Client {
  return new Client({ baseUrl: apiUrl, clientId, redirectUri, scopes, ...pkce });
}

/** Whether the page is the authorization server's answer (RFC 6749 §4.1.2, §4.1.2.1). */
function isAuthorizationResponse(url: URL): boolean {
  return url.searchParams.has("state") && (url.searchParams.has("code") || url.searchParams.has("error"));
}

async function start(): Promise<void> {
  const apiUrl = readApiUrl(location.href, sessionStorage, import.meta.env.VITE_KONTIST_API);
  lines.api.textContent = apiUrl;

  const callbackUrl = location.href;
  const returning = isAuthorizationResponse(new URL(callbackUrl));
  const pending = takePendingLogin(sessionStorage);
  // Every page load gets a fresh pair; the answer to a login is read with that login's own pair.
  const client = createClient(apiUrl, (returning ? pending : undefined) ?? createPkcePair());
  client.auth.tokenManager.onTokenChange(showToken);
  showToken(null);

  buttons.login.onclick = () =>
    run("Opening the login page…", async () => {
      const pkce = createPkcePair();
      savePendingLogin(sessionStorage, pkce);
      // MFA comes later, from this browser's device key ("Confirm"), so the login skips it.
      location.assign(await createClient(apiUrl, pkce).auth.tokenManager.getAuthUri({ skipMfa: true }));
      return "Redirecting to the login page…";
    });

  buttons.bind.onclick = () =>
    run("Binding this browser: asking for a device binding request…", async () => {
      const signer = await createWebCryptoSigner(); // non-extractable private key
      const { deviceId } = await client.auth.device.bind({
        signer,
        name: "kontist-auth web demo",
        // Kontist e-mails the user (or asks on a device already bound); binding goes on once confirmed.
        onBindingRequest: (request) => {
          lines.status.textContent = `Confirm the device binding request ${request.id} in the e-mail we sent you (from ${request.ipAddress}, ${request.address}).`;
        },
        otp: () => {
          lines.status.textContent = "Binding this browser: waiting for the SMS code…";
          return askForOtp(otpForm);
        },
      });
      await saveBoundDevice({ deviceId, keyPair: signer.keyPair });
      await showDevice();
      return `Bound this browser as device ${deviceId}.`;
    });

  buttons.confirm.onclick = () =>
    run("Confirming with this browser's key…", async () => {
      const device = await loadBoundDevice();
      if (device === undefined) return "This browser is not bound yet: bind it first.";
      const signer = await createWebCryptoSigner({ keyPair: device.keyPair });
      await client.auth.device.confirm({ signer, deviceId: device.deviceId });
      return `Confirmed: MFA passed with device ${device.deviceId}.`;
    });

  buttons.showAccount.onclick = () =>
    run("Loading the account…", async () => {
      const { viewer } = await client.graphQL.rawQuery<{
        viewer: { email: string; mainAccount: { iban: string; balance: number } | null };
      }>("{ viewer { email mainAccount { iban balance } } }");
      const account = viewer.mainAccount;
      const balance = account && (account.balance / 100).toFixed(2);
      lines.account.textContent =
        account === null ? `${viewer.email}: no account` : `${viewer.email}: ${account.iban}, ${balance} €`;
      return "Account loaded.";
    });

  buttons.renew.onclick = () =>
    run("Renewing silently…", async () => {
      await client.auth.tokenManager.refresh();
      return "Renewed silently: a new token from the login session.";
    });

  buttons.logout.onclick = () =>
    run("Logging out…", async () => {
      // Forgets the token and ends the login session at the API (a hidden iframe to /oauth/logout).
      await client.auth.tokenManager.logout();
      return "Logged out.";
    });

  buttons.forget.onclick = () =>
    run("Forgetting this browser's key…", async () => {
      await forgetBoundDevice();
      await showDevice();
      return "Forgot this browser's device key.";
    });

  await run("Starting…", async () => {
    await showDevice();
    if (returning) {
      // Take the code out of the address bar and the history before anything else.
      history.replaceState(null, "", location.pathname);
      if (pending === undefined) return "No login was started in this tab: log in again.";
      await client.auth.tokenManager.fetchToken(callbackUrl);
      return "Logged in.";
    }
    try {
      // A token from an existing login session at the API, without the user (prompt=none).
      await client.auth.tokenManager.refresh();
      return "Logged in from your existing session.";
    } catch (error) {
      if (isKontistAuthError(error, "AUTHORIZATION_ERROR") && error.error === "login_required")
        return "Not logged in.";
      throw error;
    }
  });
}

// The buttons start disabled (index.html); `run` enables them, so a failed start leaves them off.
start().catch((error: unknown) => {
  lines.error.textContent = describeError(error);
  main.setAttribute("aria-busy", "false");
});
