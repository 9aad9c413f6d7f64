package io.chatrelay.provider.usage;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.lang.Nullable;

/**
 * The operators' view of what each tenant spent on this provider since it started:
 * {@code GET /actuator/tokenusage[?tenant=acme]} on the management port (behind its
 * credentials). One row per tenant, vendor and model, read from {@link TokenMeter}'s
 * counters; Prometheus gives the same numbers for the whole pool
 * ({@code sum by (tenant, vendor, model) (chat_provider_usage_tokens_total)}).
 */
@Endpoint(id = "tokenusage")
public class TokenUsageEndpoint {

	private final MeterRegistry meters;

	/**
	 * Create the endpoint.
	 * @param meters where {@link TokenMeter} counts
	 */
	public TokenUsageEndpoint(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * The usage since this node started.
	 * @param tenant only this tenant's rows, or {@code null} for all
	 * @return the rows, by tenant, vendor and model
	 */
	@ReadOperation
	public Report usage(@Nullable String tenant) {
		Map<List<String>, long[]> rows = new TreeMap<>(Comparator.comparing((List<String> key) -> key.get(0))
			.thenComparing((key) -> key.get(1))
			.thenComparing((key) -> key.get(2)));
		for (Counter counter : this.meters.find(TokenMeter.REQUESTS).counters()) {
			long[] row = row(rows, counter, tenant);
			if (row != null) {
				row[0] += (long) counter.count();
			}
		}
		for (Counter counter : this.meters.find(TokenMeter.TOKENS).counters()) {
			long[] row = row(rows, counter, tenant);
			if (row != null) {
				row["prompt".equals(counter.getId().getTag("kind")) ? 1 : 2] += (long) counter.count();
			}
		}
		long requests = 0;
		long prompt = 0;
		long completion = 0;
		List<Row> list = new ArrayList<>();
		for (Map.Entry<List<String>, long[]> entry : rows.entrySet()) {
			long[] v = entry.getValue();
			list.add(new Row(entry.getKey().get(0), entry.getKey().get(1), entry.getKey().get(2), v[0], v[1], v[2],
					v[1] + v[2]));
			requests += v[0];
			prompt += v[1];
			completion += v[2];
		}
		return new Report(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), list,
				new Row((tenant != null) ? tenant : "*", "*", "*", requests, prompt, completion, prompt + completion));
	}

	private static long[] row(Map<List<String>, long[]> rows, Counter counter, String tenant) {
		String owner = counter.getId().getTag("tenant");
		if (tenant != null && !tenant.equals(owner)) {
			return null;
		}
		return rows.computeIfAbsent(List.of(owner, counter.getId().getTag("vendor"), counter.getId().getTag("model")),
				(key) -> new long[3]);
	}

	/**
	 * The usage of one node.
	 *
	 * @param since when this node started counting
	 * @param rows one per tenant, vendor and model
	 * @param total the sum of the rows
	 */
	public record Report(Instant since, List<Row> rows, Row total) {
	}

	/**
	 * What one tenant spent at one vendor on one model.
	 *
	 * @param tenant the tenant
	 * @param vendor the vendor
	 * @param model the model
	 * @param requests answers counted
	 * @param promptTokens input tokens the vendor reported
	 * @param completionTokens output tokens the vendor reported
	 * @param totalTokens both
	 */
	public record Row(String tenant, String vendor, String model, long requests, long promptTokens,
			long completionTokens, long totalTokens) {
	}

}
