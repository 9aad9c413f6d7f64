package io.chatrelay.loadtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import io.chatrelay.loadtest.traffic.Traffic;

/**
 * One run: what to send, how fast, for how long, and how long to wait for the last
 * replies.
 *
 * @param name the run's name in reports (e.g. {@code S1})
 * @param description one line for the report
 * @param schedule when each message is due
 * @param mix relative weights of the kinds of traffic (message {@code i} takes its kind
 * from {@code i} modulo the total weight, so the mix is exact)
 * @param conversations how many conversations the messages rotate over (message {@code i}
 * goes to conversation {@code i mod conversations})
 * @param floorShare the floor's rate as a share of the schedule's first rate (at least
 * one call per second)
 * @param grace how long after the last message to wait for replies before counting the
 * missing ones as lost
 */
record RunPlan(String name, String description, ArrivalSchedule schedule, Map<Traffic, Integer> mix, int conversations,
		double floorShare, Duration grace) {

	RunPlan {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(schedule, "schedule");
		mix = new LinkedHashMap<>(mix);
		if (mix.isEmpty() || mix.values().stream().anyMatch((weight) -> weight < 0)
				|| mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
			throw new IllegalArgumentException("The traffic mix needs a positive weight");
		}
		if (conversations < 1) {
			throw new IllegalArgumentException("At least one conversation");
		}
	}

	/**
	 * The kind of traffic of message {@code index}.
	 * @param index the message
	 * @return its kind
	 */
	Traffic trafficOf(long index) {
		int total = this.mix.values().stream().mapToInt(Integer::intValue).sum();
		long slot = index % total;
		for (Map.Entry<Traffic, Integer> entry : this.mix.entrySet()) {
			if (slot < entry.getValue()) {
				return entry.getKey();
			}
			slot -= entry.getValue();
		}
		throw new IllegalStateException("unreachable");
	}

	/**
	 * How many messages of a kind the schedule sends.
	 * @param traffic the kind
	 * @return the count
	 */
	long offered(Traffic traffic) {
		long count = 0;
		long total = this.schedule.total();
		int weights = this.mix.values().stream().mapToInt(Integer::intValue).sum();
		int before = 0;
		for (Map.Entry<Traffic, Integer> entry : this.mix.entrySet()) {
			if (entry.getKey() == traffic) {
				long full = total / weights * entry.getValue();
				long rest = total % weights;
				count = full + Math.max(0, Math.min(entry.getValue(), rest - before));
				return count;
			}
			before += entry.getValue();
		}
		return 0;
	}

}
