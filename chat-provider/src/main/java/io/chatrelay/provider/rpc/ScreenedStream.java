package io.chatrelay.provider.rpc;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.filter.StreamScreen;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.routing.RoutedStreamListener;
import org.apache.dubbo.common.stream.StreamObserver;

/**
 * A routed stream on its way to the consumer through the word filter: each delta passes
 * the {@link StreamScreen}, which may hold back the tail of what it got; the held text
 * goes out before the last chunk. A block hit cancels the upstream call and ends the
 * stream at once with an in-band {@code CONTENT_FILTERED} chunk, so the consumer shows it
 * as filtered; nothing of the word was sent.
 *
 * <p>
 * The router serialises listener calls; {@link #cancel} may come from another thread, so
 * the state is guarded by this object's lock.
 */
final class ScreenedStream implements RoutedStreamListener {

	private final StreamScreen screen;

	private final StreamObserver<ChatChunk> observer;

	private ModelStream upstream;

	private boolean ended;

	private boolean cancelRequested;

	ScreenedStream(StreamScreen screen, StreamObserver<ChatChunk> observer) {
		this.screen = screen;
		this.observer = observer;
	}

	/**
	 * The upstream call is running (it may already have ended).
	 * @param stream its handle
	 */
	void started(ModelStream stream) {
		boolean cancelNow;
		synchronized (this) {
			this.upstream = stream;
			cancelNow = this.cancelRequested;
		}
		if (cancelNow) {
			stream.cancel();
		}
	}

	/**
	 * The consumer went away: stop the upstream call and send nothing more.
	 */
	void cancel() {
		synchronized (this) {
			this.ended = true;
		}
		cancelUpstream();
	}

	@Override
	public synchronized void onDelta(String text) {
		if (this.ended) {
			return;
		}
		String released;
		try {
			released = this.screen.accept(text);
		}
		catch (ChatException blocked) {
			this.ended = true;
			this.observer.onNext(ChatChunk.failure(blocked));
			this.observer.onCompleted();
			cancelUpstream();
			return;
		}
		if (!released.isEmpty()) {
			this.observer.onNext(ChatChunk.delta(released));
		}
	}

	@Override
	public synchronized void onComplete(String vendor, ChatRoute route, String model, String finishReason,
			TokenUsage usage) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		flush();
		this.observer.onNext(new ChatChunk("", finishReason, usage, vendor, model, route));
		this.observer.onCompleted();
	}

	@Override
	public synchronized void onError(ChatException error) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		// What was held back cannot become a listed word any more.
		flush();
		// In-band, so the consumer gets the ChatErrorCode (see ChatChunk).
		this.observer.onNext(ChatChunk.failure(error));
		this.observer.onCompleted();
	}

	private void flush() {
		String rest = this.screen.finish();
		if (!rest.isEmpty()) {
			this.observer.onNext(ChatChunk.delta(rest));
		}
	}

	private void cancelUpstream() {
		ModelStream stream;
		synchronized (this) {
			stream = this.upstream;
			this.cancelRequested = (stream == null);
		}
		if (stream != null) {
			stream.cancel();
		}
	}

}
