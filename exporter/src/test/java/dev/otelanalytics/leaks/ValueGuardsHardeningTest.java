package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.guard.ValueGuards;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Table tests for the disguises the fuzz test aims at: quoted local parts, IDN and punycode
 * e-mails, IPv4-mapped and other IPv6 forms, UNC and other Windows profile paths, home paths
 * glued to shell syntax, Slack and PostHog keys, and Luhn card numbers inside text. Every row is
 * personal data or a secret, so {@link ValueGuards#check(String)} must drop it.
 *
 * <p><b>KNOWN_LEAKS</b> lists the rows the guards let through today. The test asserts that the
 * rows passing the guards are <em>exactly</em> that set: a hardened guard makes it fail until its
 * rows are removed from the set, and a regression makes it fail at once.
 */
class ValueGuardsHardeningTest {
  /** Category → inputs that must be dropped. */
  static final Map<String, List<String>> MUST_DROP = new LinkedHashMap<>();

  static {
    MUST_DROP.put("e-mail, quoted local part", List.of(
        "\"john doe\"@example.com",
        "\"john.doe\"@example.com",
        "contact \"a b\"@x.com today",
        "\"a@b\"@example.com",
        "<\"alice smith\"@corp.example.net>",
        "alice.smith@example.com"));
    MUST_DROP.put("e-mail, IDN / punycode / case", List.of(
        "alice@ex\u00e4mple.de",
        "alice@m\u00fcnchen.de",
        "user@\u4f8b\u3048.jp",
        "\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u0442\u0435\u043b\u044c@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
        "j\u00f6rg@b\u00fccher.example",
        "alice@xn--exmple-cua.de",
        "alice@xn--e1afmkfd.xn--p1ai",
        "ALICE.SMITH@EXAMPLE.COM",
        "j\u00f6rg@example.com",
        "alice+newsletter@example.com"));
    MUST_DROP.put("IPv6, mapped and other forms", List.of(
        "::ffff:192.0.2.128",
        "::ffff:c000:0280",
        "[::ffff:10.0.0.1]:8080",
        "64:ff9b::192.0.2.33",
        "fe80::1%eth0",
        "2001:db8::",
        "2001:DB8:0:0:8:800:200C:417A",
        "[2001:db8::1]:443",
        "peer=2001:db8:85a3::8a2e:370:7334",
        "build -Ife80::dffe:fc85:8599:c1e5"));
    MUST_DROP.put("IPv4 forms", List.of(
        "010.001.002.003",
        "10.0.0.1:8080",
        "host 192.168.1.20 unreachable"));
    MUST_DROP.put("Windows profile and UNC paths", List.of(
        "\\\\fileserver\\Users\\alice\\Desktop",
        "\\\\fileserver\\users\\alice\\Desktop",
        "\\\\fs01\\users$\\alice\\Documents",
        "\\\\fs01\\home$\\alice",
        "//fileserver/Users/alice/Desktop",
        "\\\\wsl$\\Ubuntu\\home\\alice\\project",
        "\\\\?\\C:\\Users\\alice\\file.txt",
        "C:/Users/alice/AppData/Local",
        "build -IC:\\Users\\alice\\include"));
    MUST_DROP.put("Unix home paths glued to shell syntax", List.of(
        "build -I/home/alice/include",
        "curl -d @/home/alice/data.json",
        "cat notes >/home/alice/out.txt",
        "</Users/alice/Library/Preferences>",
        "curl -d @~/notes.txt",
        "cat notes >~alice/plan.txt",
        "~alice/docs/plan.txt",
        "/root/.bash_history"));
    MUST_DROP.put("Slack and PostHog keys", List.of(
        "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
        "xoxp-4956821238-4956821240-4951927283-8e3f5b6ad2a9c8f1e3b4a5d6c7e8f901",
        "xapp-1-A02ABCDEF12-3456789012345-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "https://hooks.slack.com/services/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",
        "phx_3Jt9AkR2vXw7LmNp4QsZ8bYc1DfGh6EuHi0KoPrSt5Vx",
        "phx_JtAkRvXwLmNpQsZbYcDfGhEuHiKoPrStVxWyBnMaCeDg",
        "POSTHOG_PERSONAL_API_KEY=phx_3Jt9AkR2vXw7LmNp4QsZ8bYc1DfGh6EuHi0KoPrSt5Vx",
        "build -IAKIAIOSFODNN7EXAMPLE"));
    MUST_DROP.put("Luhn card numbers inside text", List.of(
        "paid with 4111 1111 1111 1111 yesterday",
        "card=4111-1111-1111-1111;",
        "Amex 3782 822463 10005",
        "Diners 3056 930902 5904",
        "ref:4111+1111+1111+1111",
        "4111\u00a01111\u00a01111\u00a01111",
        "4111 - 1111 - 1111 - 1111",
        "order4111111111111111x",
        "\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11"));
  }

  /**
   * Rows the guards let through today. Remove a row once its guard catches it.
   */
  static final Set<String> KNOWN_LEAKS = Set.of();

  @Test
  void everyRowIsDroppedExceptTheKnownLeaks() {
    Set<String> passing = new TreeSet<>();
    StringBuilder report = new StringBuilder();
    int rows = 0;
    for (Map.Entry<String, List<String>> category : MUST_DROP.entrySet()) {
      for (String input : category.getValue()) {
        rows++;
        Object reason = ValueGuards.check(input);
        report.append(String.format("[hardening] %-45s %-14s %s%n", category.getKey(), reason == null ? "PASSES (leak)" : reason,
            LeakFuzzTest.javaLiteral(input)));
        if (reason == null) {
          passing.add(input);
        }
      }
    }
    System.out.print(report);
    System.out.println("[hardening] " + passing.size() + " of " + rows + " rows pass the guards");
    Set<String> added = new TreeSet<>(passing);
    added.removeAll(KNOWN_LEAKS);
    Set<String> fixed = new TreeSet<>(KNOWN_LEAKS);
    fixed.removeAll(passing);
    StringBuilder message = new StringBuilder();
    added.forEach(k -> message.append("\n  new leak, add:      ").append(LeakFuzzTest.javaLiteral(k)).append(','));
    fixed.forEach(k -> message.append("\n  now caught, remove: ").append(LeakFuzzTest.javaLiteral(k)).append(','));
    assertThat(passing).as("rows that pass the guards must be exactly KNOWN_LEAKS%s", message).isEqualTo(KNOWN_LEAKS);
  }

  @Test
  void theCardRowsAreLuhnValid() {
    for (String row : MUST_DROP.get("Luhn card numbers inside text")) {
      String digits = java.text.Normalizer.normalize(row, java.text.Normalizer.Form.NFKC).replaceAll("\\D", "");
      assertThat(FuzzCorpus.luhnValid(digits)).as(row).isTrue();
    }
  }
}
