package dev.otelanalytics.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StateDirectoryTest {
  private static final String HOME = "/home/tester";
  private static final Function<String, String> NO_ENV = name -> null;

  private static Function<String, String> env(String name, String value) {
    return Map.of(name, value)::get;
  }

  @Test
  void linuxUsesAnAbsoluteXdgStateHome() {
    Path dir = StateDirectory.defaultFor("my-cli", env("XDG_STATE_HOME", "/var/xdg/state"), "Linux", HOME);

    assertThat(dir).isEqualTo(Paths.get("/var/xdg/state", "otel-analytics", "my-cli"));
  }

  @ParameterizedTest(name = "XDG_STATE_HOME=\"{0}\" is ignored")
  @ValueSource(strings = {"relative/state", "./state", "state", "", "   "})
  void linuxIgnoresARelativeOrBlankXdgStateHome(String xdg) {
    Path dir = StateDirectory.defaultFor("my-cli", env("XDG_STATE_HOME", xdg), "Linux", HOME);

    assertThat(dir).isEqualTo(Paths.get(HOME, ".local", "state", "otel-analytics", "my-cli"));
  }

  @Test
  void linuxWithoutXdgUsesDotLocalState() {
    Path dir = StateDirectory.defaultFor("my-cli", NO_ENV, "Linux", HOME);

    assertThat(dir).isEqualTo(Paths.get(HOME, ".local", "state", "otel-analytics", "my-cli"));
  }

  @ParameterizedTest(name = "os.name={0}")
  @ValueSource(strings = {"FreeBSD", "SunOS", "AIX", ""})
  void otherUnixSystemsFollowTheXdgRule(String osName) {
    assertThat(StateDirectory.defaultFor("svc", NO_ENV, osName, HOME))
        .isEqualTo(Paths.get(HOME, ".local", "state", "otel-analytics", "svc"));
    assertThat(StateDirectory.defaultFor("svc", env("XDG_STATE_HOME", "/xdg"), osName, HOME))
        .isEqualTo(Paths.get("/xdg", "otel-analytics", "svc"));
  }

  @ParameterizedTest(name = "os.name={0}")
  @ValueSource(strings = {"Mac OS X", "macOS", "Darwin"})
  void macOsUsesApplicationSupportAndIgnoresXdg(String osName) {
    Path dir = StateDirectory.defaultFor("my-cli", env("XDG_STATE_HOME", "/var/xdg/state"), osName, HOME);

    assertThat(dir).isEqualTo(Paths.get(HOME, "Library", "Application Support", "otel-analytics", "my-cli"));
  }

  @ParameterizedTest(name = "os.name={0}")
  @ValueSource(strings = {"Windows 11", "Windows 10", "Windows Server 2022"})
  void windowsUsesLocalAppData(String osName) {
    String localAppData = "C:\\Users\\tester\\AppData\\Local";

    Path dir = StateDirectory.defaultFor("my-cli", env("LOCALAPPDATA", localAppData), osName, "C:\\Users\\tester");

    assertThat(dir).isEqualTo(Paths.get(localAppData).resolve("otel-analytics").resolve("my-cli"));
  }

  @Test
  void windowsWithoutLocalAppDataFallsBackToTheProfile() {
    Path dir = StateDirectory.defaultFor("my-cli", NO_ENV, "Windows 11", HOME);

    assertThat(dir).isEqualTo(Paths.get(HOME, "AppData", "Local", "otel-analytics", "my-cli"));
  }

  @ParameterizedTest(name = "safeDirectoryName(\"{0}\") = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
    "my-cli               | my-cli",
    "My_Service.v2        | My_Service.v2",
    "'  padded  '         | padded",
    "../../etc            | .._.._etc",
    "..\\..\\Windows      | .._.._Windows",
    "/etc/passwd          | _etc_passwd",
    "C:\\temp             | C__temp",
    "a b c                | a_b_c",
    "svc:prod             | svc_prod",
    "caf\u00e9            | caf_",
    "tab\there            | tab_here",
    "null\u0000byte       | null_byte",
    "...                  | ...",
    "'.'                  | unknown_service",
    "'..'                 | unknown_service",
    "'  ..  '             | unknown_service",
  })
  void safeDirectoryNameTable(String serviceName, String expected) {
    assertThat(StateDirectory.safeDirectoryName(serviceName)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void missingServiceNameBecomesUnknownService(String serviceName) {
    assertThat(StateDirectory.safeDirectoryName(serviceName)).isEqualTo("unknown_service");
  }

  @Test
  void safeDirectoryNameIsCappedAt100Characters() {
    assertThat(StateDirectory.safeDirectoryName("x".repeat(500))).isEqualTo("x".repeat(100));
  }

  @ParameterizedTest(name = "service.name=\"{0}\" stays one directory under otel-analytics")
  @ValueSource(strings = {"../../etc", "..", ".", "", "a/../../b", "/abs/path", "..\\..\\x", "svc/..", "../", "x/./y"})
  void serviceNameNeverEscapesTheBaseDirectory(String serviceName) {
    Path base = Paths.get("/var/xdg/state", "otel-analytics");

    Path dir = StateDirectory.defaultFor(serviceName, env("XDG_STATE_HOME", "/var/xdg/state"), "Linux", HOME);

    assertThat(dir.getParent()).isEqualTo(base);
    assertThat(dir.normalize()).isEqualTo(dir);
    assertThat(dir.normalize().startsWith(base)).isTrue();
    String last = dir.getFileName().toString();
    assertThat(last).isNotIn(".", "..", "").matches("[A-Za-z0-9._-]+");
  }

  /**
   * Issue 17, fault 1: a container user with no passwd entry has {@code user.home} = {@code ?};
   * the default directory must then not become relative to the working directory.
   */
  @ParameterizedTest(name = "user.home=\"{0}\" on {1}")
  @CsvSource(delimiter = '|', value = {
    "?              | Linux",
    "''             | Linux",
    "relative/home  | Linux",
    "?              | Mac OS X",
    "''             | Mac OS X",
    "?              | Windows 11",
  })
  void aHomeThatIsNotAnAbsolutePathGivesNoDefaultDirectory(String home, String osName) {
    assertThat(StateDirectory.defaultFor("my-cli", NO_ENV, osName, home)).isNull();

    StateDirectory state = StateDirectory.resolve(null, "my-cli", NO_ENV, osName, home);
    assertThat(state.problem()).contains("OTEL_ANALYTICS_STATE_DIR").doesNotContain("\n");
  }

  @Test
  void anAbsoluteXdgStateHomeOrLocalAppDataStillWorksWithoutAHome() {
    assertThat(StateDirectory.defaultFor("my-cli", env("XDG_STATE_HOME", "/var/xdg/state"), "Linux", "?"))
        .isEqualTo(Paths.get("/var/xdg/state", "otel-analytics", "my-cli"));
    assertThat(StateDirectory.resolve(null, "my-cli", env("XDG_STATE_HOME", "/var/xdg/state"), "Linux", "?").problem()).isNull();
    assertThat(StateDirectory.resolve(Paths.get("/srv/state"), "my-cli", NO_ENV, "Linux", "?").problem()).isNull();
  }

  @Test
  void withoutADefaultDirectoryAStartIsRefusedAndNothingIsWrittenInTheWorkingDirectory() throws Exception {
    StateDirectory state = StateDirectory.resolve(null, "no-home-cli", NO_ENV, "Linux", "?");

    StateDirectoryCheck.Outcome outcome = StateDirectoryCheck.forStart(state, false);

    assertThat(outcome.refusal()).contains("OTEL_ANALYTICS_STATE_DIR").contains("user.home").doesNotContain("\n");
    assertThat(state.choices().storedLevel()).isNull();
    assertThat(state.choices().recordNoticeShown()).isFalse();
    assertThat(InstallIdentity.load(state, null).persisted()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> state.choices().storeLevel(dev.otelanalytics.consent.AnalyticsLevel.OFF))
        .hasMessageContaining("OTEL_ANALYTICS_STATE_DIR");
    assertThat(Paths.get("?")).doesNotExist();
    assertThat(Paths.get("otel-analytics")).doesNotExist();
  }
}
