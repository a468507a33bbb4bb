/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API base URL baked in at build time; default `http://127.0.0.1:4010` (the local sandbox). */
  readonly VITE_KONTIST_API?: string;
}
