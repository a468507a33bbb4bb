import { segment } from "./pathSegment";

/**
 * The paths of the Kontist API, relative to its base URL (`https://api.kontist.com`). Ids are
 * percent-encoded; an empty id, `.` or `..` (or `%2e`, `%2e%2e`) throws a `TypeError`.
 *
 * @example
 * new URL(paths.deviceChallenges("b8b6b7ad-…"), "https://api.kontist.com"); // …/api/user/devices/b8b6b7ad-…/challenges
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
