package io.chatrelay.loadtest.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When each message of an open-model run is due: one or more steps, each at a fixed rate
 * for a fixed time, back to back. Message {@code j} of a step at rate {@code r} is due
 * {@code j / r} seconds after the step starts, whatever happened to earlier messages: the
 * generator never waits for an answer (no coordinated omission).
 *
 * @param steps the steps in order
 */
public record ArrivalSchedule(List<Step> steps) {

	public ArrivalSchedule {
		steps = List.copyOf(steps);
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("A schedule needs at least one step");
		}
	}

	/**
	 * One rate for one time.
	 * @param perSecond messages per second
	 * @param duration how long
	 * @return a one-step schedule
	 */
	public static ArrivalSchedule steady(double perSecond, Duration duration) {
		return new ArrivalSchedule(List.of(new Step(perSecond, duration)));
	}

	/**
	 * Rates one after another, each for the same time.
	 * @param rates messages per second of each step
	 * @param each how long each step lasts
	 * @return the schedule
	 */
	static ArrivalSchedule ramp(List<Double> rates, Duration each) {
		List<Step> steps = new ArrayList<>();
		for (double rate : rates) {
			steps.add(new Step(rate, each));
		}
		return new ArrivalSchedule(steps);
	}

	/**
	 * How many messages the whole schedule sends.
	 * @return the count
	 */
	public long total() {
		long total = 0;
		for (Step step : this.steps) {
			total += step.count();
		}
		return total;
	}

	/**
	 * The whole length.
	 * @return the sum of the steps' durations
	 */
	public Duration duration() {
		Duration sum = Duration.ZERO;
		for (Step step : this.steps) {
			sum = sum.plus(step.duration());
		}
		return sum;
	}

	/**
	 * When message {@code index} is due, from the start of the run.
	 * @param index 0 to {@link #total()} − 1
	 * @return nanoseconds after the start
	 */
	public long dueNanos(long index) {
		long offset = 0;
		long remaining = index;
		for (Step step : this.steps) {
			if (remaining < step.count()) {
				return offset + step.dueNanos(remaining);
			}
			remaining -= step.count();
			offset += step.duration().toNanos();
		}
		throw new IndexOutOfBoundsException("Message " + index + " of " + total());
	}

	/**
	 * Which step a message belongs to.
	 * @param index the message
	 * @return the step's index
	 */
	public int stepOf(long index) {
		long remaining = index;
		for (int i = 0; i < this.steps.size(); i++) {
			if (remaining < this.steps.get(i).count()) {
				return i;
			}
			remaining -= this.steps.get(i).count();
		}
		throw new IndexOutOfBoundsException("Message " + index + " of " + total());
	}

	/**
	 * A fixed rate for a fixed time.
	 *
	 * @param perSecond messages per second, above 0
	 * @param duration how long, above 0
	 */
	public record Step(double perSecond, Duration duration) {

		public Step {
			Objects.requireNonNull(duration, "duration");
			if (!(perSecond > 0) || duration.isZero() || duration.isNegative()) {
				throw new IllegalArgumentException("A step needs a rate and a duration above 0");
			}
		}

		/**
		 * Messages in this step: the rate times the duration, rounded.
		 * @return the count
		 */
		public long count() {
			return Math.round(this.perSecond * this.duration.toNanos() / 1e9);
		}

		long dueNanos(long index) {
			return Math.round(index * 1e9 / this.perSecond);
		}

	}

}
