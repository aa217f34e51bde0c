#!/usr/bin/env python3
"""Start-up cost of analytics, measured as whole processes (JMH measures code inside a JVM).

Two tables, each from interleaved rounds (every configuration once per round, in turn), medians:

  cli    examples/cli-app `version` (a command that does no work of its own) with the launcher's
         defaults: analytics off, on with the file destination, on with PostHog as the destination
         (a local server that answers 200), sent by a sender process (the launcher's default) and
         by a thread. Wall time from start to exit, and the process's CPU time (user + sys, all
         its threads, from wait4's rusage). A sender process is waited for before the next run,
         and its CPU time is reported apart (read from /proc while it runs).
  agent  examples/web-service under the OpenTelemetry Java agent, from start to its
         "listening on" line: the agent alone, the agent with the extension present but analytics
         not enabled, and enabled (PostHog to the local server, the example policy). CPU time is
         read from /proc/<pid>/stat at that line (Linux only), then the process is stopped.
  ablation (on request) the CLI's file-destination run with one part taken away at a time: usage
         reports, the YAML policy file, the local history copy.

Each row also gives the median of the paired differences against the first configuration of the
same round, which moves less with the machine's load than the medians themselves.

Usage (after `mvn -q -B package -DskipTests` in the repository root):
  python3 benchmarks/startup.py                     # the cli and agent tables, 15 rounds each (~5 min)
  python3 benchmarks/startup.py --rounds 5 cli      # the CLI table only, 5 rounds
  python3 benchmarks/startup.py ablation            # the CLI with one part taken away at a time

Standard library only; nothing else should run on the machine meanwhile.
"""
import argparse
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "examples", "cli-app", "cli-app")
CLI_JAR = os.path.join(ROOT, "examples", "cli-app", "target", "cli-app.jar")
WEB_JAR = os.path.join(ROOT, "examples", "web-service", "target", "web-service.jar")
AGENT = os.path.join(ROOT, "examples", "web-service", "target", "agent", "opentelemetry-javaagent.jar")
EXTENSION = os.path.join(ROOT, "examples", "web-service", "target", "agent", "otel-analytics-agent-extension.jar")
WEB_POLICY = os.path.join(ROOT, "examples", "web-service", "analytics-policy.yaml")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PostHogStub(http.server.BaseHTTPRequestHandler):
    """Answers every POST as PostHog's batch endpoint does when it accepts a batch."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        body = b'{"status":1}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PostHogStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def clean_environment():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OTEL_") and k not in ("DO_NOT_TRACK", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")}
    return env


SENDER_CLASS = b"dev.otelanalytics.internal.sender.SenderProcess"


def sender_pids():
    """The sender processes running now (OTEL_ANALYTICS_SENDER=process), by their command line."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    if SENDER_CLASS in f.read():
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def await_senders(timeout=60.0):
    """Waits until no sender process runs; returns the CPU milliseconds they used (polled: about)."""
    used = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = sender_pids()
        if not pids:
            break
        for pid in pids:
            try:
                used[pid] = process_cpu_ms(pid)
            except (OSError, IndexError):
                pass
        time.sleep(0.005)
    else:
        sys.exit("a sender process still runs after %.0f s" % timeout)
    return sum(used.values())


def run_cli(extra_env, command=None):
    """Wall and CPU milliseconds of one `cli-app version` run (through its launcher, unless `command` says otherwise),
    and the CPU milliseconds of the sender process it started, if any (waited for, so that it does not slow the next run)."""
    env = clean_environment()
    env.update(extra_env)
    command = command or [CLI, "version"]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit("cli-app version exited with %d under %s" % (process.returncode, extra_env))
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, await_senders()


def process_cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line; after the ")" they are at 11 and 12.
    return (int(fields[11]) + int(fields[12])) * 1000.0 / CLOCK_TICKS


def run_agent(java_args, extra_env, work):
    """Wall and CPU milliseconds from start to the web service's "listening on" line."""
    env = clean_environment()
    env.update({"OTEL_SERVICE_NAME": "web-service", "OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none",
                "OTEL_LOGS_EXPORTER": "none"})
    env.update(extra_env)
    command = ["java"] + java_args + ["-jar", WEB_JAR, "0"]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=work)
    try:
        for line in process.stdout:
            if line.startswith(b"listening on "):
                wall = (time.perf_counter() - started) * 1000
                return wall, process_cpu_ms(process.pid)
        sys.exit("the web service ended without listening: %s" % " ".join(command))
    finally:
        process.kill()
        process.wait()


def median(values):
    return statistics.median(values)


def report(title, names, samples):
    base = names[0]
    senders = any(len(sample) > 2 and sample[2] > 0 for name in names for sample in samples[name])
    print()
    print(title)
    print("| configuration | wall (ms) | CPU (ms) | paired wall difference (ms) | paired CPU difference (ms) |"
          + (" sender process CPU (ms) |" if senders else ""))
    print("|---|---:|---:|---:|---:|" + ("---:|" if senders else ""))
    for name in names:
        walls = [sample[0] for sample in samples[name]]
        cpus = [sample[1] for sample in samples[name]]
        if name == base:
            dw = dc = "—"
        else:
            dw = "%+.0f" % median([a[0] - b[0] for a, b in zip(samples[name], samples[base])])
            dc = "%+.0f" % median([a[1] - b[1] for a, b in zip(samples[name], samples[base])])
        row = "| %s | %.0f | %.0f | %s | %s |" % (name, median(walls), median(cpus), dw, dc)
        if senders:
            sender = [sample[2] for sample in samples[name]]
            row += " %s |" % ("%.0f" % median(sender) if any(sender) else "—")
        print(row)
    sys.stdout.flush()


def measure(configurations, run, rounds, warmups):
    samples = {name: [] for name, _ in configurations}
    for round_number in range(warmups + rounds):
        for name, arguments in configurations:
            result = run(*arguments)
            if round_number >= warmups:
                samples[name].append(result)
        print("round %d of %d done" % (round_number + 1, warmups + rounds), file=sys.stderr)
    return samples


def cli_table(rounds, stub_url, work):
    for path in (CLI, CLI_JAR):
        if not os.path.exists(path):
            sys.exit("%s is missing: run 'mvn -q -B package -DskipTests' in the repository root first" % path)

    def state(name):
        return {"OTEL_ANALYTICS_STATE_DIR": os.path.join(work, "cli-" + name)}

    configurations = [
        ("analytics off", ({"OTEL_ANALYTICS_ENABLED": "false", **state("off")},)),
        ("analytics on, file destination", (state("file"),)),
        ("analytics on, PostHog destination, sender process (the launcher's default)",
         ({"OTEL_ANALYTICS_DESTINATION": "posthog", "OTEL_EXPORTER_POSTHOG_ENDPOINT": stub_url,
           "OTEL_EXPORTER_POSTHOG_API_KEY": "phc_startup", **state("posthog")},)),
        ("analytics on, PostHog destination, sender thread",
         ({"OTEL_ANALYTICS_DESTINATION": "posthog", "OTEL_EXPORTER_POSTHOG_ENDPOINT": stub_url,
           "OTEL_EXPORTER_POSTHOG_API_KEY": "phc_startup", "OTEL_ANALYTICS_SENDER": "thread", **state("posthog-thread")},)),
    ]
    # The first round of each is not counted: it shows the first-run notice and creates the state.
    samples = measure(configurations, run_cli, rounds, warmups=1)
    report("`cli-app version`, %d interleaved rounds, medians" % rounds, [n for n, _ in configurations], samples)


def ablation_table(rounds, stub_url, work):
    """Where the CLI's added time goes: the file-destination run with one part taken away at a time.

    Runs `java -jar cli-app.jar version` with the launcher's settings written out, so that the
    policy file can be left out (the launcher always sets one)."""
    launcher = {"OTEL_SERVICE_NAME": "cli-app", "OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "analytics",
                "OTEL_LOGS_EXPORTER": "none", "OTEL_ANALYTICS_ENABLED": "true",
                "OTEL_ANALYTICS_POLICY_FILE": os.path.join(os.path.dirname(CLI), "analytics-policy.yaml")}
    direct = ["java", "-jar", CLI_JAR, "version"]

    def settings(name, **changes):
        env = dict(launcher, OTEL_ANALYTICS_STATE_DIR=os.path.join(work, "ablation-" + name))
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    configurations = [
        ("analytics off, usage reports off", (settings("off", OTEL_ANALYTICS_ENABLED="false", OTEL_METRICS_EXPORTER="none"), direct)),
        ("on, file destination, usage reports off", (settings("file", OTEL_METRICS_EXPORTER="none"), direct)),
        ("on, as above, built-in policy (no YAML file)",
         (settings("builtin", OTEL_METRICS_EXPORTER="none", OTEL_ANALYTICS_POLICY_FILE=None), direct)),
        ("analytics off, usage reports setting as the launcher's", (settings("off2", OTEL_ANALYTICS_ENABLED="false"), direct)),
        ("on, file destination, usage reports on (the launcher's defaults)", (settings("reports"), direct)),
    ]
    samples = measure(configurations, run_cli, rounds, warmups=1)
    report("`cli-app version`, one part of analytics taken away at a time, %d interleaved rounds, medians" % rounds,
           [n for n, _ in configurations], samples)


NOOP_PROVIDER = """package noop;
public final class NoopProvider implements io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider {
  @Override public void customize(io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer customizer) {}
}
"""


def do_nothing_extension(work):
    """An extension whose one class the agent loads and which adds nothing: what any real extension costs the agent.
    Built with javac against the autoconfigure SPI in the local Maven repository; None when either is missing."""
    spi_dir = os.path.expanduser("~/.m2/repository/io/opentelemetry/opentelemetry-sdk-extension-autoconfigure-spi")
    spis = sorted(os.path.join(root, f) for root, _, files in os.walk(spi_dir) for f in files
                  if f.endswith(".jar") and "-sources" not in f and "-javadoc" not in f)
    if not spis or shutil.which("javac") is None:
        print("(no do-nothing extension: javac or the autoconfigure SPI jar is missing)", file=sys.stderr)
        return None
    src = os.path.join(work, "noop-src", "noop")
    out = os.path.join(work, "noop-classes")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "NoopProvider.java"), "w") as f:
        f.write(NOOP_PROVIDER)
    subprocess.run(["javac", "--release", "8", "-nowarn", "-cp", spis[-1], "-d", out,
                    os.path.join(src, "NoopProvider.java")], check=True, capture_output=True)
    jar_path = os.path.join(work, "noop-extension.jar")
    with zipfile.ZipFile(jar_path, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        jar.writestr("META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider",
                     "noop.NoopProvider\n")
        jar.write(os.path.join(out, "noop", "NoopProvider.class"), "noop/NoopProvider.class")
    return jar_path


def agent_table(rounds, stub_url, work):
    for path in (WEB_JAR, AGENT, EXTENSION, WEB_POLICY):
        if not os.path.exists(path):
            sys.exit("%s is missing: run 'mvn -q -B package -DskipTests' in the repository root first" % path)
    agent = ["-javaagent:" + AGENT]
    extension = agent + ["-Dotel.javaagent.extensions=" + EXTENSION]
    enabled = {"OTEL_ANALYTICS_ENABLED": "true", "OTEL_ANALYTICS_DESTINATION": "posthog",
               "OTEL_EXPORTER_POSTHOG_ENDPOINT": stub_url, "OTEL_EXPORTER_POSTHOG_API_KEY": "phc_startup",
               "OTEL_ANALYTICS_POLICY_FILE": WEB_POLICY, "OTEL_ANALYTICS_STATE_DIR": os.path.join(work, "agent-state")}
    # An extension jar with nothing in it: the agent opens it and loads nothing from it.
    empty = os.path.join(work, "empty-extension.jar")
    with zipfile.ZipFile(empty, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    configurations = [
        ("agent alone", (agent, {}, work)),
        ("agent + an empty extension jar", (agent + ["-Dotel.javaagent.extensions=" + empty], {}, work)),
    ]
    noop = do_nothing_extension(work)
    if noop:
        configurations.append(("agent + a do-nothing extension (one customizer that adds nothing)",
                               (agent + ["-Dotel.javaagent.extensions=" + noop], {}, work)))
    configurations += [
        ("agent + extension, analytics not enabled", (extension, {}, work)),
        ("agent + extension, enabled (PostHog, the example's policy)", (extension, enabled, work)),
    ]
    samples = measure(configurations, run_agent, rounds, warmups=1)
    report("web-service under the Java agent, start to `listening on`, %d interleaved rounds, medians" % rounds,
           [n for n, _ in configurations], samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tables", nargs="*", help="cli, ablation, agent (default: cli agent)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    tables = args.tables or ["cli", "agent"]
    unknown = [t for t in tables if t not in ("cli", "ablation", "agent")]
    if unknown:
        parser.error("unknown table %s: choose from cli, ablation, agent" % ", ".join(unknown))
    if shutil.which("java") is None:
        sys.exit("java is not on the PATH")
    server, url = start_stub()
    work = tempfile.mkdtemp(prefix="otel-analytics-startup-")
    try:
        print("java: %s" % subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0])
        print("machine: %d CPUs, load average %s" % (os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))
        if "cli" in tables:
            cli_table(args.rounds, url, work)
        if "ablation" in tables:
            ablation_table(args.rounds, url, work)
        if "agent" in tables:
            agent_table(args.rounds, url, work)
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
