package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;

/** Periodic re-verification of the model while the pod runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContinuousValidation {

  /** A Go-style duration in seconds, minutes and hours, e.g. {@code 5m}, {@code 1h30m}. */
  public static final String INTERVAL_PATTERN = "^([0-9]+(\\.[0-9]+)?(s|m|h))+$";

  public static final String DEFAULT_INTERVAL = "5m";

  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(s|m|h)");

  @Default("false")
  @JsonPropertyDescription("Run the verifier as a native sidecar that re-verifies periodically.")
  private boolean enabled;

  @Default(DEFAULT_INTERVAL)
  @Pattern(INTERVAL_PATTERN)
  @Size(max = 32)
  @ValidationRule(
      value = "self == '' || duration(self) >= duration('1m')",
      message = "interval must be at least 1m")
  @JsonPropertyDescription("How often to re-verify, e.g. 5m or 1h. Minimum 1m, default 5m.")
  private String interval;

  public ContinuousValidation() {}

  public ContinuousValidation(boolean enabled, String interval) {
    this.enabled = enabled;
    this.interval = interval;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  /**
   * The interval as a duration ({@value #DEFAULT_INTERVAL} when unset).
   *
   * @throws IllegalArgumentException if it is not a duration like {@code 90s}, {@code 5m}, {@code 1h30m}
   */
  @JsonIgnore
  public Duration intervalDuration() {
    String text = interval == null || interval.isBlank() ? DEFAULT_INTERVAL : interval;
    if (!text.matches(INTERVAL_PATTERN)) {
      throw new IllegalArgumentException(
          "continuousValidation.interval '" + text + "' is not a duration such as 90s, 5m or 1h30m");
    }
    Matcher m = PART.matcher(text);
    double seconds = 0;
    while (m.find()) {
      double v = Double.parseDouble(m.group(1));
      seconds +=
          switch (m.group(2)) {
            case "h" -> v * 3600;
            case "m" -> v * 60;
            default -> v;
          };
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContinuousValidation that
        && enabled == that.enabled
        && Objects.equals(interval, that.interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, interval);
  }
}
