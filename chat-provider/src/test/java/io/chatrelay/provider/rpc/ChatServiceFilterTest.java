package io.chatrelay.provider.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.provider.caller.CallerGate;
import io.chatrelay.provider.filter.FilterAction;
import io.chatrelay.provider.filter.WordFilter;
import io.chatrelay.provider.filter.WordList;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.VendorAccounts;
import io.chatrelay.provider.usage.TokenMeter;
import io.chatrelay.provider.routing.RoutingDocument;
import io.chatrelay.provider.routing.RoutingPolicy;
import io.chatrelay.provider.routing.RoutingTable;
import io.chatrelay.provider.routing.ScriptedModel;
import io.chatrelay.provider.routing.ScriptedModel.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.dubbo.common.stream.StreamObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The word filter on the service's three paths, with the real router in front of a
 * scripted vendor.
 */
class ChatServiceFilterTest {

	private static final RoutingPolicy CHATGPT_ONLY = new RoutingPolicy("chatgpt", List.of("chatgpt"), false,
			"chatgpt");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WordFilter filter = new WordFilter(true,
			List.of(new WordList("banned", Set.of("*"), FilterAction.BLOCK, "Not here.", List.of("secret")),
					new WordList("rude", Set.of("*"), FilterAction.MASK, null, List.of("darn"))),
			this.meters);

	@Test
	void blockedInputNeverReachesTheVendor() {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.answer("fine"));
		ChatServiceImpl service = service(vendor);

		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> service.chatAsync(request("the Ｓ Ｅ Ｃ Ｒ Ｅ Ｔ")).get())
			.havingCause()
			.isInstanceOfSatisfying(ChatException.class,
					(ex) -> assertThat(ex.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED))
			.withMessage("Not here.");
		List<ChatChunk> chunks = stream(service, "s-e-c-r-e-t");
		assertThat(chunks).singleElement()
			.satisfies((chunk) -> assertThat(chunk.error().code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED));
		assertThat(vendor.calls).hasValue(0);
	}

	@Test
	void maskedInputAndOutputAndABlockedWholeReply() throws Exception {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.answer("darn, ok"), Outcome.answer("a secret"));
		ChatServiceImpl service = service(vendor);

		assertThat(service.chatAsync(request("darn it")).get().text()).isEqualTo("****, ok");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> service.chatAsync(request("hi")).get())
			.havingCause()
			.withMessage("Not here.");
	}

	@Test
	void aBlockWordSplitAcrossStreamChunksIsNeverSent() {
		ChatServiceImpl service = service(
				new ScriptedModel("chatgpt", new Outcome(List.of("The se", "cret is", " out"), null)));

		List<ChatChunk> chunks = stream(service, "tell me");

		assertThat(chunks).hasSize(2);
		assertThat(chunks.get(0).delta()).isEqualTo("The ");
		assertThat(chunks.get(1).error().code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(chunks.get(1).error().getMessage()).isEqualTo("Not here.");
	}

	@Test
	void aMaskWordSplitAcrossStreamChunksIsMaskedAndTheHeldTailFlushedAtTheEnd() {
		ChatServiceImpl service = service(new ScriptedModel("chatgpt", new Outcome(List.of("oh da", "rn d"), null)));

		List<ChatChunk> chunks = stream(service, "tell me");

		assertThat(chunks.stream().map(ChatChunk::delta).toList()).containsExactly("oh ", "**** ", "d", "");
		assertThat(chunks.get(3).finishReason()).isEqualTo("stop");
	}

	private ChatServiceImpl service(ScriptedModel vendor) {
		RoutingTable table = new RoutingTable(new RoutingDocument(Set.of("chatgpt"), CHATGPT_ONLY), CHATGPT_ONLY);
		return new ChatServiceImpl(new ModelRouter(table, VendorAccounts.platformOnly(Map.of("chatgpt", vendor)),
				this.meters, new TokenMeter(this.meters)), this.filter, CallerGate.admittingAll());
	}

	private static ChatRequest request(String text) {
		return new ChatRequest("r1", "t1", "c1", List.of(ChatMessage.user(text)), null, null);
	}

	private static List<ChatChunk> stream(ChatServiceImpl service, String text) {
		List<ChatChunk> chunks = new ArrayList<>();
		service.chatStream(request(text), new StreamObserver<>() {

			@Override
			public void onNext(ChatChunk chunk) {
				chunks.add(chunk);
			}

			@Override
			public void onError(Throwable error) {
				throw new AssertionError(error);
			}

			@Override
			public void onCompleted() {
				chunks.add(null);
			}

		});
		assertThat(chunks).last().isNull();
		return chunks.subList(0, chunks.size() - 1);
	}

}
