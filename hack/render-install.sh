#!/usr/bin/env bash
# Renders the production overlay into dist/install.yaml, the single file users apply with
#   kubectl apply -f dist/install.yaml
# Re-run after any change under config/ and commit the result (KustomizeOverlaysTest fails when
# dist/install.yaml differs from the rendering). Needs kubectl (with its built-in kustomize).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

mkdir -p dist
tmp="$(mktemp dist/install.yaml.XXXXXX)"
trap 'rm -f "${tmp}"' EXIT
kubectl kustomize config/overlays/production > "${tmp}"
mv "${tmp}" dist/install.yaml
trap - EXIT
echo "wrote dist/install.yaml"
