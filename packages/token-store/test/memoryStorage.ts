import type { WebStorage } from "../src/webStorage/webStorageStore";

/** A `Storage` in memory (Node has no sessionStorage); `items` is the backing map, for inspection. */
export function memoryStorage(): WebStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => void items.set(name, String(value)),
    removeItem: (name) => void items.delete(name),
  };
}
