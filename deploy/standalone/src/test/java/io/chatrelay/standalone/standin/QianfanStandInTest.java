package io.chatrelay.standalone.standin;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.chatrelay.standalone.standin.StandInHttp.events;
import static io.chatrelay.standalone.standin.StandInHttp.fields;
import static io.chatrelay.standalone.standin.StandInHttp.json;
import static io.chatrelay.standalone.standin.StandInHttp.post;
import static io.chatrelay.standalone.standin.StandInHttp.vector;
import static io.chatrelay.standalone.standin.StandInHttp.vectorEvent;
import static org.assertj.core.api.Assertions.assertThat;

class QianfanStandInTest {

	private static final String V1_CONVERSATION = """
			{"system":"You are helpful.","messages":[
			 {"role":"user","content":"你好"},
			 {"role":"assistant","content":"You said: 你好 (turn 1)"},
			 {"role":"user","content":"what is ERNIE?"}]%s}
			""";

	private static final String V2_CONVERSATION = """
			{"model":"ernie-speed-128k","messages":[
			 {"role":"system","content":"You are helpful."},
			 {"role":"user","content":"what is ERNIE?"}]%s}
			""";

	private static final String REPLY_TURN_2 = "You said: what is ERNIE? (turn 2)";

	private final JsonNode v1 = vector("llm-qianfan.json").path("v1");

	private final JsonNode v2 = vector("llm-qianfan.json").path("v2");

	private VendorStandIn standIn;

	@BeforeEach
	void start() throws Exception {
		this.standIn = VendorStandIn.builder().qianfanCredentials("my-ak", "my-sk").start();
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	@Test
	void issuesAnAccessTokenInBaiduShape() {
		HttpResponse<String> response = token("my-ak", "my-sk");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json(response.body());
		assertThat(fields(body)).isEqualTo(fields(this.v1.path("token").path("response_body")));
		assertThat(body.path("access_token").asText()).startsWith("24.");
		assertThat(body.path("expires_in").asLong()).isEqualTo(2592000);
		assertThat(token("my-ak", "my-sk").body()).as("a new token per request")
			.doesNotContain(body.path("access_token").asText());
	}

	@Test
	void refusesWrongCredentialsWithInvalidClient() {
		HttpResponse<String> response = token("my-ak", "wrong");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(json(response.body())).isEqualTo(this.v1.path("token").path("error_body"));
	}

	@Test
	void answersV1ChatOnAnyEndpointInBaiduShape() {
		String token = accessToken();
		for (String endpoint : List.of("ernie-speed-128k", "completions_pro", "ernie_speed")) {
			HttpResponse<String> response = v1Chat(endpoint, token, V1_CONVERSATION.formatted(""));

			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode body = json(response.body());
			JsonNode expected = this.v1.path("non_stream").path("response_body");
			assertThat(fields(body)).isEqualTo(fields(expected));
			assertThat(fields(body.path("usage"))).isEqualTo(fields(expected.path("usage")));
			assertThat(body.path("id").asText()).startsWith("as-");
			assertThat(body.path("object").asText()).isEqualTo("chat.completion");
			assertThat(body.path("result").asText()).isEqualTo(REPLY_TURN_2);
			assertThat(body.path("is_truncated").asBoolean(true)).isFalse();
		}
	}

	@Test
	void streamsV1ResultDeltasAndEndsAtIsEndWithoutDone() {
		HttpResponse<String> response = v1Chat("ernie-speed-128k", accessToken(),
				V1_CONVERSATION.formatted(",\"stream\":true"));

		assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
		List<JsonNode> chunks = events(response.body()).stream().map(StandInHttp::json).toList();
		JsonNode expected = vectorEvent(this.v1.path("stream").path("sse_lines").path(0).asText());
		assertThat(response.body()).doesNotContain("[DONE]");
		assertThat(chunks).allSatisfy((chunk) -> {
			assertThat(fields(chunk)).isEqualTo(fields(expected));
			assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
		});
		for (int i = 0; i < chunks.size(); i++) {
			assertThat(chunks.get(i).path("sentence_id").asInt()).isEqualTo(i);
			assertThat(chunks.get(i).path("is_end").asBoolean()).isEqualTo(i == chunks.size() - 1);
		}
		assertThat(chunks.stream().map((chunk) -> chunk.path("result").asText()).collect(Collectors.joining()))
			.isEqualTo(REPLY_TURN_2);
		assertThat(chunks.get(chunks.size() - 1).path("result").asText()).isEmpty();
	}

	@Test
	void answersAnUnknownOrMissingTokenWithError110AndHttp200() {
		for (String token : new String[] { "24.forged", null }) {
			HttpResponse<String> response = v1Chat("completions", token, V1_CONVERSATION.formatted(""));

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(json(response.body())).isEqualTo(this.v1.path("errors").path("shape"));
		}
	}

	@Test
	void answersErrorsOfAStreamedCallAsPlainJson() {
		HttpResponse<String> response = v1Chat("completions", "24.forged",
				V1_CONVERSATION.formatted(",\"stream\":true"));

		assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
		assertThat(json(response.body()).path("error_code").asInt()).isEqualTo(110);
	}

	@Test
	void expiresIssuedTokensWith111UntilTheClientFetchesANewOne() {
		String old = accessToken();
		assertThat(this.standIn.expireQianfanTokens()).isEqualTo(1);

		HttpResponse<String> expired = v1Chat("completions", old, V1_CONVERSATION.formatted(""));
		assertThat(expired.statusCode()).isEqualTo(200);
		assertThat(json(expired.body()).path("error_code").asInt()).isEqualTo(111);
		assertThat(json(expired.body()).path("error_msg").asText()).isEqualTo("Access token expired");

		HttpResponse<String> fresh = v1Chat("completions", accessToken(), V1_CONVERSATION.formatted(""));
		assertThat(json(fresh.body()).path("result").asText()).isEqualTo(REPLY_TURN_2);
	}

	@Test
	void refusesMessagesThatAreEvenOrDoNotAlternateWith336003() {
		String token = accessToken();
		String even = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}";
		String systemInMessages = "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
				+ "{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}";
		String empty = "{\"messages\":[]}";

		HttpResponse<String> evenResponse = v1Chat("completions", token, even);
		assertThat(evenResponse.statusCode()).isEqualTo(200);
		assertThat(json(evenResponse.body())).isEqualTo(this.v1.path("errors").path("mock_rule_errors").path("v1"));
		for (String body : List.of(systemInMessages, empty)) {
			HttpResponse<String> response = v1Chat("completions", token, body);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(json(response.body()).path("error_code").asInt()).as(body).isEqualTo(336003);
		}
	}

	@Test
	void answersV2ChatInTheOpenAiCompatibleShape() {
		HttpResponse<String> response = v2Chat(V2_CONVERSATION.formatted(""), "Bearer bce-v3/ALTAK-x/y");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json(response.body());
		JsonNode expected = this.v2.path("response_body").path("body");
		assertThat(fields(body)).isEqualTo(fields(expected));
		assertThat(fields(body.path("choices").path(0))).isEqualTo(fields(expected.path("choices").path(0)));
		assertThat(body.path("choices").path(0).path("message").path("content").asText())
			.isEqualTo("You said: what is ERNIE? (turn 1)");
		assertThat(body.path("model").asText()).isEqualTo("ernie-speed-128k");
	}

	@Test
	void streamsV2ChunksWithIsEndThenDone() {
		HttpResponse<String> response = v2Chat(V2_CONVERSATION.formatted(",\"stream\":true"), "Bearer bce-v3/k");

		List<String> events = events(response.body());
		assertThat(events).last().isEqualTo("[DONE]");
		String vectorChunk = this.v2.path("stream").path("sse_text").asText().split("\n\n")[0];
		JsonNode expected = vectorEvent(vectorChunk);
		List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(StandInHttp::json).toList();
		assertThat(chunks).allSatisfy((chunk) -> {
			assertThat(fields(chunk)).isEqualTo(fields(expected));
			assertThat(fields(chunk.path("choices").path(0))).containsAll(fields(expected.path("choices").path(0)));
		});
		JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
		assertThat(last.path("is_end").asBoolean()).isTrue();
		assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
		assertThat(chunks.stream()
			.map((chunk) -> chunk.path("choices").path(0).path("delta").path("content").asText())
			.collect(Collectors.joining())).isEqualTo("You said: what is ERNIE? (turn 1)");
	}

	@Test
	void refusesV2CallsWithoutAKeyOrWithEvenMessagesWithHttpErrors() {
		HttpResponse<String> unauthorized = v2Chat(V2_CONVERSATION.formatted(""), null);
		HttpResponse<String> even = v2Chat(
				"{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}",
				"Bearer k");

		assertThat(unauthorized.statusCode()).isEqualTo(401);
		JsonNode expected = this.v2.path("error").path("body");
		assertThat(fields(json(unauthorized.body()))).isEqualTo(fields(expected));
		assertThat(even.statusCode()).isEqualTo(this.v2.path("error").path("http_status").asInt());
		assertThat(json(even.body()).path("error")).isEqualTo(expected.path("error"));
	}

	@Test
	void countsTokenAndChatRequestsOfBothVersionsAsQianfan() {
		v1Chat("completions", accessToken(), V1_CONVERSATION.formatted(""));
		v2Chat(V2_CONVERSATION.formatted(""), "Bearer k");

		assertThat(this.standIn.requestCount(VendorStandIn.QIANFAN)).isEqualTo(3);
		assertThat(this.standIn.requestCount()).isEqualTo(3);
	}

	private String accessToken() {
		return json(token("my-ak", "my-sk").body()).path("access_token").asText();
	}

	private HttpResponse<String> token(String ak, String sk) {
		return post(this.standIn.qianfanV1BaseUrl() + "/oauth/2.0/token?grant_type=client_credentials&client_id=" + ak
				+ "&client_secret=" + sk, "");
	}

	private HttpResponse<String> v1Chat(String endpoint, String token, String body) {
		return post(this.standIn.qianfanV1BaseUrl() + "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/" + endpoint
				+ ((token != null) ? "?access_token=" + token : ""), body);
	}

	private HttpResponse<String> v2Chat(String body, String authorization) {
		String url = this.standIn.qianfanV2BaseUrl() + "/chat/completions";
		return (authorization != null) ? post(url, body, "Authorization", authorization) : post(url, body);
	}

}
