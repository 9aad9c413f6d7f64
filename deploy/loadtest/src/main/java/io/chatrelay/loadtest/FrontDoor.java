package io.chatrelay.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.frontdoor.ConnectionStorm;
import io.chatrelay.loadtest.frontdoor.FrontDoorStep;
import io.chatrelay.loadtest.measure.CpuMeter;
import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.ResourceSampler;
import io.chatrelay.loadtest.report.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code front-door} scenario: a {@link ConnectionStorm} at each of several rates
 * against the client's HTTP port, one report per rate whose {@link FrontDoorStep} the
 * markdown report shows as a table.
 *
 * @param rates new connections per second, one step each
 * @param step how long each rate is offered
 * @param path what each connection asks for ({@code GET})
 */
record FrontDoor(List<Double> rates, Duration step, String path) {

	/** The public liveness probe: the whole servlet path with almost no work. */
	static final String DEFAULT_PATH = "/actuator/health/liveness";

	/** The report's extra result holding the {@link FrontDoorStep}. */
	static final String RESULT = "frontDoor";

	private static final Logger log = LoggerFactory.getLogger(FrontDoor.class);

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

	FrontDoor {
		rates = List.copyOf(rates);
	}

	/**
	 * Warm the accept path for 10 s at 200 new connections a second, then run each step
	 * with 3 s between them.
	 * @param clientUrl {@code http://host:port} of the client
	 * @param processes the processes whose CPU each step reports
	 * @return one report per rate
	 * @throws IOException if no selector can be opened
	 * @throws InterruptedException if interrupted
	 */
	List<RunReport> run(String clientUrl, Map<String, Long> processes) throws IOException, InterruptedException {
		URI client = URI.create(clientUrl);
		ConnectionStorm storm = new ConnectionStorm(new InetSocketAddress(client.getHost(), client.getPort()),
				this.path, CONNECT_TIMEOUT, RESPONSE_TIMEOUT);
		log.info("front door: warming the accept path (200 new connections/s for 10 s)");
		storm.run(200, Duration.ofSeconds(10));
		List<RunReport> reports = new ArrayList<>();
		for (double rate : this.rates) {
			Thread.sleep(3_000);
			String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
			CpuMeter cpu = new CpuMeter(processes);
			FrontDoorStep result = storm.run(rate, this.step);
			log.info("front door at {} new connections/s: {} connected, {} connect timeouts, statuses {}", rate,
					result.connected(), result.connectTimeouts(), result.statuses());
			RunReport report = new RunReport("front-door@" + (long) rate,
					(long) rate + " new connections/s for " + this.step.toSeconds() + " s, GET " + this.path, startedAt,
					this.step.toNanos() / 1e9, List.of(), LatencySummary.EMPTY, "not used", 0, 0,
					ResourceSampler.Resources.NONE, Map.of());
			reports.add(report.with(RESULT, result).with("cpuCores", CpuMeter.text(cpu.cores())));
		}
		return reports;
	}

}
