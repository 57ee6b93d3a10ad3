#!/bin/sh
# Installs what the end-to-end tests need on a fresh Debian 12, as root, without questions:
# Debian's Chromium (driven by playwright-core, which never downloads a browser here) and the
# headers and ripgrep that code-server's npm install builds against. Safe to run again.
# code-server itself is installed from npm by `npm run test:e2e` into a cache outside the repo.
set -eu

if [ "$(id -u)" != 0 ]; then
  echo "install-e2e-packages.sh: run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

PACKAGES="chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev build-essential python3 fonts-dejavu-core"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  apt-get update
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y --no-install-recommends $missing
fi

/usr/bin/chromium --version
rg --version | head -n 1
echo "install-e2e-packages.sh: chromium and code-server build dependencies ready"
