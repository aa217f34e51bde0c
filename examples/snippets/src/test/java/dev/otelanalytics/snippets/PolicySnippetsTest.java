package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every policy the documents show loads with the library's own strict loader. */
class PolicySnippetsTest {
  private static final String TAG = "snippet-policy";

  static List<Docs.Block> policyBlocks() {
    return Docs.blocks().stream().filter(b -> TAG.equals(b.tag())).collect(Collectors.toList());
  }

  @Test
  void everyTaggedPolicyLoads() throws Exception {
    List<Docs.Block> blocks = policyBlocks();
    assertThat(blocks).as("<!-- snippet-policy --> blocks").isNotEmpty();
    for (Docs.Block block : blocks) {
      assertThat(block.language()).as(block.where()).isEqualTo("yaml");
      PrivacyPolicy policy = PolicyLoader.load(
          new ByteArrayInputStream(block.text().getBytes(StandardCharsets.UTF_8)), block.where());
      assertThat(policy).as(block.where()).isNotNull();
    }
  }

  /** A YAML block that reads like a policy ({@code version: 1}) must be tagged, so it is loaded above. */
  @Test
  void everyPolicyLikeBlockIsTagged() {
    List<String> untagged = new ArrayList<>();
    for (Docs.Block block : Docs.blocks()) {
      boolean policyLike = block.language().startsWith("y") && block.text().lines().anyMatch(l -> l.startsWith("version:"));
      if (policyLike && !TAG.equals(block.tag())) {
        untagged.add(block.where() + ": put <!-- " + TAG + " --> on the line before");
      }
    }
    assertThat(untagged).isEmpty();
  }
}
