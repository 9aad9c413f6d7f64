package io.chatrelay.standalone.standin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-vendor state of a stand-in that tests and people change at run time: the
 * injected failure and the request count of each {@link StandInVendor}. Thread-safe;
 * every handler of one stand-in shares one switchboard.
 */
final class VendorSwitchboard {

	private final Map<String, InjectedFailure> failures = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> requests = new LinkedHashMap<>();

	private final Duration defaultSlowDelay;

	private final CountDownLatch closing = new CountDownLatch(1);

	VendorSwitchboard(Map<String, InjectedFailure> initial, Duration defaultSlowDelay) {
		for (String vendor : StandInVendor.ids()) {
			this.requests.put(vendor, new AtomicLong());
			this.failures.put(vendor, InjectedFailure.NONE);
		}
		initial.forEach(this::set);
		this.defaultSlowDelay = defaultSlowDelay;
	}

	List<String> vendors() {
		return List.copyOf(this.requests.keySet());
	}

	/**
	 * The vendor name as the switchboard knows it.
	 * @throws IllegalArgumentException naming the known vendors
	 */
	String requireVendor(String vendor) {
		return StandInVendor.of(vendor).id();
	}

	void count(String vendor) {
		this.requests.get(requireVendor(vendor)).incrementAndGet();
	}

	long requests(String vendor) {
		return this.requests.get(requireVendor(vendor)).get();
	}

	long totalRequests() {
		return this.requests.values().stream().mapToLong(AtomicLong::get).sum();
	}

	InjectedFailure failure(String vendor) {
		return this.failures.get(requireVendor(vendor));
	}

	void set(String vendor, InjectedFailure failure) {
		this.failures.put(requireVendor(vendor), failure);
	}

	/** The pause of {@link FailureMode#SLOW} when none is given. */
	Duration defaultSlowDelay() {
		return this.defaultSlowDelay;
	}

	/** Vendor to failure, in vendor order. */
	Map<String, InjectedFailure> failures() {
		Map<String, InjectedFailure> copy = new LinkedHashMap<>();
		for (String vendor : this.requests.keySet()) {
			copy.put(vendor, this.failures.get(vendor));
		}
		return copy;
	}

	/**
	 * Block a {@link FailureMode#HANG} request until the stand-in closes.
	 * @throws InterruptedException if the thread is interrupted first
	 */
	void awaitClose() throws InterruptedException {
		this.closing.await();
	}

	/** Release every hanging request: the stand-in is closing. */
	void close() {
		this.closing.countDown();
	}

}
