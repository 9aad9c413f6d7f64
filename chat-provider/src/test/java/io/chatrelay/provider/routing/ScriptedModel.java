package io.chatrelay.provider.routing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;

/**
 * A vendor adapter whose answers a test scripts: each call or stream takes the next
 * outcome, the last one repeats. Stands for a vendor, not for any of our components.
 */
public final class ScriptedModel implements ChatModel {

	private final String vendor;

	private final Deque<Outcome> script = new ArrayDeque<>();

	/** How many calls and streams reached this vendor. */
	public final AtomicInteger calls = new AtomicInteger();

	private final boolean configured;

	public ScriptedModel(String vendor, Outcome... outcomes) {
		this(vendor, true, outcomes);
	}

	private ScriptedModel(String vendor, boolean configured, Outcome... outcomes) {
		this.vendor = vendor;
		this.configured = configured;
		this.script.addAll(List.of(outcomes));
	}

	/**
	 * A vendor without credentials: it fails every call with {@code UNAUTHORIZED}, as the
	 * real adapters do.
	 */
	public static ScriptedModel unconfigured(String vendor) {
		return new ScriptedModel(vendor, false,
				new Outcome(List.of(), new ChatException(ChatErrorCode.UNAUTHORIZED, vendor + " is not configured")));
	}

	@Override
	public String vendor() {
		return this.vendor;
	}

	@Override
	public boolean configured() {
		return this.configured;
	}

	private synchronized Outcome next() {
		this.calls.incrementAndGet();
		return (this.script.size() > 1) ? this.script.poll() : this.script.peek();
	}

	@Override
	public CompletableFuture<ModelResponse> call(ModelRequest request) {
		Outcome outcome = next();
		if (outcome.error() != null) {
			return CompletableFuture.failedFuture(outcome.error());
		}
		return CompletableFuture.completedFuture(new ModelResponse(String.join("", outcome.deltas()),
				this.vendor + "-model", "stop", new TokenUsage(1, 2, 3)));
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		Outcome outcome = next();
		outcome.deltas().forEach(listener::onDelta);
		if (outcome.error() != null) {
			listener.onError(outcome.error());
		}
		else {
			listener.onComplete(this.vendor + "-model", "stop", new TokenUsage(1, 2, 3));
		}
		return () -> {
		};
	}

	/**
	 * One scripted answer: the deltas, then success or the error.
	 *
	 * @param deltas text delivered (the whole answer for a call)
	 * @param error the failure after the deltas, or {@code null}
	 */
	public record Outcome(List<String> deltas, ChatException error) {

		public static Outcome answer(String text) {
			return new Outcome(List.of(text), null);
		}

		public static Outcome failure(ChatErrorCode code) {
			return new Outcome(List.of(), new ChatException(code, "scripted " + code));
		}

		public static Outcome breaksOffAfter(String text, ChatErrorCode code) {
			return new Outcome(List.of(text), new ChatException(code, "scripted " + code));
		}

	}

}
