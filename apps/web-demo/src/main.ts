import { Client, isKontistAuthError } from "@kontist-auth/client";
import { createWebCryptoSigner } from "@kontist-auth/crypto";
import { readApiUrl } from "./apiUrl";
import { askForOtp } from "./askForOtp";
import { bookSandboxTransaction } from "./bookSandboxTransaction";
import { forgetBoundDevice, loadBoundDevice, saveBoundDevice } from "./boundDevice";
import { describeError } from "./describeError";
import { bindingSteps } from "./flowSteps";
import { followNewTransactions } from "./followNewTransactions";
import { createPkcePair, type PkcePair, savePendingLogin, takePendingLogin } from "./pendingLogin";
import { sandboxPhoneUrl } from "./sandboxPhoneUrl";
import { type Account, elements, type PageState, showApi, showOutcome, showPage } from "./view";

// The default MFA path is push approval: Kontist advises against device keys in a browser. Binding this
// browser with a WebCrypto key is an opt-in, for development.

const clientId = "demo-public";
const scopes = ["users", "accounts"];
// A loopback http redirect URI: Kontist gives such a PKCE client no refresh token, so the client renews
// silently, in a hidden iframe, from the login session at the API.
const redirectUri = `${location.origin}/`;
/** The name this browser's device gets: the user sees it in the binding e-mail and their device list. */
const deviceName = "kontist-auth web demo";
/** How many new transactions the page lists, at most (the newest). */
const shownTransactions = 10;
/** What _Book a test transaction_ books in the local sandbox. */
const testTransaction = { amount: -499, name: "Test transaction (sandbox)" };

const state: PageState = {
  token: null,
  account: undefined,
  transactions: [],
  transactionsLive: false,
  device: undefined,
  running: true,
  waitingForUser: false,
  cancellable: undefined,
  bindingStepsDone: 0,
  bindingRequest: undefined,
};

/** Changes the page's state (type-checked, unlike a bare `Object.assign`); {@link showPage} draws it. */
function update(changes: Partial<PageState>): void {
  Object.assign(state, changes);
}

/** The controller of the action under way; a cancel button aborts it. */
let current: AbortController | undefined;

/** What {@link run} needs to know besides the action. */
interface ActionOptions {
  /** The status line while it runs. */
  working: string;
  /** Which cancel button it offers, if any. */
  cancellable?: PageState["cancellable"];
  /** The status line when the user cancelled it. */
  cancelled?: string;
  /** Whether it waits for the user from the start (a push approval). */
  waitsForUser?: boolean;
}

/**
 * Runs one user action: buttons off meanwhile, its outcome on the status line, a failure by its code; a
 * cancel by the user is an outcome, not an error.
 */
async function run(options: ActionOptions, action: (signal: AbortSignal) => Promise<string>): Promise<void> {
  const controller = new AbortController();
  current = controller;
  update({
    running: true,
    waitingForUser: options.waitsForUser ?? false,
    cancellable: options.cancellable,
  });
  showOutcome({ status: options.working });
  showPage(state);
  try {
    showOutcome({ status: await action(controller.signal) });
  } catch (error) {
    if (controller.signal.aborted && options.cancelled !== undefined)
      showOutcome({ status: options.cancelled });
    else showOutcome({ status: "", error: describeError(error) });
  } finally {
    current = undefined;
    update({ running: false, waitingForUser: false, cancellable: undefined });
    showPage(state);
  }
}

/** Updates the page while an action runs (e.g. a binding that moved on a step). */
function progress(status: string, changes: Partial<PageState>): void {
  update(changes);
  showOutcome({ status });
  showPage(state);
}

function createClient(apiUrl: string, pkce: PkcePair): Client {
  return new Client({ baseUrl: apiUrl, clientId, redirectUri, scopes, ...pkce });
}

/** Whether the page is the authorization server's answer (RFC 6749 §4.1.2, §4.1.2.1). */
function isAuthorizationResponse(url: URL): boolean {
  return url.searchParams.has("state") && (url.searchParams.has("code") || url.searchParams.has("error"));
}

/**
 * The user's account over GraphQL; banking data, so it needs a confirmed token.
 *
 * @throws {GraphQLError} (`GRAPHQL_ERROR`) when the token is not confirmed; the request errors otherwise.
 */
async function loadAccount(client: Client): Promise<Account> {
  const { viewer } = await client.graphQL.rawQuery<{
    viewer: { email: string; mainAccount: { iban: string; balance: number } | null };
  }>("{ viewer { email mainAccount { iban balance } } }");
  return { email: viewer.email, iban: viewer.mainAccount?.iban, balance: viewer.mainAccount?.balance };
}

async function start(): Promise<void> {
  const apiUrl = readApiUrl(location.href, sessionStorage, import.meta.env.VITE_KONTIST_API);
  showApi(apiUrl, sandboxPhoneUrl(apiUrl));

  const callbackUrl = location.href;
  const returning = isAuthorizationResponse(new URL(callbackUrl));
  const pending = takePendingLogin(sessionStorage);
  // Every page load gets a fresh pair; the answer to a login is read with that login's own pair.
  const client = createClient(apiUrl, (returning ? pending : undefined) ?? createPkcePair());

  /** The live feed of new transactions under the account shown; aborting it ends its subscription. */
  let feed: AbortController | undefined;

  /** Ends the live feed, if any: no event is shown after it. */
  function stopTransactions(): void {
    feed?.abort();
    feed = undefined;
    update({ transactionsLive: false });
  }

  /**
   * Shows the account's new transactions live and keeps its balance up to date, until
   * {@link stopTransactions}; a failure of the subscription ends it and shows by its code.
   *
   * @throws {TypeError} when this browser cannot subscribe (no `WebSocket`).
   */
  function followTransactions(): void {
    stopTransactions();
    const controller = new AbortController();
    feed = controller;
    followNewTransactions(client, {
      signal: controller.signal,
      onTransaction: (transaction) => {
        update({ transactions: [transaction, ...state.transactions].slice(0, shownTransactions) });
        showPage(state);
      },
      onBalance: (balance) => {
        if (state.account !== undefined) update({ account: { ...state.account, balance } });
        showPage(state);
      },
      onBalanceError: (error) => showOutcome({ status: "", error: describeError(error) }),
      onEnd: (error) => {
        feed = undefined;
        update({ transactionsLive: false });
        showOutcome(
          error === undefined
            ? { status: "The API ended the live transactions: Show account follows them again." }
            : { status: "", error: describeError(error) },
        );
        showPage(state);
      },
    });
    update({ transactionsLive: true });
  }

  /** Loads the account (a confirmed token needed), then follows its new transactions from an empty list. */
  async function showAccountLive(): Promise<void> {
    stopTransactions();
    update({ account: undefined, transactions: [] });
    state.account = await loadAccount(client);
    followTransactions();
  }

  client.auth.tokenManager.onTokenChange((token) => {
    state.token = token;
    if (token === null || !token.confirmed) {
      // Logout, or a renewal that gave an unconfirmed token: banking data, the live feed included, goes.
      stopTransactions();
      update({ account: undefined, transactions: [] });
    }
    showPage(state);
  });
  // The subscription ends with the page; a page restored from the back/forward cache follows again.
  addEventListener("pagehide", stopTransactions);
  addEventListener("pageshow", (event) => {
    if (event.persisted && state.account !== undefined && feed === undefined) followTransactions();
  });

  const { buttons } = elements;
  elements.cancel.push.onclick = () => current?.abort();
  elements.cancel.binding.onclick = () => current?.abort();

  buttons.login.onclick = () =>
    run({ working: "Opening the login page…" }, async () => {
      const pkce = createPkcePair();
      savePendingLogin(sessionStorage, pkce);
      // MFA comes after the login, in this app (push approval, or this browser's key), so the login skips it.
      location.assign(await createClient(apiUrl, pkce).auth.tokenManager.getAuthUri({ skipMfa: true }));
      return "Redirecting to the login page…";
    });

  buttons.push.onclick = () =>
    run(
      {
        working: "Waiting for your approval on your phone…",
        cancellable: "push",
        cancelled: "Push approval cancelled: you are still logged in, not confirmed.",
        waitsForUser: true,
      },
      async (signal) => {
        // Creates a push challenge, polls it until the user approves (or denies) it on their phone, then
        // takes the confirmed token; `signal` stops the polling.
        await client.auth.push.getConfirmedToken({ signal });
        await showAccountLive();
        return "Confirmed on your phone. Account loaded.";
      },
    );

  buttons.bind.onclick = () =>
    run(
      {
        working: "Binding this browser: asking for a device binding request…",
        cancellable: "binding",
        cancelled: "Binding cancelled: this browser is not bound.",
      },
      async (signal) => {
        try {
          const signer = await createWebCryptoSigner(); // non-extractable private key
          const { deviceId } = await client.auth.device.bind({
            signer,
            name: deviceName,
            signal,
            // Kontist e-mails the user (or asks on a device already bound); binding goes on once confirmed.
            onBindingRequest: (request) =>
              progress("Confirm the device binding request in the e-mail we sent you.", {
                bindingStepsDone: bindingSteps.indexOf("confirmed"),
                bindingRequest: request,
                waitingForUser: true,
              }),
            otp: () => {
              progress("Enter the code we sent you by SMS.", {
                bindingStepsDone: bindingSteps.indexOf("otp"),
                waitingForUser: true,
              });
              return askForOtp(elements.otpForm, signal);
            },
          });
          progress("Binding this browser: keeping its key…", {
            bindingStepsDone: bindingSteps.indexOf("bound"),
            waitingForUser: false,
          });
          await saveBoundDevice({ deviceId, keyPair: signer.keyPair });
          state.device = await loadBoundDevice();
          state.bindingStepsDone = bindingSteps.length;
          return `Bound this browser as device ${deviceId}.`;
        } catch (error) {
          // A new binding starts from a new request.
          update({ bindingStepsDone: 0, bindingRequest: undefined });
          throw error;
        }
      },
    );

  buttons.confirm.onclick = () =>
    run({ working: "Confirming with this browser's key…" }, async () => {
      const device = await loadBoundDevice();
      if (device === undefined) return "This browser is not bound yet: bind it first.";
      const signer = await createWebCryptoSigner({ keyPair: device.keyPair });
      await client.auth.device.confirm({ signer, deviceId: device.deviceId });
      await showAccountLive();
      return `Confirmed with this browser's key (device ${device.deviceId}). Account loaded.`;
    });

  buttons.forget.onclick = () =>
    run({ working: "Forgetting this browser's key…" }, async () => {
      await forgetBoundDevice();
      update({ device: undefined, bindingStepsDone: 0, bindingRequest: undefined });
      return "Forgot this browser's device key.";
    });

  buttons.showAccount.onclick = () =>
    run({ working: "Loading the account…" }, async () => {
      await showAccountLive();
      return "Account loaded.";
    });

  // Shown against a local sandbox only (`.sandbox-only`): it plays the bank booking a transaction.
  buttons.book.onclick = () =>
    run({ working: "Booking a test transaction in the sandbox…" }, async (signal) => {
      await bookSandboxTransaction(apiUrl, { ...testTransaction, email: state.account?.email }, signal);
      return "Booked a test transaction in the sandbox: it shows below as it arrives.";
    });

  buttons.renew.onclick = () =>
    run({ working: "Renewing silently…" }, async () => {
      await client.auth.tokenManager.refresh();
      return "Renewed silently: a new token from the login session.";
    });

  buttons.logout.onclick = () =>
    run({ working: "Logging out…" }, async () => {
      stopTransactions(); // forgetting the token ends it too; this ends it even when the logout fails
      // Forgets the token and ends the login session at the API (a hidden iframe to /oauth/logout).
      await client.auth.tokenManager.logout();
      return "Logged out.";
    });

  await run({ working: "Starting…" }, async () => {
    state.device = await loadBoundDevice();
    state.bindingStepsDone = state.device === undefined ? 0 : bindingSteps.length;
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

// The buttons start disabled (index.html); `run` enables those that apply, so a failed start leaves them off.
start().catch((error: unknown) => {
  showOutcome({ status: "", error: describeError(error) });
  elements.main.setAttribute("aria-busy", "false");
  elements.main.removeAttribute("data-running");
});
