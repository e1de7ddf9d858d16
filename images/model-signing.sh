#!/bin/sh
# `model-signing` entry point of the verifier image (the operator injects `command: [model-signing]`).
# Extra JVM flags can be passed in MODEL_SIGNING_JAVA_OPTS. The AOT cache is made at image build time with this
# image's JVM (the root filesystem is read-only at run time); protobuf's sun.misc.Unsafe use is allowed so no JDK
# warning lands in the init container's log.
# SHA-256 is OpenSSL's (libcrypto.so.3, installed in the image) through the FFM API, so the C1 compiler alone is
# enough, as in bin/model-signing; when the JDK's digest is asked for, C2 stays on and the AOT cache's C1 profiles
# are not replayed (they would keep the JDK's SHA-256 at C1 speed).
# BLAKE2b/BLAKE3 (plain Java) need C2 too, kept when the command line names them.
jit="-XX:TieredStopAtLevel=1 -Ddev.modelvalidation.c1-only=true"
case " ${MODEL_SIGNING_JAVA_OPTS:-} $* " in
  *dev.modelvalidation.sha256=jdk*|*blake2*|*blake3*) jit="-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining" ;;
esac
# Keyless (`sigstore`, also the method when none is named) has an AOT cache of its own, as in bin/model-signing.
cache=/opt/model-signing/model-signing.aot
prev=""
for a in "$@"; do
  case "$prev" in
    sign|verify)
      case "$a" in
        key|certificate|pkcs11-key|pkcs11-certificate) ;;
        *) [ -f /opt/model-signing/model-signing-sigstore.aot ] && cache=/opt/model-signing/model-signing-sigstore.aot ;;
      esac
      break ;;
    digest) break ;;
  esac
  prev=$a
done
# Transparent huge pages for the heap where the kernel gives them on request, as in bin/model-signing.
thp=""
{ read -r thp < /sys/kernel/mm/transparent_hugepage/enabled; } 2>/dev/null || :
case "$thp" in
  *"[madvise]"*) jit="$jit -XX:+UseTransparentHugePages" ;;
esac
aot=""
[ -f "$cache" ] && aot="-XX:AOTCache=$cache -Xlog:aot=off -Xlog:cds=off"
# shellcheck disable=SC2086
exec java -XX:+UseSerialGC -XX:-UsePerfData $jit $aot --sun-misc-unsafe-memory-access=allow \
  --enable-native-access=ALL-UNNAMED ${MODEL_SIGNING_JAVA_OPTS:-} -cp /opt/model-signing/model-signing.jar \
  dev.modelvalidation.cli.ModelSigningCli "$@"
