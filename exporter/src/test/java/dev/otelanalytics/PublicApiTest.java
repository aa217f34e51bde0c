package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API, as OkHttp and OpenTelemetry keep theirs honest: the public types of the public
 * packages are exactly this list, and none of them shows an internal type to users. Adding a
 * public type means adding it here on purpose (and to exporter/README.md's list).
 */
class PublicApiTest {
  /** Every public type (nested ones with {@code $}) outside {@code dev.otelanalytics.internal}. */
  static final Set<String> PUBLIC_API = new TreeSet<>(List.of(
      "dev.otelanalytics.AnalyticsControl",
      "dev.otelanalytics.AnalyticsSpanProcessor",
      "dev.otelanalytics.AnalyticsStatus",
      "dev.otelanalytics.ClearResult",
      "dev.otelanalytics.DeliveryStats",
      "dev.otelanalytics.ExportResult",
      "dev.otelanalytics.OtelAnalytics",
      "dev.otelanalytics.OtelAnalyticsBuilder",
      "dev.otelanalytics.StoredEvents",
      "dev.otelanalytics.UsageReportExporter",
      "dev.otelanalytics.UsageReportOptions",
      "dev.otelanalytics.UsageReportOptions$Builder",
      "dev.otelanalytics.cli.AnalyticsCli",
      "dev.otelanalytics.consent.AnalyticsLevel",
      "dev.otelanalytics.destination.ConsoleDestination",
      "dev.otelanalytics.destination.DeliveryResult",
      "dev.otelanalytics.destination.DeliveryResult$Kind",
      "dev.otelanalytics.destination.Destination",
      "dev.otelanalytics.destination.Ga4Destination",
      "dev.otelanalytics.destination.Ga4Destination$ValidationMessage",
      "dev.otelanalytics.destination.Ga4DestinationBuilder",
      "dev.otelanalytics.destination.PostHogDestination",
      "dev.otelanalytics.destination.PostHogDestinationBuilder",
      "dev.otelanalytics.event.AnalyticsEvent",
      "dev.otelanalytics.policy.AttributeType",
      "dev.otelanalytics.policy.AttributeType$Kind",
      "dev.otelanalytics.policy.PolicyEntry",
      "dev.otelanalytics.policy.PolicyException",
      "dev.otelanalytics.policy.PolicyLoader",
      "dev.otelanalytics.policy.PrivacyPolicy",
      "dev.otelanalytics.policy.PrivacyPolicy$Builder",
      "dev.otelanalytics.policy.PrivacyStatement"));

  private static final String INTERNAL = "dev.otelanalytics.internal";

  @Test
  void thePublicTypesOfThePublicPackagesAreExactlyTheList() throws Exception {
    assertThat(publicTypesOutsideInternal())
        .as("public types outside %s: a new one is public API; add it to PUBLIC_API on purpose, or move it under %s",
            INTERNAL, INTERNAL)
        .containsExactlyElementsOf(PUBLIC_API);
  }

  @Test
  void noPublicSignatureShowsAnInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    Set<String> types = new TreeSet<>(PUBLIC_API);
    types.addAll(publicTypesOutsideInternal());
    for (String name : types) {
      Class<?> type = load(name);
      checkType(type.getGenericSuperclass(), name + " extends", leaks);
      for (Type t : type.getGenericInterfaces()) {
        checkType(t, name + " implements", leaks);
      }
      for (Field field : type.getDeclaredFields()) {
        if (visible(field.getModifiers())) {
          checkType(field.getGenericType(), name + "." + field.getName(), leaks);
        }
      }
      List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
      members.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
      for (Executable member : members) {
        if (!visible(member.getModifiers()) || member.isSynthetic()) {
          continue;
        }
        String where = name + "." + member.getName();
        if (member instanceof Method) {
          checkType(((Method) member).getGenericReturnType(), where + " returns", leaks);
        }
        for (Type p : member.getGenericParameterTypes()) {
          checkType(p, where + " takes", leaks);
        }
        for (Type e : member.getGenericExceptionTypes()) {
          checkType(e, where + " throws", leaks);
        }
      }
    }
    assertThat(leaks).as("public members that name an internal type").isEmpty();
  }

  @Test
  void everyPackageSaysWhetherItIsPublicOrInternal() throws IOException {
    Path sources = Path.of("src/main/java/dev/otelanalytics");
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(sources)) {
      for (Path dir : dirs.filter(Files::isDirectory).collect(Collectors.toList())) {
        boolean hasSources;
        try (Stream<Path> files = Files.list(dir)) {
          hasSources = files.anyMatch(f -> f.toString().endsWith(".java"));
        }
        if (!hasSources) {
          continue;
        }
        Path info = dir.resolve("package-info.java");
        String pkg = sources.getParent().getParent().relativize(dir).toString().replace('/', '.').replace('\\', '.');
        if (!Files.exists(info)) {
          missing.add(pkg + ": no package-info.java");
        } else if (pkg.startsWith(INTERNAL) && !Files.readString(info).contains("Internal: not public API")) {
          missing.add(pkg + ": package-info.java does not say it is internal");
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  /** Fails on purpose when a type is public outside the list: the check above must be able to fail. */
  @Test
  void theListCheckFailsForATypeThatIsNotOnIt() throws Exception {
    Set<String> found = publicTypesOutsideInternal();
    Set<String> shorter = new TreeSet<>(PUBLIC_API);
    shorter.remove("dev.otelanalytics.ClearResult");
    assertThat(found).isNotEqualTo(shorter).contains("dev.otelanalytics.ClearResult");
  }

  static Set<String> publicTypesOutsideInternal() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(OtelAnalytics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes.resolve("dev/otelanalytics"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        name = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        if (name.startsWith(INTERNAL + ".") || name.endsWith("package-info")) {
          continue;
        }
        Class<?> type = load(name);
        if (isPublicApi(type)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** Public, and every enclosing type public too (so users can name it). */
  private static boolean isPublicApi(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkType(Type type, String where, List<String> leaks) {
    if (type == null) {
      return;
    }
    if (type instanceof Class) {
      Class<?> c = (Class<?>) type;
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.getName().startsWith(INTERNAL + ".")) {
        leaks.add(where + " " + c.getName());
      }
    } else if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      checkType(p.getRawType(), where, leaks);
      for (Type arg : p.getActualTypeArguments()) {
        checkType(arg, where, leaks);
      }
    } else if (type instanceof GenericArrayType) {
      checkType(((GenericArrayType) type).getGenericComponentType(), where, leaks);
    } else if (type instanceof WildcardType) {
      for (Type bound : ((WildcardType) type).getUpperBounds()) {
        checkType(bound, where, leaks);
      }
      for (Type bound : ((WildcardType) type).getLowerBounds()) {
        checkType(bound, where, leaks);
      }
    } else if (type instanceof TypeVariable) {
      for (Type bound : ((TypeVariable<?>) type).getBounds()) {
        if (bound != Object.class) {
          checkType(bound, where, leaks);
        }
      }
    }
  }

  private static Class<?> load(String name) throws ClassNotFoundException {
    return Class.forName(name, false, PublicApiTest.class.getClassLoader());
  }
}
