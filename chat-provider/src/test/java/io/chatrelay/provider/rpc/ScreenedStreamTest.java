package io.chatrelay.provider.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.filter.FilterAction;
import io.chatrelay.provider.filter.WordFilter;
import io.chatrelay.provider.filter.WordList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.dubbo.common.stream.StreamObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenedStreamTest {

	private final WordFilter filter = new WordFilter(true,
			List.of(new WordList("banned", Set.of("*"), FilterAction.BLOCK, "Not here.", List.of("secret"))),
			new SimpleMeterRegistry());

	private final List<ChatChunk> chunks = new ArrayList<>();

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicInteger upstreamCancels = new AtomicInteger();

	private final ScreenedStream stream = new ScreenedStream(this.filter.openStream("t"), new StreamObserver<>() {

		@Override
		public void onNext(ChatChunk chunk) {
			ScreenedStreamTest.this.chunks.add(chunk);
		}

		@Override
		public void onError(Throwable error) {
			throw new AssertionError(error);
		}

		@Override
		public void onCompleted() {
			ScreenedStreamTest.this.completed.incrementAndGet();
		}

	});

	@Test
	void aBlockHitCancelsTheUpstreamCallAndIgnoresWhatStillComes() {
		this.stream.started(this.upstreamCancels::incrementAndGet);

		this.stream.onDelta("a sec");
		this.stream.onDelta("ret");
		this.stream.onDelta(" more");
		this.stream.onComplete("chatgpt", ChatRoute.PRIMARY, "m", "stop", TokenUsage.UNKNOWN);

		assertThat(this.upstreamCancels).hasValue(1);
		assertThat(this.completed).hasValue(1);
		assertThat(this.chunks).hasSize(2);
		assertThat(this.chunks.get(0).delta()).isEqualTo("a ");
		assertThat(this.chunks.get(1).error().code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
	}

	@Test
	void aBlockHitBeforeTheHandleIsKnownCancelsItOnArrival() {
		this.stream.onDelta("secret");

		this.stream.started(this.upstreamCancels::incrementAndGet);

		assertThat(this.upstreamCancels).hasValue(1);
	}

	@Test
	void theHeldTailGoesOutBeforeAnUpstreamError() {
		this.stream.started(this.upstreamCancels::incrementAndGet);

		this.stream.onDelta("it is sec");
		this.stream.onError(new ChatException(ChatErrorCode.UNAVAILABLE, "The answer broke off: 502"));

		assertThat(this.chunks).extracting(ChatChunk::delta).containsExactly("it is ", "sec", "");
		assertThat(this.chunks.get(2).error().code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(this.completed).hasValue(1);
		assertThat(this.upstreamCancels).hasValue(0);
	}

	@Test
	void aConsumerThatWentAwayGetsNothingMore() {
		this.stream.started(this.upstreamCancels::incrementAndGet);

		this.stream.cancel();
		this.stream.onDelta("hello");

		assertThat(this.upstreamCancels).hasValue(1);
		assertThat(this.chunks).isEmpty();
	}

}
