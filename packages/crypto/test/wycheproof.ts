import { readFileSync } from "node:fs";

/** One Wycheproof ECDSA test case (schema ecdsa_verify_schema / ecdsa_p1363_verify_schema). */
export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  /** Hex of the message. */
  msg: string;
  /** Hex of the signature: DER or P1363 r‖s depending on the file. */
  sig: string;
  result: "valid" | "invalid" | "acceptable";
}

/** A Wycheproof test case with its group's public key. */
export interface WycheproofCase extends WycheproofTest {
  /** Hex of the uncompressed public point 04‖X‖Y. */
  publicKey: string;
}

interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: { uncompressed: string }; tests: WycheproofTest[] }[];
}

/** The vector files copied into test/vectors/wycheproof (see the README there). */
export type WycheproofFileName =
  | "ecdsa_secp256r1_sha256_test.json"
  | "ecdsa_secp256r1_sha256_p1363_test.json";

/** Every case of a vector file, flattened, each with its group's public key. */
export function loadWycheproof(name: WycheproofFileName): { numberOfTests: number; cases: WycheproofCase[] } {
  const file = JSON.parse(
    readFileSync(new URL(`./vectors/wycheproof/${name}`, import.meta.url), "utf8"),
  ) as WycheproofFile;
  const cases = file.testGroups.flatMap((group) =>
    group.tests.map((test) => ({ ...test, publicKey: group.publicKey.uncompressed })),
  );
  return { numberOfTests: file.numberOfTests, cases };
}

/** Bytes of a hex string (test-only; the package's own decoder is under test). */
export function hex(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "hex"));
}
