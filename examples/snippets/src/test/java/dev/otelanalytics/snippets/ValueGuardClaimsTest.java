package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.ValueGuards;
import org.junit.jupiter.api.Test;

/** The examples docs/events.md gives around the value-guard list, checked against the guards themselves. */
class ValueGuardClaimsTest {
  @Test
  void whatTheDocsSayIsDropped() {
    assertThat(ValueGuards.check("alice%40example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("alice\uFF20example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("ali\u200Bce@example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("/home/alice/notes.txt")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/Users/alice/notes.txt")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("C:\\Users\\alice\\notes.txt")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("~/notes.txt")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("ip-10-0-0-1")).isEqualTo(GuardReason.IP_ADDRESS);
    assertThat(ValueGuards.check("1.2.3.4")).isEqualTo(GuardReason.IP_ADDRESS);
    assertThat(ValueGuards.check("4111 1111 1111 1111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check("4111-1111-1111-1111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check("4111.1111.1111.1111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check("4111/1111/1111/1111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check("4111+1111+1111+1111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check("4111111111111111")).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check(1795960959081L)).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check(1795960959081.0)).isEqualTo(GuardReason.CARD_NUMBER);
    assertThat(ValueGuards.check(999_999_999_999L)).isNull();
    assertThat(ValueGuards.check("be25ada50d384f6099a823d738e19989")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("be25ada5-0d38-4f60-99a8-23d738e19989")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("/reset/8f3kQ9zLp2Vx7Rt")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("/export/home/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/usr/home/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/home2/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/Volumes/Macintosh HD/Users/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/mnt/c/Users/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("/c/Users/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("\\\\server\\share\\x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("0011.2233.4455")).isEqualTo(GuardReason.IP_ADDRESS);
    assertThat(ValueGuards.check("alice @ example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("bob (at) example.org")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("dave at example dot com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("alice%2540example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("alice&#64;example.com")).isEqualTo(GuardReason.EMAIL);
    assertThat(ValueGuards.check("/data/home/alice/x")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("~alice")).isEqualTo(GuardReason.HOME_PATH);
    assertThat(ValueGuards.check("ec2-54-210-167-204.compute-1.amazonaws.com")).isEqualTo(GuardReason.IP_ADDRESS);
    assertThat(ValueGuards.check("10.0.0.1.nip.io")).isEqualTo(GuardReason.IP_ADDRESS);
    assertThat(ValueGuards.check("https://hooks.example.com/catch/1234567/")).isEqualTo(GuardReason.URL_SECRET);
    assertThat(ValueGuards.check("PGPASSWORD=hunter2")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("mysql -u app -pS3cret")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("cus_NffrFeUfNV2Hib")).isEqualTo(GuardReason.SECRET_TOKEN);
    assertThat(ValueGuards.check("-----BEGIN PGP PRIVATE KEY BLOCK-----")).isEqualTo(GuardReason.SECRET_TOKEN);
    // 9 or more digits in a row or in groups, phone numbers, national ids and IBANs
    assertThat(ValueGuards.check("1795960959081")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("ts=1795960959081")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("user 9876543210")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("1234 5678 9012")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("507f1f77bcf86cd799439011")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("+1 415 555 0100")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("+44 20 7946 0958")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("(202) 555-0178")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("030 901820")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("078-05-1120")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("passport_no=X12345678")).isEqualTo(GuardReason.PERSONAL_ID);
    assertThat(ValueGuards.check("DE89 3704 0044 0532 0130 00")).isEqualTo(GuardReason.PERSONAL_ID);
  }

  @Test
  void whatTheDocsSayIsKept() {
    // Decimals, a compact ISO date-time, an irregular run of groups, times, time zones and versions are not ids.
    assertThat(ValueGuards.check("42.123456789")).isNull();
    assertThat(ValueGuards.check("20240501120000")).isNull();
    assertThat(ValueGuards.check("1234-5678-9012-3")).isNull();
    assertThat(ValueGuards.check("2024-05-01T12:00:00.123456789Z")).isNull();
    assertThat(ValueGuards.check("UTC+2")).isNull();
    assertThat(ValueGuards.check("17.0.9+9")).isNull();
    assertThat(ValueGuards.check("-pedantic")).isNull();
    assertThat(ValueGuards.check("token: expired")).isNull();
    assertThat(ValueGuards.check("~5 min")).isNull();
    assertThat(ValueGuards.check("/api/home/feed")).isNull();
    assertThat(ValueGuards.check("/api/v1/users/{id}")).isNull();
    assertThat(ValueGuards.check("/assets/index-BxT3k9Qp.js")).isNull();
  }
}
