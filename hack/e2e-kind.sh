#!/usr/bin/env bash
# End-to-end test of the model validation operator on a throw-away kind cluster.
#
#   hack/e2e-kind.sh
#
# 1. builds the operator and verifier images (images/*.Containerfile),
# 2. signs the example model if examples/model/model.sig is still the placeholder,
# 3. creates a kind cluster and loads the images into it,
# 4. installs cert-manager and the operator (dist/install.yaml, the production overlay),
# 5. runs examples/signed-model (its pod must become Ready, with the verifier injected) and
#    examples/tampered-model (its verifier init container must fail, its workload never start),
# 6. prints the ModelValidation status.
#
# Needs: kind, kubectl, docker (or podman: CONTAINER_TOOL=podman KIND_EXPERIMENTAL_PROVIDER=podman)
# and network access (base images, Maven Central, cert-manager release, busybox).
# See docs/e2e-kind.md for the settings below.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

CLUSTER_NAME="${CLUSTER_NAME:-model-validation-e2e}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-}"
CONTAINER_TOOL="${CONTAINER_TOOL:-docker}"
CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-v1.16.2}"
OPERATOR_IMAGE="${OPERATOR_IMAGE:-ghcr.io/modelvalidation/model-validation-operator:0.1.0}"
VERIFIER_IMAGE="${VERIFIER_IMAGE:-ghcr.io/modelvalidation/model-signing:0.1.0}"
SKIP_BUILD="${SKIP_BUILD:-false}"
KEEP_CLUSTER="${KEEP_CLUSTER:-false}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-180}"

OPERATOR_NS=model-validation-system
SIGNED_NS=model-demo-signed
TAMPERED_NS=model-demo-tampered
KUBE_CONTEXT="kind-${CLUSTER_NAME}"
created_cluster=false

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'e2e FAILED: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "${KUBE_CONTEXT}" "$@"; }

need() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required but not on the PATH"
  done
}

# wait_until SECONDS DESCRIPTION COMMAND...: retries COMMAND every 3 s until it succeeds.
wait_until() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "timed out after ${seconds}s waiting for ${what}"
    fi
    sleep 3
  done
}

diagnostics() {
  set +e
  echo "---------------- diagnostics ----------------" >&2
  k get pods -A -o wide >&2
  k -n "${OPERATOR_NS}" logs deployment/model-validation-controller-manager --all-containers --tail=200 >&2
  for ns in "${SIGNED_NS}" "${TAMPERED_NS}"; do
    k -n "${ns}" get events --sort-by=.lastTimestamp >&2
    k -n "${ns}" get modelvalidations -o yaml >&2
  done
}

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    diagnostics
  fi
  if [[ "${created_cluster}" == true && "${KEEP_CLUSTER}" != true ]]; then
    log "deleting kind cluster ${CLUSTER_NAME} (KEEP_CLUSTER=true keeps it)"
    kind delete cluster --name "${CLUSTER_NAME}" || true
  fi
  exit "${rc}"
}
trap on_exit EXIT

need kind kubectl "${CONTAINER_TOOL}"

# ------------------------------------------------------------------ images
if [[ "${SKIP_BUILD}" != true ]]; then
  log "building ${OPERATOR_IMAGE}"
  "${CONTAINER_TOOL}" build -f images/operator.Containerfile -t "${OPERATOR_IMAGE}" .
  log "building ${VERIFIER_IMAGE}"
  "${CONTAINER_TOOL}" build -f images/model-signing.Containerfile -t "${VERIFIER_IMAGE}" .
fi

# ------------------------------------------------------------------ example signature
if grep -q '^PLACEHOLDER' examples/model/model.sig; then
  log "signing examples/model with the example key (examples/model/model.sig was a placeholder)"
  if [[ -x bin/model-signing ]]; then
    bin/model-signing sign key --private-key examples/keys/signing-key.pem \
      --signature examples/model/model.sig examples/model
  else
    "${CONTAINER_TOOL}" run --rm --user "$(id -u):$(id -g)" \
      -v "${repo_root}/examples:/work/examples" -w /work "${VERIFIER_IMAGE}" \
      sign key --private-key examples/keys/signing-key.pem \
      --signature examples/model/model.sig examples/model
  fi
  hack/update-example-data.sh
fi
grep -q '^PLACEHOLDER' examples/model/model.sig && die "examples/model/model.sig is still a placeholder"

# ------------------------------------------------------------------ cluster
if kind get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
  log "reusing kind cluster ${CLUSTER_NAME}"
else
  log "creating kind cluster ${CLUSTER_NAME}"
  node_image_args=()
  if [[ -n "${KIND_NODE_IMAGE}" ]]; then
    node_image_args=(--image "${KIND_NODE_IMAGE}")
  fi
  created_cluster=true
  kind create cluster --name "${CLUSTER_NAME}" ${node_image_args[@]+"${node_image_args[@]}"} --wait "${TIMEOUT_SECONDS}s"
fi

log "loading images into the cluster"
for image in "${OPERATOR_IMAGE}" "${VERIFIER_IMAGE}"; do
  if [[ "${CONTAINER_TOOL}" == docker ]]; then
    kind load docker-image "${image}" --name "${CLUSTER_NAME}"
  else
    archive="$(mktemp -t image.XXXXXX.tar)"
    "${CONTAINER_TOOL}" save -o "${archive}" "${image}"
    kind load image-archive "${archive}" --name "${CLUSTER_NAME}"
    rm -f "${archive}"
  fi
done

# ------------------------------------------------------------------ cert-manager
log "installing cert-manager ${CERT_MANAGER_VERSION}"
k apply -f "https://github.com/cert-manager/cert-manager/releases/download/${CERT_MANAGER_VERSION}/cert-manager.yaml"
for deployment in cert-manager cert-manager-cainjector cert-manager-webhook; do
  k -n cert-manager rollout status "deployment/${deployment}" --timeout="${TIMEOUT_SECONDS}s"
done

# ------------------------------------------------------------------ operator
log "installing the operator (dist/install.yaml)"
# cert-manager's own webhook may need a few more seconds before it accepts the Issuer/Certificate.
wait_until "${TIMEOUT_SECONDS}" "the operator manifests to apply" \
  k apply --server-side --force-conflicts -f dist/install.yaml
k wait --for=condition=Established crd/modelvalidations.ml.sigstore.dev --timeout="${TIMEOUT_SECONDS}s"
k -n "${OPERATOR_NS}" wait --for=condition=Ready certificate/model-validation-serving-cert \
  --timeout="${TIMEOUT_SECONDS}s"
k -n "${OPERATOR_NS}" rollout status deployment/model-validation-controller-manager \
  --timeout="${TIMEOUT_SECONDS}s"
ca_bundle_injected() {
  [[ -n "$(k get mutatingwebhookconfiguration model-validation-mutating-webhook-configuration \
    -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ]]
}
wait_until "${TIMEOUT_SECONDS}" "cert-manager to inject the webhook caBundle" ca_bundle_injected

# ------------------------------------------------------------------ examples
# A reused cluster may still hold a previous run's examples (finished Jobs cannot be re-run).
k delete namespace "${SIGNED_NS}" "${TAMPERED_NS}" --ignore-not-found --wait=true \
  --timeout="${TIMEOUT_SECONDS}s"

# ------------------------------------------------------------------ signed model: must start
log "signed model: the workload must start"
k apply -k examples/signed-model
k -n "${SIGNED_NS}" wait --for=condition=complete job/load-demo-model --timeout="${TIMEOUT_SECONDS}s"
k apply -f examples/signed-model/workload.yaml
k -n "${SIGNED_NS}" rollout status deployment/signed-model-workload --timeout="${TIMEOUT_SECONDS}s"
signed_pod="$(k -n "${SIGNED_NS}" get pods -l app=signed-model-workload \
  -o jsonpath='{.items[0].metadata.name}')"
init_containers="$(k -n "${SIGNED_NS}" get pod "${signed_pod}" -o jsonpath='{.spec.initContainers[*].name}')"
[[ " ${init_containers} " == *" model-validation "* ]] \
  || die "pod ${signed_pod} has no model-validation init container (init containers: '${init_containers}')"
verifier_exit="$(k -n "${SIGNED_NS}" get pod "${signed_pod}" \
  -o jsonpath='{.status.initContainerStatuses[?(@.name=="model-validation")].state.terminated.exitCode}')"
[[ "${verifier_exit}" == 0 ]] || die "verifier of ${signed_pod} exited with '${verifier_exit}'"
echo "pod ${signed_pod} is Ready; verifier output:"
k -n "${SIGNED_NS}" logs "${signed_pod}" -c model-validation

# ------------------------------------------------------------------ tampered model: must be blocked
log "tampered model: the verifier must fail and the workload never run"
k apply -k examples/tampered-model
k -n "${TAMPERED_NS}" wait --for=condition=complete job/load-demo-model --timeout="${TIMEOUT_SECONDS}s"
k apply -f examples/tampered-model/workload.yaml
verifier_failed() {
  local code
  code="$(k -n "${TAMPERED_NS}" get pod tampered-model-workload \
    -o jsonpath='{.status.initContainerStatuses[?(@.name=="model-validation")].state.terminated.exitCode}')"
  [[ -n "${code}" && "${code}" != 0 ]]
}
wait_until "${TIMEOUT_SECONDS}" "the tampered pod's model-validation init container to fail" verifier_failed
phase="$(k -n "${TAMPERED_NS}" get pod tampered-model-workload -o jsonpath='{.status.phase}')"
started="$(k -n "${TAMPERED_NS}" get pod tampered-model-workload \
  -o jsonpath='{.status.containerStatuses[?(@.name=="serve")].state.running.startedAt}')"
[[ -z "${started}" ]] || die "the tampered workload container started at ${started}"
echo "pod tampered-model-workload: phase ${phase}, verifier termination message:"
k -n "${TAMPERED_NS}" get pod tampered-model-workload \
  -o jsonpath='{.status.initContainerStatuses[?(@.name=="model-validation")].state.terminated.message}'
echo

# ------------------------------------------------------------------ status
log "ModelValidation status"
k get modelvalidations -A -o wide
for ns in "${SIGNED_NS}" "${TAMPERED_NS}"; do
  k -n "${ns}" get modelvalidations -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}: {.status}{"\n"}{end}'
done

log "e2e PASSED"
