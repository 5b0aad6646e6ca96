#!/usr/bin/env bash
# Before azd packages the function app: the model the deployment names (modelDescriptor in main.parameters.json)
# must be inside the package, or the host refuses to start. VGG16 is built from the Keras weights (downloads
# about 56 MiB once); the bundled ResNet18 descriptors need nothing.
set -euo pipefail
root="${PRODUCT_SEARCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"

descriptor="$(sed -n '/"modelDescriptor"/,/}/s/.*"value": *"\([^"]*\)".*/\1/p' "$root/infra/main.parameters.json")"
case "${descriptor:-models/vgg16.json}" in
  models/vgg16*)
    if [ -f "$root/models/vgg16-notop.onnx" ]; then
      echo "prepackage: models/vgg16-notop.onnx is there."
    else
      echo "prepackage: building models/vgg16-notop.onnx for $descriptor..."
      (cd "$root" && dotnet run -c Release --project src/ProductSearch.Cli -- model build-vgg16) \
        || { echo "prepackage: could not build VGG16 (it needs the internet once); or set modelDescriptor to models/resnet18-l3l4.json in infra/main.parameters.json." >&2; exit 1; }
    fi ;;
  *) echo "prepackage: $descriptor ships with the build; nothing to do." ;;
esac
