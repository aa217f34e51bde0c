package dev.otelanalytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsTypeTest {
  @ParameterizedTest
  @CsvSource({
      "Linux, linux", "Windows 11, windows", "Windows Server 2022, windows", "Mac OS X, darwin", "FreeBSD, freebsd",
      "SunOS, solaris", "AIX, aix", "z/OS, z_os", "HP-UX, hpux", "DragonFlyBSD, dragonflybsd"
  })
  void osNamesMapToOpenTelemetrysOsType(String osName, String osType) {
    assertThat(OsType.of(osName)).isEqualTo(osType);
  }

  @ParameterizedTest
  @CsvSource({"'', ", "Plan 9, ", "alice@example.com, "})
  void anythingElseIsLeftOut(String osName, String expected) {
    assertThat(OsType.of(osName)).isNull();
  }
}
