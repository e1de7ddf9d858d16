#!/usr/bin/env bash
# Copies the CRD generated from the Java API classes (fabric8 crd-generator-maven-plugin) into
# config/crd/bases/ and re-renders dist/install.yaml.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

crd_file=modelvalidations.ml.sigstore.dev-v1.yml
generated="operator/target/classes/META-INF/fabric8/${crd_file}"
if [[ ! -f "${generated}" ]]; then
  echo "${generated} not found: build the operator first (./mvnw -B -pl operator -am compile)" >&2
  exit 1
fi
cp "${generated}" "config/crd/bases/${crd_file}"
echo "updated config/crd/bases/${crd_file}"
hack/render-install.sh
