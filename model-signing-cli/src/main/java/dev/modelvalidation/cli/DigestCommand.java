package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import picocli.CommandLine.Model.CommandSpec;

/** {@code digest MODEL_PATH}: prints {@code sha256:<root digest>} of the model, as the signature's subject. */
final class DigestCommand extends LeafCommand {
  private DigestCommand() {}

  static CommandSpec spec() {
    CommandSpec spec =
        new DigestCommand()
            .newSpec(
                "digest",
                "Compute the model's root digest (the signed subject) and print it as sha256:<hex>.",
                "Unlike sign and verify, a signature file inside the model is hashed unless ignored.");
    ModelOptions.addOptionsTo(spec);
    ModelOptions.addModelPathTo(spec);
    SerializationOptions.addTo(spec);
    return spec;
  }

  @Override
  public Integer call() {
    ModelOptions model = ModelOptions.from(args());
    SerializationOptions serialization = SerializationOptions.from(args());
    CommandContext context = context();
    return Outcome.run(
        context,
        null,
        "Computing digest failed",
        () -> {
          try (ModelHasher hasher = context.newHasher()) {
            String root = hasher.hash(model.modelPath(), hashingOptions(model, serialization)).rootDigestHex();
            context.out().println("sha256:" + root);
          }
        });
  }
}
