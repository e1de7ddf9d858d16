package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code digest MODEL_PATH}: prints {@code sha256:<root digest>} of the model, as the signature's subject. */
@Command(
    name = "digest",
    mixinStandardHelpOptions = true,
    description = {
      "Compute the model's root digest (the signed subject) and print it as sha256:<hex>.",
      "Unlike sign and verify, a signature file inside the model is hashed unless ignored."
    })
final class DigestCommand extends LeafCommand {
  @Mixin ModelOptions model;
  @Mixin SerializationOptions serialization;

  @Override
  public Integer call() {
    CommandContext context = context();
    return Outcome.run(
        context,
        null,
        "Computing digest failed",
        () -> {
          try (ModelHasher hasher = context.newHasher()) {
            String root = hasher.hash(model.modelPath, hashingOptions(model, serialization)).rootDigestHex();
            context.out().println("sha256:" + root);
          }
        });
  }
}
