/** The form that asks for the SMS code, and its input. */
export interface OtpForm {
  form: HTMLFormElement;
  input: HTMLInputElement;
}

/**
 * Shows the form and resolves with the code the user submits (six digits, checked by the input's
 * `pattern`). The form is hidden again once it is submitted or `signal` aborts.
 *
 * @throws `signal.reason` (rejects with it) when `signal` aborts before a code is submitted.
 * @example
 * const controller = new AbortController(); // controller.abort() when the user cancels
 * const otp = await askForOtp({ form, input }, controller.signal);
 */
export function askForOtp({ form, input }: OtpForm, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const close = () => {
      form.removeEventListener("submit", onSubmit);
      signal.removeEventListener("abort", onAbort);
      input.value = "";
      form.hidden = true;
    };
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      const otp = input.value.trim();
      close();
      resolve(otp);
    };
    const onAbort = () => {
      close();
      reject(signal.reason);
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    form.addEventListener("submit", onSubmit);
    signal.addEventListener("abort", onAbort, { once: true });
    input.value = "";
    form.hidden = false;
    input.focus();
  });
}
