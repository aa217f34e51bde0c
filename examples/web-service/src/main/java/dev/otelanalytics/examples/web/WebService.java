package dev.otelanalytics.examples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small web service on the JDK's own HTTP server, with no OpenTelemetry code at all: the
 * OpenTelemetry Java agent instruments it, and the otel-analytics agent extension turns each
 * request into one scrubbed event.
 *
 * <p>The agent names a JDK HttpServer span after the <em>context</em> that handled it
 * ({@code http.route} is the context path), so each route has a context of its own:
 * <ul>
 *   <li>{@code GET /api/items} (query string, e.g. {@code ?owner=alice@example.com}),
 *   <li>{@code GET /api/items/{id}} (the context {@code /api/items/}; the id is matched here),
 *   <li>{@code POST /api/orders},
 *   <li>{@code GET /api/fail}: always fails with an exception and answers 500.
 * </ul>
 *
 * <p>The port is the first argument, else {@code WEB_SERVICE_PORT}, else 8080; 0 picks a free
 * port. The bound port is printed as {@code listening on PORT}.
 */
public final class WebService {
  /** Printed, with the bound port, once the server accepts requests. */
  public static final String LISTENING = "listening on ";
  static final Map<String, String> ITEMS = new TreeMap<>(Map.of("42", "teapot", "43", "kettle"));

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicLong orders = new AtomicLong();

  private WebService(HttpServer server) {
    this.server = server;
  }

  public static void main(String[] args) throws IOException {
    WebService service = start(port(args));
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "web-service-stop"));
    System.out.println(LISTENING + service.port());
    System.out.flush();
  }

  static int port(String[] args) {
    String value = args.length > 0 ? args[0] : System.getenv("WEB_SERVICE_PORT");
    if (value == null || value.isBlank()) {
      return 8080;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port must be a number from 0 to 65535: " + value);
    }
  }

  /** Starts the service on the loopback address and {@code port} (0: any free port). */
  public static WebService start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    WebService service = new WebService(server);
    server.createContext("/api/items", service.guarded(service::listItems));
    server.createContext("/api/items/", service.guarded(service::getItem));
    server.createContext("/api/orders", service.guarded(service::createOrder));
    server.createContext("/api/fail", service.guarded(service::fail));
    server.setExecutor(service.executor);
    server.start();
    return service;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@code GET /api/items[?owner=...]}: the items, optionally for one owner (the demo has one). */
  private void listItems(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/api/items")) {
      respond(exchange, 404, "{\"error\":\"not found\"}");
      return;
    }
    if (!requireMethod(exchange, "GET")) {
      return;
    }
    // The owner filter is accepted and ignored: every item belongs to the one demo owner.
    StringBuilder json = new StringBuilder("[");
    ITEMS.forEach((id, name) -> json.append(json.length() > 1 ? "," : "")
        .append("{\"id\":\"").append(id).append("\",\"name\":\"").append(name).append("\"}"));
    respond(exchange, 200, json.append(']').toString());
  }

  /** {@code GET /api/items/{id}}: one item, or 404. */
  private void getItem(HttpExchange exchange) throws IOException {
    // The decoded path: "/api/items/{id}" under this context.
    String id = exchange.getRequestURI().getPath().substring("/api/items/".length());
    if (id.isEmpty() || id.contains("/")) {
      respond(exchange, 404, "{\"error\":\"not found\"}");
      return;
    }
    if (!requireMethod(exchange, "GET")) {
      return;
    }
    String name = ITEMS.get(id);
    if (name == null) {
      // Never echo an unknown id: it is whatever the client put in the path.
      respond(exchange, 404, "{\"error\":\"no such item\"}");
      return;
    }
    respond(exchange, 200, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}");
  }

  /** {@code POST /api/orders}: takes any body, answers 201 with a new order number. */
  private void createOrder(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/api/orders")) {
      respond(exchange, 404, "{\"error\":\"not found\"}");
      return;
    }
    if (!requireMethod(exchange, "POST")) {
      return;
    }
    try (InputStream body = exchange.getRequestBody()) {
      body.readAllBytes();
    }
    respond(exchange, 201, "{\"order\":" + orders.incrementAndGet() + "}");
  }

  /** {@code GET /api/fail}: fails the way careless code does, with personal data in the message. */
  private void fail(HttpExchange exchange) {
    throw new IllegalStateException(
        "cannot read /home/dana/.config/web-service/profile.json for dana.fail@example.com");
  }

  private static boolean requireMethod(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    respond(exchange, 405, "{\"error\":\"method not allowed\"}");
    return false;
  }

  interface Route {
    void handle(HttpExchange exchange) throws IOException;
  }

  /**
   * Answers 500 when a route throws, then lets the exception go on to the server, as a
   * framework's error handling would: the agent records it on the request's span.
   */
  private HttpHandler guarded(Route route) {
    return exchange -> {
      try {
        route.handle(exchange);
      } catch (IOException | RuntimeException e) {
        if (exchange.getResponseCode() == -1) {
          respond(exchange, 500, "{\"error\":\"internal error\"}");
        }
        throw e;
      } finally {
        exchange.close();
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
