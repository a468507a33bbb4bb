/**
 * Where a step of a flow stands: `done`; `current`, the one the user (or the app, for them) is on; or
 * `pending`, not reached yet.
 */
export type StepState = "done" | "current" | "pending";

/**
 * The states of a flow's steps, in order, once its first `done` steps are done: those are `done`, the
 * next is `current` when `inProgress` says the flow is under way, every other one is `pending`.
 *
 * @throws {RangeError} when `done` is not a whole number from 0 to the number of steps.
 * @example
 * stepStates(["login", "mfa", "account"], 1, true); // { login: "done", mfa: "current", account: "pending" }
 */
export function stepStates<const Step extends string>(
  steps: readonly Step[],
  done: number,
  inProgress: boolean,
): Record<Step, StepState> {
  if (!Number.isInteger(done) || done < 0 || done > steps.length) {
    throw new RangeError(`stepStates: done must be a whole number from 0 to ${steps.length}.`);
  }
  const states = {} as Record<Step, StepState>;
  steps.forEach((step, index) => {
    states[step] = index < done ? "done" : index === done && inProgress ? "current" : "pending";
  });
  return states;
}

/** The steps of the sign-in flow, as the page lists them. */
export const signInSteps = ["login", "mfa", "account"] as const;
/** One step of {@link signInSteps}. */
export type SignInStep = (typeof signInSteps)[number];

/** What the sign-in flow's steps are derived from. */
export interface SignInProgress {
  /** The client holds a token. */
  loggedIn: boolean;
  /** That token is confirmed: MFA passed (push approval or this browser's device key). */
  confirmed: boolean;
  /** The account (IBAN, balance) is on the page. */
  accountShown: boolean;
}

/**
 * The sign-in flow's step states: log in, then MFA, then the account. The first step not done is always
 * `current`: it is the user's next move.
 *
 * @example
 * signInStepStates({ loggedIn: true, confirmed: false, accountShown: false }).mfa; // "current"
 */
export function signInStepStates(progress: SignInProgress): Record<SignInStep, StepState> {
  const done = !progress.loggedIn ? 0 : !progress.confirmed ? 1 : !progress.accountShown ? 2 : 3;
  return stepStates(signInSteps, done, true);
}

/**
 * The steps of binding this browser, as Kontist's API wants it since December 2023: the binding request
 * is made, the user confirms it (the link in Kontist's e-mail, or a device already bound), the browser's
 * public key is registered, the user enters the SMS code (signed with the key), and the device is bound.
 */
export const bindingSteps = ["requested", "confirmed", "registered", "otp", "bound"] as const;
/** One step of {@link bindingSteps}. */
export type BindingStep = (typeof bindingSteps)[number];
