#!/usr/bin/env bash
# Installs the Debian packages the tests run against, when they are missing: Chromium (browser tests), tmux
# (the CLI in a real pseudo-terminal),
# SoftHSM2 (PKCS#11 signer), GNOME Keyring + D-Bus (Secret Service for the keychain signer), Redis (token
# store). Idempotent and quick when everything is there. `pnpm test` runs it first, so the README's
# one test command sets up a fresh Debian/Ubuntu machine; elsewhere install the same programs by hand.
set -euo pipefail

packages=(chromium softhsm2 gnome-keyring dbus redis-server tmux)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-based system; install by hand: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-system-deps: missing ${missing[*]} and cannot install them (not root, no sudo)." >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
