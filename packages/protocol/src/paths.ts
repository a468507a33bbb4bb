/**
 * One path segment for an id, percent-encoded. An id that is empty, `.` or `..` (also percent-encoded,
 * as `%2e`) would not name a resource but change the path (RFC 3986 §5.2.4 removes dot segments), so it
 * is refused before anything is sent.
 *
 * @throws {TypeError} for such an id.
 */
function segment(id: string): string {
  if (typeof id !== "string" || /^(?:\.|%2e){0,2}$/i.test(id)) {
    throw new TypeError("An id in a path must be a non-empty string other than . or .. (nor %2e, %2e%2e).");
  }
  return encodeURIComponent(id);
}

/**
 * The paths of the Kontist API, relative to its base URL (`https://api.kontist.com`). Ids are
 * percent-encoded; an empty id, `.` or `..` (or `%2e`, `%2e%2e`) throws a `TypeError`.
 *
 * @example
 * new URL(paths.deviceChallenges(deviceId), baseUrl);
 */
export const paths = {
  authorize: "/api/oauth/authorize",
  token: "/api/oauth/token",
  devices: "/api/user/devices",
  verifyDevice: (deviceId: string) => `/api/user/devices/${segment(deviceId)}/verify`,
  deviceChallenges: (deviceId: string) => `/api/user/devices/${segment(deviceId)}/challenges`,
  verifyDeviceChallenge: (deviceId: string, challengeId: string) =>
    `/api/user/devices/${segment(deviceId)}/challenges/${segment(challengeId)}/verify`,
  mfaChallenges: "/api/user/mfa/challenges",
  mfaChallenge: (challengeId: string) => `/api/user/mfa/challenges/${segment(challengeId)}`,
  mfaChallengeToken: (challengeId: string) => `/api/user/mfa/challenges/${segment(challengeId)}/token`,
  graphQL: "/api/graphql",
  /**
   * Ends the browser's login session at the authorization server. Kontist's docs give this path without
   * `/api`; load it in a hidden iframe.
   */
  logout: "/oauth/logout",
} as const;

/** Test-support paths of `@kontist-auth/sandbox`; they do not exist at Kontist. */
export const sandboxPaths = {
  sms: "/sandbox/sms",
  emails: "/sandbox/emails",
  confirmDeviceBindingRequest: (requestId: string) =>
    `/sandbox/device-binding-requests/${segment(requestId)}/confirm`,
  rejectDeviceBindingRequest: (requestId: string) =>
    `/sandbox/device-binding-requests/${segment(requestId)}/reject`,
  /** The page the link of a device binding e-mail opens: the request, with "Confirm" and "Reject" buttons. */
  deviceBindingRequestPage: (requestId: string) => `/sandbox/device-binding-requests/${segment(requestId)}`,
  jwks: "/sandbox/jwks.json",
  stats: "/sandbox/stats",
  reset: "/sandbox/reset",
  faults: "/sandbox/faults",
  mfaChallenges: "/sandbox/mfa/challenges",
  approveMfaChallenge: (challengeId: string) => `/sandbox/mfa/challenges/${segment(challengeId)}/approve`,
  denyMfaChallenge: (challengeId: string) => `/sandbox/mfa/challenges/${segment(challengeId)}/deny`,
  /**
   * The "Approve on phone (sandbox)" button of the login's MFA waiting page: approves the pending login's
   * push challenge and continues the login (a form post with the waiting page's fields).
   */
  approveLogin: "/sandbox/authorize/approve",
  /**
   * Books a transaction on a user's main account and publishes it to their GraphQL subscribers
   * (`newTransaction`); see `sandboxTransactionRequestSchema`.
   */
  transactions: "/sandbox/transactions",
} as const;
