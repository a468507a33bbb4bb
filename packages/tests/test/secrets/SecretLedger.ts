// The secret values a hygiene run used, and every form in which one could leak: the value itself, its
// percent-, form- and JSON-encoded forms, the parts of a JWT (payload and signature segments), the first and
// last 16 characters of a token, and a private key as hex, base64, base64url or its list of bytes.

/** What kind of secret a value is. */
export type SecretKind =
  | "access token"
  | "refresh token"
  | "password"
  | "OTP"
  | "client secret"
  | "private key"
  | "encryption key"
  | "PIN"
  | "PKCE verifier";

/** One string searched for: a secret value or a part or encoding of it. */
export interface SecretForm {
  kind: SecretKind;
  /** Which form of the value, e.g. "whole", "JWT payload", "base64url". */
  form: string;
  text: string;
  /** Matched only between characters that are not letters or digits (a short number, e.g. an OTP). */
  bounded: boolean;
}

/** A secret found in captured output; `excerpt` shows its surroundings with the secret masked. */
export interface SecretFinding {
  source: string;
  kind: SecretKind;
  form: string;
  offset: number;
  excerpt: string;
}

/** Forms shorter than this are not searched: they would match ordinary text by chance. */
const minFormLength = 6;
const partLength = 16;

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function encodings(text: string): string[] {
  const percent = encodeURIComponent(text);
  const form = new URLSearchParams({ s: text }).toString().slice(2);
  const json = JSON.stringify(text).slice(1, -1);
  return [percent, form, json];
}

/** The secret values of a run, by kind, and the search for them in captured text. */
export class SecretLedger {
  readonly #values = new Map<string, SecretKind>();
  readonly #keys = new Map<string, { kind: SecretKind; bytes: Uint8Array }>();

  /** Records `value` as a secret of `kind`; empty and missing values are ignored. */
  add(kind: SecretKind, value: string | null | undefined): void {
    if (typeof value !== "string" || value === "") return;
    if (!this.#values.has(value)) this.#values.set(value, kind);
  }

  /** Records raw key material (a private key's 32 bytes). */
  addKey(kind: SecretKind, bytes: Uint8Array): void {
    this.#keys.set(Buffer.from(bytes).toString("hex"), { kind, bytes: Uint8Array.from(bytes) });
  }

  /** How many distinct values of each kind were recorded. */
  counts(): Record<SecretKind, number> {
    const counts: Record<SecretKind, number> = {
      "access token": 0,
      "refresh token": 0,
      password: 0,
      OTP: 0,
      "client secret": 0,
      "private key": 0,
      "encryption key": 0,
      PIN: 0,
      "PKCE verifier": 0,
    };
    for (const kind of this.#values.values()) counts[kind] += 1;
    for (const { kind } of this.#keys.values()) counts[kind] += 1;
    return counts;
  }

  /** Every string searched for, each distinct text once. */
  forms(): SecretForm[] {
    const forms = new Map<string, SecretForm>();
    const put = (kind: SecretKind, form: string, text: string, bounded = false) => {
      if (text.length >= minFormLength && !forms.has(text)) forms.set(text, { kind, form, text, bounded });
    };
    for (const [value, kind] of this.#values) {
      const short = /^[0-9]{1,12}$/.test(value);
      put(kind, "whole", value, short);
      for (const encoded of encodings(value)) put(kind, "encoded", encoded, short);
      if (kind !== "access token" && kind !== "refresh token") continue;
      const segments = value.split(".");
      if (segments.length === 3) {
        // The header is the same for every token of a server (`{"alg":"ES256",…}`); the rest is not.
        put(kind, "JWT payload", segments[1] ?? "");
        put(kind, "JWT signature", segments[2] ?? "");
      } else {
        put(kind, "first 16 characters", value.slice(0, partLength));
        put(kind, "last 16 characters", value.slice(-partLength));
      }
    }
    for (const { kind, bytes } of this.#keys.values()) {
      const hex = Buffer.from(bytes).toString("hex");
      put(kind, "hex", hex);
      put(kind, "hex, upper case", hex.toUpperCase());
      put(kind, "hex, first half", hex.slice(0, 32));
      put(kind, "base64", Buffer.from(bytes).toString("base64"));
      put(kind, "base64url", base64url(bytes));
      put(kind, "base64url, first 16 characters", base64url(bytes).slice(0, partLength));
      put(kind, "bytes as inspected", [...bytes].join(", "));
      put(kind, "bytes as JSON array", [...bytes].join(","));
    }
    return [...forms.values()];
  }

  /** Every occurrence of a secret form in `text`, which `source` produced. */
  search(source: string, text: string, forms: readonly SecretForm[] = this.forms()): SecretFinding[] {
    const findings: SecretFinding[] = [];
    for (const form of forms) {
      for (const offset of occurrences(text, form)) {
        const excerpt = text
          .slice(Math.max(0, offset - 60), offset + form.text.length + 60)
          .split(form.text)
          .join(`[${form.kind}]`);
        findings.push({ source, kind: form.kind, form: form.form, offset, excerpt });
      }
    }
    return findings;
  }
}

const alphanumeric = /[0-9A-Za-z]/;

function* occurrences(text: string, form: SecretForm): Generator<number> {
  for (let at = text.indexOf(form.text); at >= 0; at = text.indexOf(form.text, at + 1)) {
    if (form.bounded) {
      const before = text[at - 1] ?? " ";
      const after = text[at + form.text.length] ?? " ";
      if (alphanumeric.test(before) || alphanumeric.test(after)) continue;
    }
    yield at;
  }
}
