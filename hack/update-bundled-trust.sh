#!/usr/bin/env bash
# Regenerates model-signing/src/main/java/dev/modelvalidation/modelsigning/sigstore/BundledTrustedRoots.java (the
# bundled trusted roots in binary protobuf) from the JSON files next to it in src/main/resources. Run it after
# replacing public-good-trusted_root.json or staging-trusted_root.json; BundledTrustedRootsTest fails until then.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"
./mvnw -B -q test -pl model-signing -Dtest=BundledTrustedRootsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbundled-trust.update=true
echo "updated model-signing/src/main/java/dev/modelvalidation/modelsigning/sigstore/BundledTrustedRoots.java"
