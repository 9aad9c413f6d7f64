package io.chatrelay.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.quota.QuotaBench;
import io.chatrelay.loadtest.quota.QuotaReport;
import io.chatrelay.loadtest.report.CpuTop;
import io.chatrelay.loadtest.report.JfrTop;
import io.chatrelay.loadtest.report.ReportWriter;
import io.chatrelay.loadtest.report.RunReport;
import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.standin.PlatformStandIn;
import io.chatrelay.loadtest.traffic.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load tool's entry point: starts the stand-ins (and, unless {@code --target} is
 * given, the system), runs the scenarios named on the command line and writes their
 * reports to {@code --results} ({@code <scenario>.md}/{@code .json} and
 * {@code summary.md}/{@code .json}). See {@link ToolOptions#USAGE}.
 */
public final class LoadTool {

	private static final Logger log = LoggerFactory.getLogger(LoadTool.class);

	private LoadTool() {
	}

	/**
	 * Run; exits with 1 when a run failed, 2 on bad arguments.
	 * @param args scenarios and options
	 */
	public static void main(String[] args) {
		int status;
		if (args.length > 0 && "quota-bench".equals(args[0])) {
			System.exit(quotaBench(java.util.Arrays.asList(args).subList(1, args.length)));
		}
		if (args.length > 0 && ("jfr-top".equals(args[0]) || "cpu-top".equals(args[0]))) {
			try {
				List<String> rest = java.util.Arrays.asList(args).subList(1, args.length);
				log.info("\n{}", "jfr-top".equals(args[0]) ? JfrTop.run(rest) : CpuTop.run(rest));
				return;
			}
			catch (IOException ex) {
				log.error("Could not read the recording: {}", ex.toString());
				System.exit(1);
			}
		}
		try {
			ToolOptions options = ToolOptions.parse(args);
			if (options.flag("help")) {
				log.info("{}", ToolOptions.USAGE);
				return;
			}
			status = run(options).isEmpty() ? 1 : 0;
		}
		catch (IllegalArgumentException ex) {
			log.error("{}", ex.getMessage());
			status = 2;
		}
		catch (Exception ex) {
			log.error("The load tool failed", ex);
			status = 1;
		}
		System.exit(status);
	}

	/**
	 * {@code quota-bench}: our Lua quotas against bucket4j ({@link QuotaBench#USAGE}).
	 * @param args its options
	 * @return the exit status: 0, 1 when a limit was not exact or the bench failed, 2 on
	 * bad arguments
	 */
	static int quotaBench(List<String> args) {
		if (args.contains("--help")) {
			log.info("{}", QuotaBench.USAGE);
			return 0;
		}
		try {
			QuotaReport report = QuotaBench.run(args);
			return (report.allExact() && report.measuredGrants()) ? 0 : 1;
		}
		catch (IllegalArgumentException ex) {
			log.error("{}", ex.getMessage());
			return 2;
		}
		catch (Exception ex) {
			log.error("quota-bench failed", ex);
			return 1;
		}
	}

	/**
	 * Run the scenarios and write the reports.
	 * @param options the command line
	 * @return every run's report
	 * @throws Exception if the system or a stand-in cannot start
	 */
	static List<RunReport> run(ToolOptions options) throws Exception {
		Path results = options.path("results", "deploy/loadtest/target/results");
		List<RunReport> all = new ArrayList<>();
		try (LlmStandIn llm = LlmStandIn.start(options.integer("llm-port", 0), Scenarios.DEFAULT_PACING);
				PlatformStandIn platform = PlatformStandIn.start(options.integer("platform-port", 0))) {
			Scenarios scenarios = new Scenarios(options, llm, platform);
			for (String scenario : options.scenarios()) {
				List<RunReport> reports = scenarios.run(scenario);
				all.addAll(reports);
				Path file = ReportWriter.write(results, scenario, reports);
				log.info("{} done: {}\n{}", scenario, file, ReportWriter.markdown(reports));
			}
		}
		if (!all.isEmpty()) {
			String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
			ReportWriter.write(results, "summary", all);
			ReportWriter.write(results, "summary-" + stamp, all);
			log.info("Summary ({}):\n{}", results.resolve("summary.md"), ReportWriter.markdown(all));
		}
		return all;
	}

	/**
	 * Wait until the client answers a web chat: ready nodes have not necessarily found
	 * each other in the registry yet.
	 * @param environment the client, and the web chats' credential
	 * @param timeout how long to try
	 * @throws InterruptedException if interrupted
	 */
	static void awaitServing(Environment environment, Duration timeout) throws InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = environment
			.authorize(HttpRequest.newBuilder(URI.create(environment.clientUrl() + "/api/v1/chat")))
			.header("content-type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"warm-up\",\"userId\":\"load\","
					+ "\"message\":\"warm-up " + MessageIds.marker("warmup") + "\"}"))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			try {
				int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status == 200) {
					return;
				}
				last = "HTTP " + status;
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The system did not answer a web chat within " + timeout + " (" + last + ")");
	}

	/**
	 * The settings a report notes.
	 * @param settings the nodes' settings
	 * @param target whether the run used a running system ({@code --target}), whose
	 * settings the tool did not choose
	 * @return name to value, in order
	 */
	static Map<String, Object> settingsNote(SystemUnderTest.Settings settings, boolean target) {
		Map<String, Object> notes = new LinkedHashMap<>();
		notes.put(RunReport.SECURITY, target ? "as the --target system runs" : settings.security().summary());
		notes.put("inboxConcurrency", settings.inboxConcurrency());
		notes.put("inboxMaxBacklog", settings.inboxMaxBacklog());
		notes.put("heap", settings.maxHeap());
		return notes;
	}

}
