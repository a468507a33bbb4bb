import { segment } from "../pathSegment";

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
