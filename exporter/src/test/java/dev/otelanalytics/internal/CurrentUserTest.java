package dev.otelanalytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user running this process is the owner of the files it creates. */
class CurrentUserTest {
  @TempDir Path temp;

  private UserPrincipal ownerOfANewFile() throws IOException {
    return Files.getOwner(Files.createTempFile(temp, "mine", ".tmp"));
  }

  @Test
  void isTheOwnerOfTheFilesThisProcessCreates() throws IOException {
    assertThat(CurrentUser.get()).isEqualTo(ownerOfANewFile());
  }

  @Test
  void withoutProcSelfItIsTheUserNamedByUserName() throws IOException {
    Path noProc = temp.resolve("no-proc").resolve("self");

    assertThat(CurrentUser.find(FileSystems.getDefault(), noProc, System.getProperty("user.name"))).isEqualTo(ownerOfANewFile());
  }

  @Test
  void withNeitherItCannotBeToldAndSaysWhy() {
    Path noProc = temp.resolve("no-proc").resolve("self");

    assertThatThrownBy(() -> CurrentUser.find(FileSystems.getDefault(), noProc, "no-such-user-otel-analytics"))
        .isInstanceOf(IOException.class).hasMessageContaining("cannot tell which user runs this process");
  }
}
