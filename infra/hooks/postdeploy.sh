#!/usr/bin/env bash
# Subscribes the blob trigger to BlobCreated events once the code is running: azd runs it after `azd deploy`
# (infra/azure.yaml); on the plain `az` path run it by hand after publishing (docs/deployment.md).
#
# It waits until the host has loaded the Event Grid blob trigger (its blobs_extension system key exists), then
# deploys app/blob-created-subscription.bicep, which reads the key itself so it never appears on a command line.
# Idempotent: a subscription that already succeeded is left alone (POSTDEPLOY_FORCE=1 re-deploys it).
#
# Input, as azd provides it (environment values and main.bicep's outputs): AZURE_RESOURCE_GROUP, functionAppName,
# eventGridSystemTopicName, imagesContainerName, catalogueStorageAccountName, deadLetterContainerName. Outputs
# missing from the environment are read from the resource group's deployment AZURE_DEPLOYMENT_NAME (default: main).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

fail() { echo "postdeploy: $*" >&2; exit 1; }

command -v az >/dev/null || fail "the Azure CLI (az) is not on PATH: https://learn.microsoft.com/cli/azure/install-azure-cli"
rg="${AZURE_RESOURCE_GROUP:-}"
[ -n "$rg" ] || fail "AZURE_RESOURCE_GROUP is not set: the resource group main.bicep was deployed to."

output() {
  local name="$1" value="${!1:-}"
  if [ -z "$value" ]; then
    value="$(az deployment group show -g "$rg" -n "${AZURE_DEPLOYMENT_NAME:-main}" --query "properties.outputs.$name.value" -o tsv)" \
      || fail "could not read output $name of deployment ${AZURE_DEPLOYMENT_NAME:-main} in $rg"
  fi
  [ -n "$value" ] || fail "$name is empty: set it, or AZURE_DEPLOYMENT_NAME to the deployment of main.bicep."
  printf '%s' "$value"
}

app="$(output functionAppName)"
topic="$(output eventGridSystemTopicName)"
container="$(output imagesContainerName)"
catalogue="$(output catalogueStorageAccountName)"
deadletter="$(output deadLetterContainerName)"
subscription="index-$container"

# Flex Consumption starts the new code within a minute or so; the key appears once the host has indexed the
# trigger. Polls a condition, not a duration: the attempts bound how long a broken deployment is waited for.
attempts="${POSTDEPLOY_KEY_ATTEMPTS:-30}"
interval="${POSTDEPLOY_KEY_INTERVAL_SECONDS:-10}"
for ((attempt = 1; ; attempt++)); do
  key="$(az functionapp keys list -g "$rg" -n "$app" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)"
  [ -n "$key" ] && break
  [ "$attempt" -lt "$attempts" ] \
    || fail "$app has no blobs_extension system key after $attempts attempts: is the code deployed, and built Release (Event Grid blob trigger)? See its logs in Application Insights."
  echo "postdeploy: waiting for $app to load the Event Grid blob trigger ($attempt/$attempts)..."
  sleep "$interval"
done
unset key

state="$(az eventgrid system-topic event-subscription show -g "$rg" --system-topic-name "$topic" -n "$subscription" \
  --query provisioningState -o tsv 2>/dev/null || true)"
if [ "$state" = "Succeeded" ] && [ "${POSTDEPLOY_FORCE:-0}" != "1" ]; then
  echo "postdeploy: Event Grid subscription $subscription already exists; nothing to do."
  exit 0
fi

echo "postdeploy: creating Event Grid subscription $subscription (BlobCreated under $container/ -> $app, dead letters -> $deadletter)..."
az deployment group create -g "$rg" -n blob-created-subscription \
  -f "$here/../app/blob-created-subscription.bicep" \
  -p systemTopicName="$topic" functionAppName="$app" imagesContainerName="$container" \
     catalogueStorageAccountName="$catalogue" deadLetterContainerName="$deadletter" \
  --query properties.provisioningState -o tsv
echo "postdeploy: done. Uploads under $container/<category>/ are indexed within seconds."
