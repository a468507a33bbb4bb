import type { Context } from "../Context";
import { deleteProfile } from "../config/profile";
import { deleteSignerKey } from "../signers";

/**
 * `logout [--forget]`: deletes the profile's token (Kontist documents no revocation: an access token
 * already handed out stays valid until it expires). With `--forget`, also the profile and this device's
 * key — the device stays bound at Kontist; remove it first with `device remove`.
 *
 * @throws the token store's errors when the token file cannot be changed.
 */
export async function logout(context: Context, options: { forget?: boolean | undefined }): Promise<void> {
  const profile = await context.findProfile();
  if (profile !== undefined) await context.client(profile).auth.tokenManager.logout();
  if (options.forget === true) {
    if (profile?.device !== undefined) await deleteSignerKey(context, profile.device.signer);
    await deleteProfile(context.paths);
  }
  context.terminal.result(
    { profile: context.profileName, loggedOut: true, forgotten: options.forget === true },
    [
      `Logged out of profile "${context.profileName}"${options.forget ? "; the profile and its device key are deleted" : ""}.`,
    ],
  );
}
