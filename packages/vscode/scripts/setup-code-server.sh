#!/usr/bin/env bash
# Installs code-server (a VS Code that runs offline) into a cache folder for the end-to-end test.
# Idempotent: a finished install is detected by a marker file and the script exits at once.
# code-server is not a dependency of the repo because its install scripts fail offline and as root
# (unsafe-perm, a ripgrep download), which would break `npm ci`; the steps below avoid both.
# Usage: setup-code-server.sh            prints the path of the code-server launcher on success.
set -euo pipefail

VERSION=4.100.3 # the last release that runs on Node 20
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cache="${MATRYOSHKA_CACHE:-$repo_root/.cache}"
dir="$cache/code-server-$VERSION"
launcher="$dir/node_modules/code-server/out/node/entry.js"
marker="$dir/.installed"

if [[ -f "$marker" && -f "$launcher" ]]; then
  echo "$launcher"
  exit 0
fi

need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v chromium >/dev/null || need_apt+=(chromium)
[[ -e /usr/include/krb5.h || -e /usr/include/gssapi/gssapi.h ]] || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing ${need_apt[*]} with apt" >&2
    flock /tmp/apt.lock sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need_apt[*]}" >&2 ||
      { flock /tmp/apt.lock apt-get update -qq >&2 &&
        flock /tmp/apt.lock sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need_apt[*]}" >&2; }
  else
    echo "missing system packages: ${need_apt[*]} (apt-get install -y ${need_apt[*]})" >&2
    exit 1
  fi
fi

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo '{ "name": "code-server-cache", "private": true }' >package.json
# Root may not run lifecycle scripts as another user; the scripts are run by hand below instead.
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
echo "installing code-server@$VERSION into $dir" >&2
npm install --no-save --ignore-scripts --loglevel=error "code-server@$VERSION" >&2
npm rebuild argon2 --loglevel=error >&2

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --loglevel=error >&2
# @vscode/ripgrep's postinstall downloads a binary from GitHub; the distribution's rg is the same tool.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild --loglevel=error >&2

cd "$dir/node_modules/code-server"
npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh >&2

touch "$marker"
echo "$launcher"
