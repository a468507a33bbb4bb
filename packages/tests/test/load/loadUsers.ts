import type { SandboxUserSeed } from "@kontist-auth/sandbox";

// The users of a load run: one per flow, so that each flow reads its own SMS (OTPs never mix), and the
// per-user limits (`deviceRegistrationLimit`: one device per flow) hold at their defaults.

/** `count` users, `load-0@example.com` … with their own password and mobile number; the same on every call. */
export function loadUsers(count: number): SandboxUserSeed[] {
  return Array.from({ length: count }, (_, index) => ({
    email: `load-${index}@example.com`,
    password: `load-password-${index}`,
    mobileNumber: `+49152${String(index).padStart(8, "0")}`,
  }));
}
