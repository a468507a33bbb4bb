import { deleteKeyPair, loadKeyPair, saveKeyPair } from "@kontist-auth/crypto";

/** A device bound to the user: its id at the API and its WebCrypto key pair. */
export interface BoundDevice {
  deviceId: string;
  keyPair: CryptoKeyPair;
}

/** The key pair's id in IndexedDB (`@kontist-auth/crypto`'s `kontist-auth` database). */
const keyPairId = "device";
/** The device id is no secret; it sits in localStorage next to the key it belongs to. */
const deviceIdKey = "kontist-web-demo:device-id";

/**
 * The device this browser bound earlier, if any: the key pair comes back from IndexedDB by structured
 * clone, its private key still non-extractable.
 *
 * @throws {KeyStorageError} / {IndexedDbUnavailableError} when IndexedDB fails.
 */
export async function loadBoundDevice(): Promise<BoundDevice | undefined> {
  const deviceId = localStorage.getItem(deviceIdKey);
  const keyPair = await loadKeyPair(keyPairId);
  return deviceId === null || keyPair === undefined ? undefined : { deviceId, keyPair };
}

/** Keeps a freshly bound device: the key pair in IndexedDB, the id in localStorage. */
export async function saveBoundDevice(device: BoundDevice): Promise<void> {
  await saveKeyPair(keyPairId, device.keyPair);
  localStorage.setItem(deviceIdKey, device.deviceId);
}

/** Forgets the device locally (the API still lists it until it is deleted there). */
export async function forgetBoundDevice(): Promise<void> {
  localStorage.removeItem(deviceIdKey);
  await deleteKeyPair(keyPairId);
}
