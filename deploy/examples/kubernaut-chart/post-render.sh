#!/bin/sh
# Helm post-renderer: reads the chart's manifests on stdin, writes them patched by the
# kustomization next to this script on stdout.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
trap 'rm -f "$dir/chart-output.yaml"' EXIT
cat > "$dir/chart-output.yaml"
kubectl kustomize "$dir"
