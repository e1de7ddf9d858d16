#!/bin/sh
# `model-signing` entry point of the verifier image (the operator injects `command: [model-signing]`).
# Extra JVM flags can be passed in MODEL_SIGNING_JAVA_OPTS. The class-data sharing archive is made at image build
# time (the root filesystem is read-only at run time); protobuf's sun.misc.Unsafe use is allowed so no JDK
# warning lands in the init container's log.
# shellcheck disable=SC2086
cds=""
[ -f /opt/model-signing/model-signing.jsa ] && cds="-XX:SharedArchiveFile=/opt/model-signing/model-signing.jsa -Xlog:cds=off"
exec java -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto $cds --sun-misc-unsafe-memory-access=allow \
  ${MODEL_SIGNING_JAVA_OPTS:-} -jar /opt/model-signing/model-signing.jar "$@"
