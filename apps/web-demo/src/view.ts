import type { DeviceBindingRequest, Token } from "@kontist-auth/client";
import type { BoundDevice } from "./boundDevice";
import { bindingSteps, type StepState, signInStepStates, stepStates } from "./flowSteps";
import type { NewTransaction } from "./followNewTransactions";

// The page shows ids and claims only, never a token: the token lives in the client's memory.

/** The account as the page shows it (`viewer { email mainAccount { iban balance } }`). */
export interface Account {
  email: string;
  iban: string | undefined;
  /** In cents, as the API sends it. */
  balance: number | undefined;
}

/** Everything the page shows, in one place: {@link showPage} draws it. */
export interface PageState {
  /** The client's current token (`onTokenChange`). */
  token: Token | null;
  /** The account, loaded with a confirmed token. */
  account: Account | undefined;
  /** The transactions booked since the account was shown, newest first (`newTransaction`). */
  transactions: readonly NewTransaction[];
  /** Whether they show live: the `newTransaction` subscription runs. */
  transactionsLive: boolean;
  /** This browser's device key, when it was bound (the opt-in path). */
  device: BoundDevice | undefined;
  /** An action is under way: the buttons are off. */
  running: boolean;
  /** The action under way waits for the user (on their phone, in their mailbox, at the SMS code form). */
  waitingForUser: boolean;
  /** The action under way that the user may cancel, if any. */
  cancellable: "push" | "binding" | undefined;
  /** How many of the binding steps are done (0 to 5). */
  bindingStepsDone: number;
  /** The binding request of the binding under way. */
  bindingRequest: DeviceBindingRequest | undefined;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

function one<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`${selector} is missing from index.html`);
  return element;
}

function all<T extends HTMLElement>(selector: string): T[] {
  return Array.from(document.querySelectorAll<T>(selector));
}

/** The page's elements, looked up once. */
export const elements = {
  main: one("main"),
  api: byId("api"),
  phoneLinks: all<HTMLAnchorElement>("a.phone-link"),
  sandboxOnly: all(".sandbox-only"),
  status: byId("status"),
  error: byId("error"),
  signInSteps: one<HTMLOListElement>("ol.steps"),
  bindingSteps: one<HTMLOListElement>("ol.binding-steps"),
  buttons: {
    login: byId<HTMLButtonElement>("login"),
    push: byId<HTMLButtonElement>("push"),
    bind: byId<HTMLButtonElement>("bind"),
    confirm: byId<HTMLButtonElement>("confirm"),
    forget: byId<HTMLButtonElement>("forget"),
    showAccount: byId<HTMLButtonElement>("show-account"),
    book: byId<HTMLButtonElement>("book-transaction"),
    renew: byId<HTMLButtonElement>("renew"),
    logout: byId<HTMLButtonElement>("logout"),
  },
  cancel: {
    push: byId<HTMLButtonElement>("push-cancel"),
    binding: byId<HTMLButtonElement>("bind-cancel"),
  },
  pushWaiting: byId("push-waiting"),
  browserBinding: byId<HTMLDetailsElement>("browser-binding"),
  bindingRequest: byId("binding-request"),
  device: byId("device"),
  otpForm: { form: byId<HTMLFormElement>("otp-form"), input: byId<HTMLInputElement>("otp") },
  account: {
    list: byId("account"),
    email: byId("account-email"),
    iban: byId("account-iban"),
    balance: byId("account-balance"),
  },
  transactions: {
    section: byId("transactions"),
    live: byId("transactions-live"),
    list: byId<HTMLUListElement>("transactions-list"),
    none: byId("transactions-none"),
  },
  session: {
    user: byId("user"),
    confirmed: byId("confirmed"),
    expires: byId("expires"),
    renewal: byId("renewal"),
  },
};

/**
 * Shows which API the page talks to, and links the local sandbox's phone page wherever the page tells
 * the user to look at their phone or mailbox (hidden when the API is not a local sandbox).
 */
export function showApi(apiUrl: string, phoneUrl: string | undefined): void {
  elements.api.textContent = apiUrl;
  for (const link of elements.phoneLinks) if (phoneUrl !== undefined) link.href = phoneUrl;
  for (const element of elements.sandboxOnly) element.hidden = phoneUrl === undefined;
}

const balanceFormat = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" });

/** Marks each `<li data-step>` of `list` with its state: `data-state`, `aria-current` and its label. */
function showSteps(list: HTMLElement, states: Readonly<Record<string, StepState>>): void {
  for (const item of Array.from(list.querySelectorAll<HTMLElement>(":scope > li[data-step]"))) {
    const state = states[item.dataset.step ?? ""] ?? "pending";
    item.dataset.state = state;
    if (state === "current") item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
    const label = item.querySelector<HTMLElement>(".step-state");
    if (label !== null) {
      label.dataset.state = state;
      label.textContent = state;
    }
  }
}

function showSession(token: Token | null): void {
  const { session } = elements;
  const sub = token?.claims?.sub;
  session.user.textContent = token === null ? "not logged in" : typeof sub === "string" ? sub : "unknown";
  session.confirmed.textContent = token === null ? "—" : token.confirmed ? "yes" : "no";
  session.expires.textContent = token?.expiresAt?.toLocaleTimeString() ?? "—";
  session.renewal.textContent =
    token === null ? "—" : token.refreshToken === undefined ? "silent (no refresh token)" : "refresh token";
}

function showAccount(account: Account | undefined): void {
  const { list, email, iban, balance } = elements.account;
  list.hidden = account === undefined;
  email.textContent = account?.email ?? "";
  iban.textContent = account?.iban ?? "no account";
  balance.textContent = account?.balance === undefined ? "—" : balanceFormat.format(account.balance / 100);
}

/** One `<li>` of the live list: the amount, formatted as the balance is, and the name. */
function transactionItem(transaction: NewTransaction): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset.id = transaction.id;
  const amount = document.createElement("span");
  amount.className = "transaction-amount";
  amount.dataset.sign = transaction.amount < 0 ? "out" : "in";
  amount.textContent = balanceFormat.format(transaction.amount / 100);
  const name = document.createElement("span");
  name.className = "transaction-name";
  name.textContent = transaction.name ?? "(no name)";
  item.append(amount, name);
  return item;
}

function showTransactions(state: PageState): void {
  const { section, live, list, none } = elements.transactions;
  section.hidden = state.account === undefined;
  live.dataset.live = String(state.transactionsLive);
  live.textContent = state.transactionsLive ? "live" : "stopped";
  none.hidden = state.transactions.length > 0;
  // Built with textContent: a transaction's name comes from the API, never parsed as HTML.
  list.replaceChildren(...state.transactions.map(transactionItem));
}

function showBinding(state: PageState): void {
  const { device, bindingRequest, cancellable } = state;
  showSteps(
    elements.bindingSteps,
    stepStates(bindingSteps, state.bindingStepsDone, cancellable === "binding"),
  );
  elements.bindingRequest.textContent =
    bindingRequest === undefined
      ? "—"
      : `${bindingRequest.id}, for “${bindingRequest.deviceName}” from ${bindingRequest.ipAddress} (${bindingRequest.address})`;
  elements.device.textContent =
    device === undefined
      ? "not bound"
      : `${device.deviceId} (key in IndexedDB, extractable: ${device.keyPair.privateKey.extractable})`;
  // The opt-in stays folded away until the user opens it, or this browser is bound or binding.
  if (device !== undefined || cancellable === "binding") elements.browserBinding.open = true;
}

/**
 * Draws `state`: the steps and where they stand, the session, the account and its new transactions, the
 * binding, which buttons can be used, which cancel button is offered. `data-running` on `<main>` is there
 * while an action runs; `aria-busy` only while the app itself works, not while it waits for the user.
 */
export function showPage(state: PageState): void {
  const { token, device, running, cancellable } = state;
  const loggedIn = token !== null;
  const confirmed = token?.confirmed ?? false;
  showSteps(
    elements.signInSteps,
    signInStepStates({ loggedIn, confirmed, accountShown: state.account !== undefined }),
  );
  showSession(token);
  showAccount(state.account);
  showTransactions(state);
  showBinding(state);

  const { buttons } = elements;
  const usable = {
    login: !loggedIn,
    push: loggedIn && !confirmed,
    bind: loggedIn && device === undefined,
    confirm: loggedIn && !confirmed && device !== undefined,
    forget: device !== undefined,
    showAccount: loggedIn,
    book: state.account !== undefined,
    renew: loggedIn,
    logout: loggedIn,
  } satisfies Record<keyof typeof buttons, boolean>;
  for (const [name, button] of Object.entries(buttons)) {
    button.disabled = running || !usable[name as keyof typeof buttons];
  }
  elements.pushWaiting.hidden = cancellable !== "push";
  elements.cancel.binding.hidden = cancellable !== "binding";

  elements.main.setAttribute("aria-busy", String(running && !state.waitingForUser));
  elements.main.toggleAttribute("data-running", running);
}

/** Shows an action's outcome: a status line, or an error line (by the error's code). */
export function showOutcome(outcome: { status: string; error?: string }): void {
  elements.status.textContent = outcome.status;
  elements.error.textContent = outcome.error ?? "";
}
