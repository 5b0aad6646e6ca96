#!/usr/bin/env bash
# The one run command (`npm start`): installs what the app needs on this machine, starts Azurite and the
# Functions host. Whatever cannot be had is named, with how to get it, and the script exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/src/ProductSearch.Functions"
cd "$root"

fail() { echo "error: $*" >&2; exit 1; }

command -v dotnet >/dev/null || fail ".NET SDK 10 is missing: install it from https://dot.net (see global.json)."
command -v node >/dev/null || fail "Node.js is missing (needed for Azurite): install Node.js 20 or later from https://nodejs.org."

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
