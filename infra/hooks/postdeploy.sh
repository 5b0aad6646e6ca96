#!/usr/bin/env bash
# Subscribes the blob trigger to BlobCreated events once the code is running: azd runs it after `azd deploy`
# (infra/azure.yaml); on the plain `az` path run it by hand after publishing (docs/deployment.md).
#
# It waits until the host has loaded the Event Grid blob trigger (its blobs_extension system key exists), then
# deploys app/blob-created-subscription.bicep, which reads the key itself so it never appears on a command line.
# Idempotent: a subscription that already succeeded is left alone (POSTDEPLOY_FORCE=1 re-deploys it).
#
# Input, as azd provides it (environment values and main.bicep's outputs): AZURE_SUBSCRIPTION_ID,
# AZURE_RESOURCE_GROUP, functionAppName, eventGridSystemTopicName, imagesContainerName,
# catalogueStorageAccountName, deadLetterContainerName. Outputs missing from the environment are read from the
# resource group's deployment AZURE_DEPLOYMENT_NAME (default: main). Every az call names the subscription, so the
# Azure CLI's own default subscription never matters (except `az version`, which asks Azure nothing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

fail() { echo "postdeploy: $*" >&2; exit 1; }

command -v az >/dev/null || fail "the Azure CLI (az) is not on PATH: https://learn.microsoft.com/cli/azure/install-azure-cli"
rg="${AZURE_RESOURCE_GROUP:-}"
[ -n "$rg" ] || fail "AZURE_RESOURCE_GROUP is not set: the resource group main.bicep was deployed to."

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

# Flex Consumption needs Azure CLI 2.60.0 or later (Microsoft's Flex how-to); an older az fails later with a less
# telling error, so it is named here, before anything else is asked of Azure.
az_minimum="2.60.0"
az_version="$(az version --query '"azure-cli"' -o tsv 2>"$errors")" || fail "az version failed: $(cat "$errors")"
version_at_least() {
  local IFS=. i have want
  local -a installed=($1) required=($2)
  for ((i = 0; i < ${#required[@]}; i++)); do
    have="${installed[i]:-0}"; have="${have%%[!0-9]*}"; want="${required[i]}"
    ((10#${have:-0} > 10#$want)) && return 0
    ((10#${have:-0} < 10#$want)) && return 1
  done
  return 0
}
version_at_least "$az_version" "$az_minimum" \
  || fail "the Azure CLI is $az_version; this hook needs $az_minimum or later (az upgrade)."

# az's stderr is kept, never thrown away: a failure stops the hook with az's own words (not logged in, no such
# subscription, no such resource group), instead of a wait that ends with a guess at the cause.
az_on() { az "$@" --subscription "$subscription" 2>"$errors"; }
az_or_fail() {
  local out
  out="$(az_on "$@")" || fail "az $1 $2 failed: $(cat "$errors")"
  printf '%s' "$out"
}

# The plain az path may leave AZURE_SUBSCRIPTION_ID unset: then the CLI's default is named once, here, and used
# explicitly from then on.
subscription="${AZURE_SUBSCRIPTION_ID:-}"
if [ -z "$subscription" ]; then
  subscription="$(az account show --query id -o tsv 2>"$errors")" \
    || fail "AZURE_SUBSCRIPTION_ID is not set and az has no default subscription: $(cat "$errors")"
  echo "postdeploy: AZURE_SUBSCRIPTION_ID is not set; using the Azure CLI's default subscription $subscription."
fi

# One cheap call that fails fast on every wrong-account cause before anything is polled.
az_or_fail group show -n "$rg" --query id -o tsv >/dev/null

output() {
  local name="$1" value="${!1:-}"
  if [ -z "$value" ]; then
    value="$(az_on deployment group show -g "$rg" -n "${AZURE_DEPLOYMENT_NAME:-main}" --query "properties.outputs.$name.value" -o tsv)" \
      || fail "could not read output $name of deployment ${AZURE_DEPLOYMENT_NAME:-main} in $rg: $(cat "$errors")"
  fi
  [ -n "$value" ] || fail "$name is empty: set it, or AZURE_DEPLOYMENT_NAME to the deployment of main.bicep."
  printf '%s' "$value"
}

app="$(output functionAppName)"
topic="$(output eventGridSystemTopicName)"
container="$(output imagesContainerName)"
catalogue="$(output catalogueStorageAccountName)"
deadletter="$(output deadLetterContainerName)"
subscriptionName="index-$container"

# Flex Consumption starts the new code within a minute or so; the key appears once the host has indexed the
# trigger. Only an empty answer means "not yet"; an az error ends the hook with its message. Polls a condition,
# not a duration: the attempts bound how long a broken deployment is waited for.
attempts="${POSTDEPLOY_KEY_ATTEMPTS:-30}"
interval="${POSTDEPLOY_KEY_INTERVAL_SECONDS:-10}"
for ((attempt = 1; ; attempt++)); do
  key="$(az_or_fail functionapp keys list -g "$rg" -n "$app" --query "systemKeys.blobs_extension" -o tsv)"
  [ -n "$key" ] && break
  [ "$attempt" -lt "$attempts" ] \
    || fail "$app has no blobs_extension system key after $attempts attempts: is the code deployed, and built Release (Event Grid blob trigger)? See its logs in Application Insights."
  echo "postdeploy: waiting for $app to load the Event Grid blob trigger ($attempt/$attempts)..."
  sleep "$interval"
done
unset key

if state="$(az_on eventgrid system-topic event-subscription show -g "$rg" --system-topic-name "$topic" -n "$subscriptionName" \
  --query provisioningState -o tsv)"; then
  :
elif grep -qiE 'ResourceNotFound|not found' "$errors"; then
  state=""
else
  fail "could not read Event Grid subscription $subscriptionName: $(cat "$errors")"
fi
if [ "$state" = "Succeeded" ] && [ "${POSTDEPLOY_FORCE:-0}" != "1" ]; then
  echo "postdeploy: Event Grid subscription $subscriptionName already exists; nothing to do."
  exit 0
fi

# Creating the subscription makes Event Grid call the webhook at once; an instance still starting can miss that
# validation handshake. That failure alone is retried; any other ends the hook with az's message.
create_attempts="${POSTDEPLOY_CREATE_ATTEMPTS:-5}"
create_interval="${POSTDEPLOY_CREATE_INTERVAL_SECONDS:-30}"
echo "postdeploy: creating Event Grid subscription $subscriptionName (BlobCreated under $container/ -> $app, dead letters -> $deadletter)..."
for ((attempt = 1; ; attempt++)); do
  if az_on deployment group create -g "$rg" -n blob-created-subscription \
    -f "$here/../app/blob-created-subscription.bicep" \
    -p systemTopicName="$topic" functionAppName="$app" imagesContainerName="$container" \
       catalogueStorageAccountName="$catalogue" deadLetterContainerName="$deadletter" \
    --query properties.provisioningState -o tsv; then
    break
  fi
  grep -qi 'validation handshake' "$errors" || fail "could not create Event Grid subscription $subscriptionName: $(cat "$errors")"
  [ "$attempt" -lt "$create_attempts" ] \
    || fail "Event Grid's validation handshake with $app still failed after $create_attempts attempts: $(cat "$errors")"
  echo "postdeploy: the validation handshake failed (instance still starting?); trying again ($attempt/$create_attempts)..."
  sleep "$create_interval"
done
echo "postdeploy: done. Uploads under $container/<category>/ are indexed within seconds."
