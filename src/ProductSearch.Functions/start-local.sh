#!/usr/bin/env bash
# The one run command (`npm start`): installs what the app needs on this machine, starts Azurite and the
# Functions host. Whatever cannot be had is named, with how to get it, and the script exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/src/ProductSearch.Functions"
cd "$root"

fail() { echo "error: $*" >&2; exit 1; }

# Prerequisites first, each against what the pinned tools declare, so a wrong version is named before anything is
# installed. `--check` stops after them.
sdk_wanted=$(sed -n 's/.*"version": *"\([0-9]*\)\..*/\1/p' global.json | head -n 1)
command -v dotnet >/dev/null || fail ".NET SDK $sdk_wanted is missing: install it from https://dot.net (global.json asks for $sdk_wanted.0.100 or a later feature band)."
sdk_found=$(dotnet --list-sdks | sed -n 's/^\([0-9]*\)\..*/\1/p' | sort -n | tail -n 1)
[ "${sdk_found:-0}" -ge "$sdk_wanted" ] \
  || fail ".NET SDK $sdk_wanted is needed (global.json); this machine has: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' ')- install it from https://dot.net."

# Azurite 3.37.0 declares node >=22, but runs on Node.js 20 (the test suite runs it so on every CI run); older fails.
node_oldest=20
command -v node >/dev/null && command -v npm >/dev/null \
  || fail "Node.js and npm are missing (needed for Azurite): install Node.js 22 (or at least $node_oldest) from https://nodejs.org."
node_found=$(node --version | sed -n 's/^v\([0-9]*\)\..*/\1/p')
azurite_declares=$(node -p "require('./package-lock.json').packages['node_modules/azurite'].engines.node" 2>/dev/null || echo unknown)
[ "${node_found:-0}" -ge "$node_oldest" ] \
  || fail "Node.js $(node --version) is too old for Azurite, which declares node $azurite_declares: install Node.js 22 (at least $node_oldest) from https://nodejs.org."
azurite_major=$(sed -n 's/^>=\([0-9]*\).*/\1/p' <<<"$azurite_declares")
if [ -n "$azurite_major" ] && [ "$node_found" -lt "$azurite_major" ]; then
  echo "note: Node.js $(node --version): Azurite declares node $azurite_declares, so npm warns EBADENGINE; it runs on Node.js $node_oldest and later."
fi
echo "Prerequisites: .NET SDK $sdk_found (global.json: $sdk_wanted), Node.js $(node --version), npm $(npm --version)."
[ "${1:-}" = "--check" ] && exit 0

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

# Azure Functions Core Tools: its npm package downloads the host binary when it installs.
func_bin="$(command -v func || true)"
if [ -z "$func_bin" ]; then
  if [ ! -x node_modules/.bin/func ]; then
    echo "Installing Azure Functions Core Tools 4 into node_modules (downloads the host, about 200 MB)..."
    npm install --no-save --no-audit --no-fund --foreground-scripts azure-functions-core-tools@4 \
      || fail "could not install Azure Functions Core Tools. Install it yourself: https://learn.microsoft.com/azure/azure-functions/functions-run-local (npm i -g azure-functions-core-tools@4, brew, apt or winget)."
  fi
  func_bin="$root/node_modules/.bin/func"
  [ -x "$func_bin" ] || fail "Azure Functions Core Tools did not install a 'func' binary; install it yourself: https://learn.microsoft.com/azure/azure-functions/functions-run-local"
fi

[ -f "$app/local.settings.json" ] || cp local.settings.sample.json "$app/local.settings.json"

# VGG16 is the default model: build it from the Keras weights the first time (downloads about 56 MiB).
descriptor=$(sed -n 's/.*"Model__Descriptor": *"\([^"]*\)".*/\1/p' "$app/local.settings.json")
if [[ "${descriptor:-models/vgg16.json}" == models/vgg16* ]] && [ ! -f models/vgg16-notop.onnx ]; then
  dotnet run --project src/ProductSearch.Cli -- model build-vgg16 \
    || fail "could not build models/vgg16-notop.onnx (it needs the internet once). Or use the bundled ResNet18: set \"Model__Descriptor\": \"models/resnet18-l3l4.json\" in $app/local.settings.json."
fi

mkdir -p .azurite
node_modules/.bin/azurite --silent --location .azurite --skipApiVersionCheck --loose &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT
echo "Azurite started (blob 10000, queue 10001, table 10002)."

cd "$app"
"$func_bin" start
