import { describeSignerConformance } from "@kontist-auth/crypto/testing";
import { afterAll } from "vitest";
import { deleteTestKeys, newKeyLocation } from "../test/keychainStore";
import { createKeychainSigner } from "./createKeychainSigner";

// The signer contract every backend meets, against the real Secret Service, 100 concurrent signs.
afterAll(deleteTestKeys);

describeSignerConformance("createKeychainSigner (Secret Service)", async () => {
  const signer = await createKeychainSigner(newKeyLocation());
  return { signer, deleteKey: () => signer.deleteKey() };
});
