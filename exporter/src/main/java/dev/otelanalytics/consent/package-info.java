/**
 * The analytics levels a person can choose: off, local, anonymous.
 */
package dev.otelanalytics.consent;
