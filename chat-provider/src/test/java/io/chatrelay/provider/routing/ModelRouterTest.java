package io.chatrelay.provider.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.usage.TokenMeter;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.resilience.CircuitOpenException;
import io.chatrelay.provider.routing.ScriptedModel.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRouterTest {

	private static final String TENANT = "acme";

	private static final ModelRequest REQUEST = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null,
			null);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RoutingTable table = new RoutingTable(
			new RoutingDocument(Set.of("chatgpt", "chatglm", "ernie"), RoutingDocumentTest.DEFAULTS),
			RoutingDocumentTest.DEFAULTS);

	@Test
	void primaryAnswersWhenHealthy() {
		RoutedReply reply = router(new ScriptedModel("chatgpt", Outcome.answer("gpt")),
				new ScriptedModel("chatglm", Outcome.answer("glm")), new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("chatgpt");
		assertThat(reply.route()).isEqualTo(ChatRoute.PRIMARY);
		assertThat(count("chatgpt", "success", "primary")).isEqualTo(1);
	}

	@Test
	void fallsBackInOrderOnRetriableErrors() {
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.failure(ChatErrorCode.RATE_LIMITED));
		RoutedReply reply = router(new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE)), glm,
				new ScriptedModel("ernie", Outcome.answer("ernie says hi")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("ernie");
		assertThat(reply.route()).isEqualTo(ChatRoute.FALLBACK);
		assertThat(reply.response().text()).isEqualTo("ernie says hi");
		assertThat(count("chatgpt", "unavailable", "primary")).isEqualTo(1);
		assertThat(count("chatglm", "rate_limited", "fallback")).isEqualTo(1);
		assertThat(count("ernie", "success", "fallback")).isEqualTo(1);
	}

	@Test
	void anOpenBreakerMovesOnAndTheConsumerOnlySeesAPlainChatException() {
		ScriptedModel gpt = new ScriptedModel("chatgpt",
				new Outcome(List.of(), new CircuitOpenException(ChatErrorCode.UNAVAILABLE, "chatgpt breaker open")));
		ScriptedModel glm = new ScriptedModel("chatglm",
				new Outcome(List.of(), new CircuitOpenException(ChatErrorCode.UNAVAILABLE, "chatglm breaker open")));
		ScriptedModel ernie = new ScriptedModel("ernie",
				new Outcome(List.of(), new CircuitOpenException(ChatErrorCode.UNAVAILABLE, "ernie breaker open")));

		CompletableFuture<RoutedReply> call = router(gpt, glm, ernie).call(TENANT, REQUEST);

		assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
			.cause()
			.isExactlyInstanceOf(ChatException.class)
			.hasMessageContaining("ernie breaker open");
		assertThat(List.of(gpt.calls.get(), glm.calls.get(), ernie.calls.get())).containsExactly(1, 1, 1);
	}

	@Test
	void nonRetriableErrorsDoNotFallBack() {
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.answer("glm"));

		CompletableFuture<RoutedReply> call = router(
				new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.BAD_REQUEST)), glm,
				new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST);

		assertThatThrownBy(call::join).cause()
			.isInstanceOf(ChatException.class)
			.satisfies((ex) -> assertThat(((ChatException) ex).code()).isEqualTo(ChatErrorCode.BAD_REQUEST));
		assertThat(glm.calls).hasValue(0);
	}

	@Test
	void degradeSendsEveryRequestToTheTargetOnly() {
		this.table.publish("degrade: {enabled: true, target: ernie}");
		ScriptedModel gpt = new ScriptedModel("chatgpt", Outcome.answer("gpt"));

		RoutedReply reply = router(gpt, new ScriptedModel("chatglm", Outcome.answer("glm")),
				new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("ernie");
		assertThat(reply.route()).isEqualTo(ChatRoute.DEGRADED);
		assertThat(gpt.calls).hasValue(0);
	}

	@Test
	void aStreamFailingBeforeItsFirstTokenFallsBack() {
		RecordingRoutedListener listener = new RecordingRoutedListener();

		router(new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE)),
				new ScriptedModel("chatglm", new Outcome(List.of("Hel", "lo"), null)),
				new ScriptedModel("ernie", Outcome.answer("e")))
			.stream(TENANT, REQUEST, listener);

		assertThat(listener.deltas).containsExactly("Hel", "lo");
		assertThat(listener.completedBy).isEqualTo("chatglm/FALLBACK");
		assertThat(listener.error).isNull();
	}

	@Test
	void aStreamFailingAfterItsFirstTokenEndsWithAnError() {
		RecordingRoutedListener listener = new RecordingRoutedListener();
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.answer("glm"));

		router(new ScriptedModel("chatgpt", Outcome.breaksOffAfter("Hel", ChatErrorCode.UNAVAILABLE)), glm,
				new ScriptedModel("ernie", Outcome.answer("e")))
			.stream(TENANT, REQUEST, listener);

		assertThat(listener.deltas).containsExactly("Hel");
		assertThat(listener.completedBy).isNull();
		assertThat(listener.error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(listener.error.getMessage()).contains("broke off");
		assertThat(glm.calls).hasValue(0);
	}

	@Test
	void vendorsWithoutCredentialsArePassedOverAndThePrimaryErrorIsReported() {
		ScriptedModel glm = ScriptedModel.unconfigured("chatglm");
		ScriptedModel ernie = new ScriptedModel("ernie", Outcome.failure(ChatErrorCode.UNAVAILABLE));

		CompletableFuture<RoutedReply> call = router(
				new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.RATE_LIMITED)), glm, ernie)
			.call(TENANT, REQUEST);

		assertThatThrownBy(call::join).cause()
			.isInstanceOf(ChatException.class)
			.satisfies((ex) -> assertThat(((ChatException) ex).code()).isEqualTo(ChatErrorCode.UNAVAILABLE));
		assertThat(glm.calls).hasValue(0);
		assertThat(ernie.calls).hasValue(1);
	}

	@Test
	void aPrimaryWithoutCredentialsIsPassedOverToo() {
		RoutedReply reply = router(ScriptedModel.unconfigured("chatgpt"),
				new ScriptedModel("chatglm", Outcome.answer("glm")), new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("chatglm");
		assertThat(reply.route()).isEqualTo(ChatRoute.FALLBACK);
	}

	@Test
	void whenNoVendorHasCredentialsTheCallerLearnsWhich() {
		CompletableFuture<RoutedReply> call = router(ScriptedModel.unconfigured("chatgpt"),
				ScriptedModel.unconfigured("chatglm"), ScriptedModel.unconfigured("ernie"))
			.call(TENANT, REQUEST);

		assertThatThrownBy(call::join).cause()
			.isInstanceOf(ChatException.class)
			.hasMessageContaining("chatgpt is not configured");
	}

	@Test
	void aTimeoutMovesOnAtOnceButTheLastVendorGetsOneMoreAttempt() {
		ScriptedModel gpt = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.TIMEOUT));
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.failure(ChatErrorCode.UNAVAILABLE));
		ScriptedModel ernie = new ScriptedModel("ernie", Outcome.failure(ChatErrorCode.TIMEOUT),
				Outcome.answer("ernie at last"));

		RoutedReply reply = router(gpt, glm, ernie).call(TENANT, REQUEST).join();

		assertThat(reply.response().text()).isEqualTo("ernie at last");
		assertThat(List.of(gpt.calls.get(), glm.calls.get(), ernie.calls.get())).containsExactly(1, 1, 2);
	}

	@Test
	void theLastVendorTimingOutTwiceEndsTheCall() {
		this.table.publish("degrade: {enabled: true, target: chatglm}");
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.failure(ChatErrorCode.TIMEOUT));

		CompletableFuture<RoutedReply> call = router(new ScriptedModel("chatgpt", Outcome.answer("gpt")), glm,
				new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST);

		assertThatThrownBy(call::join).cause()
			.isInstanceOf(ChatException.class)
			.satisfies((ex) -> assertThat(((ChatException) ex).code()).isEqualTo(ChatErrorCode.TIMEOUT));
		assertThat(glm.calls).hasValue(2);
	}

	@Test
	void aStreamTimingOutAtTheLastVendorGetsOneMoreAttempt() {
		RecordingRoutedListener listener = new RecordingRoutedListener();
		this.table.publish("degrade: {enabled: true, target: ernie}");
		ScriptedModel ernie = new ScriptedModel("ernie", Outcome.failure(ChatErrorCode.TIMEOUT),
				new Outcome(List.of("late ", "answer"), null));

		router(new ScriptedModel("chatgpt", Outcome.answer("gpt")), new ScriptedModel("chatglm", Outcome.answer("g")),
				ernie)
			.stream(TENANT, REQUEST, listener);

		assertThat(listener.deltas).containsExactly("late ", "answer");
		assertThat(listener.completedBy).isEqualTo("ernie/DEGRADED");
		assertThat(ernie.calls).hasValue(2);
	}

	@Test
	void aUsedUpQuotaFallsBack() {
		RoutedReply reply = router(
				new ScriptedModel("chatgpt", new Outcome(List.of(), new QuotaExhaustedException("insufficient_quota"))),
				new ScriptedModel("chatglm", Outcome.answer("glm")), new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("chatglm");
	}

	@Test
	void aWholeAnswerIsAskedForAsAStreamAndCollected() {
		ScriptedModel gpt = new ScriptedModel("chatgpt", new Outcome(List.of("Hel", "lo"), null));

		RoutedReply reply = router(gpt, new ScriptedModel("chatglm", Outcome.answer("glm")),
				new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.response())
			.isEqualTo(new ModelResponse("Hello", "chatgpt-model", "stop", new TokenUsage(1, 2, 3)));
	}

	@Test
	void aWholeAnswerThatBreaksOffFallsBackWithNothingOfTheFirstVendorsText() {
		RoutedReply reply = router(new ScriptedModel("chatgpt", Outcome.breaksOffAfter("Hel", ChatErrorCode.TIMEOUT)),
				new ScriptedModel("chatglm", Outcome.answer("glm")), new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST)
			.join();

		assertThat(reply.vendor()).isEqualTo("chatglm");
		assertThat(reply.response().text()).isEqualTo("glm");
	}

	@Test
	void cancellingAWholeAnswerCancelsTheVendorsStream() {
		SilentModel gpt = new SilentModel();
		ScriptedModel glm = new ScriptedModel("chatglm", Outcome.answer("glm"));

		CompletableFuture<RoutedReply> call = router(gpt, glm, new ScriptedModel("ernie", Outcome.answer("e")))
			.call(TENANT, REQUEST);
		call.cancel(false);

		assertThat(gpt.cancelled).hasValue(1);
		assertThat(glm.calls).hasValue(0);
		assertThat(this.meters.find("chat.provider.requests").counters()).isEmpty();
	}

	private ModelRouter router(ChatModel gpt, ChatModel glm, ChatModel ernie) {
		return new ModelRouter(this.table,
				VendorAccounts.platformOnly(Map.of("chatgpt", gpt, "chatglm", glm, "ernie", ernie)), this.meters,
				new TokenMeter(this.meters));
	}

	private double count(String vendor, String outcome, String route) {
		return this.meters.get("chat.provider.requests")
			.tag("vendor", vendor)
			.tag("outcome", outcome)
			.tag("route", route)
			.counter()
			.count();
	}

	/**
	 * A vendor that never says anything: its stream only counts being cancelled.
	 */
	static final class SilentModel implements ChatModel {

		final AtomicInteger cancelled = new AtomicInteger();

		@Override
		public String vendor() {
			return "chatgpt";
		}

		@Override
		public CompletableFuture<ModelResponse> call(ModelRequest request) {
			return new CompletableFuture<>();
		}

		@Override
		public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
			return this.cancelled::incrementAndGet;
		}

	}

	static final class RecordingRoutedListener implements RoutedStreamListener {

		final List<String> deltas = new java.util.ArrayList<>();

		String completedBy;

		ChatException error;

		@Override
		public void onDelta(String text) {
			this.deltas.add(text);
		}

		@Override
		public void onComplete(String vendor, ChatRoute route, String model, String finishReason, TokenUsage usage) {
			this.completedBy = vendor + "/" + route;
		}

		@Override
		public void onError(ChatException error) {
			this.error = error;
		}

	}

}
