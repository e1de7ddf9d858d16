#!/bin/sh
# `model-signing` entry point of the verifier image (the operator injects `command: [model-signing]`).
# Extra JVM flags can be passed in MODEL_SIGNING_JAVA_OPTS. The AOT cache is made at image build time with this
# image's JVM (the root filesystem is read-only at run time); protobuf's sun.misc.Unsafe use is allowed so no JDK
# warning lands in the init container's log.
# shellcheck disable=SC2086
aot=""
[ -f /opt/model-signing/model-signing.aot ] && aot="-XX:AOTCache=/opt/model-signing/model-signing.aot -Xlog:aot=off -Xlog:cds=off"
exec java -XX:+UseSerialGC -XX:-UsePerfData $aot --sun-misc-unsafe-memory-access=allow \
  ${MODEL_SIGNING_JAVA_OPTS:-} -jar /opt/model-signing/model-signing.jar "$@"
