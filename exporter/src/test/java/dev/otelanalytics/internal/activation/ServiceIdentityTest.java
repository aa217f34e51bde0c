package dev.otelanalytics.internal.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceIdentityTest {
  private final Map<String, String> settings = new HashMap<>();

  @Test
  void otelServiceNameWinsThenTheResourceAttributesThenTheCode() {
    assertThat(ServiceIdentity.inForce(settings::get, "my-cli")).isEqualTo("my-cli");
    settings.put("otel.resource.attributes", "deployment.environment.name=prod, service.name = from%20resource ,x=y");
    assertThat(ServiceIdentity.inForce(settings::get, "my-cli")).isEqualTo("from resource");
    settings.put("otel.service.name", " from-setting ");
    assertThat(ServiceIdentity.inForce(settings::get, "my-cli")).isEqualTo("from-setting");
  }

  @Test
  void theSdksFallbackNameIsNoName() {
    assertThat(ServiceIdentity.isNamed("unknown_service:java")).isFalse();
    assertThat(ServiceIdentity.isNamed("unknown_service")).isFalse();
    assertThat(ServiceIdentity.isNamed(" ")).isFalse();
    assertThat(ServiceIdentity.isNamed(null)).isFalse();
    assertThat(ServiceIdentity.isNamed("my-cli")).isTrue();
    assertThat(ServiceIdentity.inForce(settings::get, null)).isNull();
  }

  @Test
  void theLastStartRecordIsWrittenOnceAndAnUnreadableOneIsIgnored(@TempDir Path dir) throws IOException {
    StateDirectory state = StateDirectory.at(dir.resolve("state"));
    assertThat(LastStart.read(state)).isNull();
    LastStart start = new LastStart(Activation.EntryPoint.CODE, AnalyticsLevel.LOCAL, LocalDate.of(2026, 11, 29));
    assertThat(start.store(state)).isTrue();
    assertThat(LastStart.read(state)).isEqualTo(start);
    long modified = Files.getLastModifiedTime(state.lastStartFile()).toMillis();
    Files.setLastModifiedTime(state.lastStartFile(), java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
    assertThat(start.store(state)).isTrue();
    assertThat(Files.getLastModifiedTime(state.lastStartFile()).toMillis()).as("not rewritten").isEqualTo(modified - 60_000);
    Files.writeString(state.lastStartFile(), "CODE loud yesterday\n");
    assertThat(LastStart.read(state)).isNull();
  }
}
