package dev.otelanalytics.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example's routes, in-process and without any agent. */
class WebServiceTest {
  private WebService service;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    service = WebService.start(0);
  }

  @AfterEach
  void stop() {
    service.stop();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesAnswerAsDocumented() throws Exception {
    assertThat(service.port()).isPositive();
    assertThat(send("GET", "/api/items?owner=alice@example.com").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/items/43").body()).isEqualTo("{\"id\":\"43\",\"name\":\"kettle\"}");
    HttpResponse<String> unknown = send("GET", "/api/items/alice@example.com");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).as("an unknown id is never echoed").doesNotContain("alice");
    assertThat(send("GET", "/api/items/42/extra").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/api/itemsX").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/api/orders").body()).isEqualTo("{\"order\":1}");
    assertThat(send("POST", "/api/orders").statusCode()).isEqualTo(201);
    assertThat(send("GET", "/api/orders").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/api/items").statusCode()).isEqualTo(405);
    HttpResponse<String> fail = send("GET", "/api/fail");
    assertThat(fail.statusCode()).isEqualTo(500);
    assertThat(fail.body()).isEqualTo("{\"error\":\"internal error\"}");
    assertThat(send("GET", "/api/items/42").statusCode()).as("still serving after a failure").isEqualTo(200);
  }

  @Test
  void thePortComesFromTheArgumentAndMustBeAPortNumber() {
    assertThat(WebService.port(new String[] {"0"})).isZero();
    assertThat(WebService.port(new String[] {" 9090 "})).isEqualTo(9090);
    assertThatThrownBy(() -> WebService.port(new String[] {"http"})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebService.port(new String[] {"70000"})).isInstanceOf(IllegalArgumentException.class);
  }
}
