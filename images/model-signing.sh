#!/bin/sh
# `model-signing` entry point of the verifier image (the operator injects `command: [model-signing]`).
# Extra JVM flags can be passed in MODEL_SIGNING_JAVA_OPTS.
# shellcheck disable=SC2086
exec java -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto ${MODEL_SIGNING_JAVA_OPTS:-} \
  -jar /opt/model-signing/model-signing.jar "$@"
