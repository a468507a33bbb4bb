import { project } from "../../vitest.preset.ts";

// Child processes, not worker threads: SoftHSM2 reads SOFTHSM2_CONF from the real process environment
// (a worker thread's process.env is a copy), and a PKCS#11 library's state is per process.
export default project("crypto-pkcs11", { test: { pool: "forks" } });
