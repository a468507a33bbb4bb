/** The paths of the sandbox's phone page and of its buttons' form posts (test support, loopback only). */
export const phonePaths = {
  /** The page: SMS, e-mails, pending push challenges and device binding requests. */
  page: "/sandbox/phone",
  approveMfaChallenge: (challengeId: string) =>
    `/sandbox/phone/mfa-challenges/${encodeURIComponent(challengeId)}/approve`,
  denyMfaChallenge: (challengeId: string) =>
    `/sandbox/phone/mfa-challenges/${encodeURIComponent(challengeId)}/deny`,
  confirmDeviceBindingRequest: (requestId: string) =>
    `/sandbox/phone/device-binding-requests/${encodeURIComponent(requestId)}/confirm`,
  rejectDeviceBindingRequest: (requestId: string) =>
    `/sandbox/phone/device-binding-requests/${encodeURIComponent(requestId)}/reject`,
} as const;
