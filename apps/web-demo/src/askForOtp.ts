/** The form that asks for the SMS code: the form, its input and its cancel button. */
export interface OtpForm {
  form: HTMLFormElement;
  input: HTMLInputElement;
  cancel: HTMLButtonElement;
}

/**
 * Shows the form and resolves with the code the user submits (six digits, checked by the input's
 * `pattern`); rejects with an `AbortError` when they cancel. The form is hidden again either way.
 */
export function askForOtp({ form, input, cancel }: OtpForm): Promise<string> {
  return new Promise((resolve, reject) => {
    const close = () => {
      form.removeEventListener("submit", onSubmit);
      cancel.removeEventListener("click", onCancel);
      input.value = "";
      form.hidden = true;
    };
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      const otp = input.value.trim();
      close();
      resolve(otp);
    };
    const onCancel = () => {
      close();
      reject(new DOMException("No SMS code was entered.", "AbortError"));
    };
    form.addEventListener("submit", onSubmit);
    cancel.addEventListener("click", onCancel);
    input.value = "";
    form.hidden = false;
    input.focus();
  });
}
