PLACEHOLDER-NOT-A-SIGNATURE
This file must be replaced by a real model_signing signature before the examples can pass.
From the repository root, after building the CLI, run:

  bin/model-signing sign key --private-key examples/keys/signing-key.pem --signature examples/model/model.sig examples/model

(hack/e2e-kind.sh does this automatically when it finds this placeholder.)
