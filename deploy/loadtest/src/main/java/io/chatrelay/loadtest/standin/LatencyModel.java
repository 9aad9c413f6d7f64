package io.chatrelay.loadtest.standin;

import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long the LLM stand-in takes before its first token: a fixed time, a uniform spread,
 * or a log-normal distribution given by its median and 99th percentile (the shape of real
 * model latencies: a long right tail).
 *
 * <p>
 * Written {@code fixed:50ms}, {@code uniform:20ms..80ms} or {@code lognormal:50ms,400ms}
 * (p50, p99).
 */
public sealed interface LatencyModel {

	/** The 99th percentile of the standard normal distribution. */
	double Z_99 = 2.3263478740408408;

	/**
	 * Draw one latency.
	 * @param random the source of randomness
	 * @return nanoseconds, never negative
	 */
	long sampleNanos(RandomGenerator random);

	/**
	 * Parse a model.
	 * @param text e.g. {@code lognormal:50ms,400ms}
	 * @return the model
	 * @throws IllegalArgumentException if it cannot be read
	 */
	static LatencyModel parse(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		int colon = value.indexOf(':');
		String kind = (colon < 0) ? "fixed" : value.substring(0, colon);
		String args = (colon < 0) ? value : value.substring(colon + 1);
		return switch (kind) {
			case "fixed" -> new Fixed(Durations.parse(args));
			case "uniform" -> {
				String[] bounds = args.split("\\.\\.");
				if (bounds.length != 2) {
					throw new IllegalArgumentException("uniform latency needs min..max, e.g. uniform:20ms..80ms");
				}
				yield new Uniform(Durations.parse(bounds[0]), Durations.parse(bounds[1]));
			}
			case "lognormal" -> {
				String[] quantiles = args.split(",");
				if (quantiles.length != 2) {
					throw new IllegalArgumentException("lognormal latency needs p50,p99, e.g. lognormal:50ms,400ms");
				}
				yield new LogNormal(Durations.parse(quantiles[0]), Durations.parse(quantiles[1]));
			}
			default -> throw new IllegalArgumentException(
					"Unknown latency model '" + kind + "': use fixed:, uniform: or lognormal:");
		};
	}

	/**
	 * Always the same latency.
	 *
	 * @param latency the latency
	 */
	record Fixed(Duration latency) implements LatencyModel {

		@Override
		public long sampleNanos(RandomGenerator random) {
			return this.latency.toNanos();
		}

		@Override
		public String toString() {
			return "fixed:" + this.latency.toMillis() + "ms";
		}

	}

	/**
	 * Uniform between two bounds.
	 *
	 * @param min the shortest
	 * @param max the longest
	 */
	record Uniform(Duration min, Duration max) implements LatencyModel {

		public Uniform {
			if (max.compareTo(min) < 0) {
				throw new IllegalArgumentException("uniform latency: max " + max + " is below min " + min);
			}
		}

		@Override
		public long sampleNanos(RandomGenerator random) {
			long low = this.min.toNanos();
			long high = this.max.toNanos();
			return (high == low) ? low : random.nextLong(low, high + 1);
		}

		@Override
		public String toString() {
			return "uniform:" + this.min.toMillis() + "ms.." + this.max.toMillis() + "ms";
		}

	}

	/**
	 * Log-normal with the given median and 99th percentile: {@code mu = ln(p50)},
	 * {@code sigma = ln(p99 / p50) / z(0.99)}.
	 *
	 * @param p50 the median
	 * @param p99 the 99th percentile
	 */
	record LogNormal(Duration p50, Duration p99) implements LatencyModel {

		public LogNormal {
			if (p50.isZero() || p50.isNegative() || p99.compareTo(p50) < 0) {
				throw new IllegalArgumentException("lognormal latency needs 0 < p50 <= p99, got " + p50 + ", " + p99);
			}
		}

		double mu() {
			return Math.log(this.p50.toNanos());
		}

		double sigma() {
			return Math.log((double) this.p99.toNanos() / this.p50.toNanos()) / Z_99;
		}

		@Override
		public long sampleNanos(RandomGenerator random) {
			return Math.round(Math.exp(mu() + sigma() * random.nextGaussian()));
		}

		@Override
		public String toString() {
			return "lognormal:" + this.p50.toMillis() + "ms," + this.p99.toMillis() + "ms";
		}

	}

}
