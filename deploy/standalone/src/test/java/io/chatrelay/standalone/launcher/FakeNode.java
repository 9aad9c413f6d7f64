package io.chatrelay.standalone.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a Spring Boot node, packed into a jar by {@link NodeProcessTest}: reads
 * {@code --key=value} arguments, serves the readiness probe on {@code server.port} and
 * leaves {@code ~/stopped-gracefully} when its shutdown hooks run (JUL logging is already
 * shut down by then). JDK only, because it runs from a bare jar.
 */
public final class FakeNode {

	private static final System.Logger log = System.getLogger("fake-node");

	private FakeNode() {
	}

	/**
	 * Run the fake node.
	 * @param args {@code --server.port=N}, optionally {@code --fake.fail=true} or
	 * {@code --fake.ready-after-ms=N}
	 * @throws Exception if the server cannot start
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> properties = new HashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			properties.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		log.log(Level.INFO, "user.home=" + System.getProperty("user.home"));
		log.log(Level.INFO, "java.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
		log.log(Level.INFO, "dubbo.network.interface.ignored=" + System.getProperty("dubbo.network.interface.ignored"));
		String apiKey = System.getenv("CHAT_PROVIDER_MODEL_OPENAI_APIKEY");
		log.log(Level.INFO,
				"CHAT_PROVIDER_MODEL_OPENAI_APIKEY characters: " + ((apiKey != null) ? apiKey.length() : -1));
		if (Boolean.parseBoolean(properties.get("fake.fail"))) {
			log.log(Level.ERROR, "boom: configured to fail");
			System.exit(3);
		}
		long readyAt = System.currentTimeMillis() + Long.parseLong(properties.getOrDefault("fake.ready-after-ms", "0"));
		HttpServer server = HttpServer
			.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(properties.get("server.port"))), 16);
		server.createContext("/actuator/health/readiness", (exchange) -> {
			boolean ready = System.currentTimeMillis() >= readyAt;
			byte[] body = (ready ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		Path stoppedMarker = Path.of(System.getProperty("user.home"), "stopped-gracefully");
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.stop(0);
			try {
				Files.writeString(stoppedMarker, "bye");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}));
		log.log(Level.INFO, "fake node started");
	}

}
