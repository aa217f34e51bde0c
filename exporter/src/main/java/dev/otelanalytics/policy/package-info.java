/**
 * The privacy policy: what may be collected and why ({@link dev.otelanalytics.policy.PrivacyPolicy}, loaded from YAML by {@link dev.otelanalytics.policy.PolicyLoader}), and the privacy statement generated from it.
 */
package dev.otelanalytics.policy;
