package io.chatrelay.client.channel.wecom;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.client.channel.wecomcrypto.WeComVectors;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WeComXmlTest {

	private static final JsonNode POST = vector(WeComVectors.POST_XML);

	private static final String BILLION_LAUGHS = """
			<?xml version="1.0"?>
			<!DOCTYPE xml [
			 <!ENTITY lol "lol">
			 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
			 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
			 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
			 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
			 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
			 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
			 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
			 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
			 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
			]>
			<xml><Encrypt>&lol9;</Encrypt></xml>""";

	@Test
	void readsTheEncryptFieldOfTheOfficialEnvelope() {
		String encrypt = WeComXml.encryptField(POST.at("/request/body").asText().getBytes(StandardCharsets.UTF_8));

		assertThat(encrypt).startsWith("RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK").endsWith("R07+qN+E7Q==");
	}

	@Test
	void readsTheEncryptFieldOfAPrettyPrintedEnvelopeWithoutCdata() {
		byte[] body = """
				<?xml version="1.0" encoding="UTF-8"?>
				<xml>
				  <ToUserName>corp</ToUserName>
				  <Encrypt>
				    abc+/==
				  </Encrypt>
				</xml>
				""".getBytes(StandardCharsets.UTF_8);

		assertThat(WeComXml.encryptField(body)).isEqualTo("abc+/==");
	}

	@Test
	void parsesTheOfficialDecryptedMessage() {
		WeComMessage message = WeComXml.message(POST.at("/expected/decrypted_msg").asText());

		assertThat(message).isEqualTo(new WeComMessage("wx5823bf96d3bd56c7", "mycreate", 1409659813L, "text", "hello",
				"4561255354251345929", "218", null, null));
		assertThat(message.isText()).isTrue();
		assertThat(message.dedupeKey()).isEqualTo("4561255354251345929");
	}

	@Test
	void eventsDeduplicateOnSenderAndCreateTime() {
		WeComMessage event = WeComXml.message(
				"""
						<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>
						<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>
						<Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>""");

		assertThat(event.isText()).isFalse();
		assertThat(event.event()).isEqualTo("enter_agent");
		assertThat(event.msgId()).isNull();
		assertThat(event.content()).isNull();
		assertThat(event.agentId()).isEqualTo("1000002");
		assertThat(event.dedupeKey()).isEqualTo("zhangsan:1700000000");
	}

	@Test
	void keepsTheChatIdOfAGroupMessageAndTheContentVerbatim() {
		WeComMessage message = WeComXml.message("<xml><ToUserName>corp</ToUserName><FromUserName>lisi</FromUserName>"
				+ "<CreateTime>1700000001</CreateTime><MsgType>text</MsgType>"
				+ "<Content><![CDATA[  多行\n内容 <b>&amp; ]]></Content><MsgId>42</MsgId><ChatId>wrkSFfCgAA</ChatId></xml>");

		assertThat(message.chatId()).isEqualTo("wrkSFfCgAA");
		assertThat(message.content()).isEqualTo("  多行\n内容 <b>&amp; ");
	}

	@Test
	void ignoresNestedElementsWithTheSameName() {
		WeComMessage message = WeComXml.message("<xml><ToUserName>corp</ToUserName><FromUserName>u</FromUserName>"
				+ "<CreateTime>1</CreateTime><MsgType>event</MsgType><Event>click</Event>"
				+ "<Detail><Event>nested</Event></Detail></xml>");

		assertThat(message.event()).isEqualTo("click");
	}

	@Test
	void rejectsXxeWithAnExternalEntity(@TempDir Path dir) throws Exception {
		Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
		String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + secret.toUri()
				+ "\">]><xml><Encrypt>&xxe;</Encrypt></xml>";

		assertRejected(() -> WeComXml.encryptField(xxe.getBytes(StandardCharsets.UTF_8)));
		assertRejected(() -> WeComXml.message(xxe.replace("<Encrypt>&xxe;</Encrypt>",
				"<ToUserName>c</ToUserName><FromUserName>&xxe;</FromUserName><CreateTime>1</CreateTime>"
						+ "<MsgType>text</MsgType>")));
	}

	@Test
	void rejectsParameterEntitiesAndExternalDtds(@TempDir Path dir) throws Exception {
		Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY leak \"TOP-SECRET\">");
		String external = "<!DOCTYPE xml SYSTEM \"" + dtd.toUri() + "\"><xml><Encrypt>&leak;</Encrypt></xml>";
		String parameter = "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"" + dtd.toUri()
				+ "\"> %p;]><xml><Encrypt>&leak;</Encrypt></xml>";

		assertRejected(() -> WeComXml.encryptField(external.getBytes(StandardCharsets.UTF_8)));
		assertRejected(() -> WeComXml.encryptField(parameter.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void rejectsBillionLaughs() {
		assertRejected(() -> WeComXml.encryptField(BILLION_LAUGHS.getBytes(StandardCharsets.UTF_8)));
		assertRejected(() -> WeComXml.message(BILLION_LAUGHS));
	}

	@Test
	void rejectsABodyNestedSixtyThousandLevelsDeepWithoutAStackOverflow() {
		String deep = "<xml><Encrypt>" + "<a>".repeat(60_000) + "x" + "</a>".repeat(60_000) + "</Encrypt></xml>";

		assertRejected(() -> WeComXml.encryptField(deep.getBytes(StandardCharsets.UTF_8)));
		assertRejected(() -> WeComXml.message(deep));
	}

	@Test
	void readsTheTextOfNestedElementsUpToTheDepthLimit() {
		int levels = WeComXml.MAX_DEPTH - 2;
		String nested = "<xml><Encrypt>a" + "<b>".repeat(levels) + "c" + "</b>".repeat(levels) + "d</Encrypt></xml>";
		String tooDeep = nested.replace("<Encrypt>a", "<Encrypt>a<e>").replace("d</Encrypt>", "</e>d</Encrypt>");

		assertThat(WeComXml.encryptField(nested.getBytes(StandardCharsets.UTF_8))).isEqualTo("acd");
		assertRejected(() -> WeComXml.encryptField(tooDeep.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void rejectsAnyDoctypeEvenAHarmlessOne() {
		assertRejected(() -> WeComXml
			.encryptField("<!DOCTYPE xml><xml><Encrypt>abc</Encrypt></xml>".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void doesNotResolveXInclude(@TempDir Path dir) throws Exception {
		Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
		String body = "<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><Encrypt><xi:include href=\"" + secret.toUri()
				+ "\" parse=\"text\"/></Encrypt></xml>";

		assertRejected(() -> WeComXml.encryptField(body.getBytes(StandardCharsets.UTF_8)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not xml", "<xml><Encrypt>abc</xml>", "<xml><ToUserName>c</ToUserName></xml>",
			"<xml><Encrypt></Encrypt></xml>", "<root><Encrypt>abc</Encrypt></root>",
			"<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>", "{\"encrypt\":\"abc\"}" })
	void rejectsEnvelopesThatAreNotTheDocumentedShape(String body) {
		assertRejected(() -> WeComXml.encryptField(body.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void rejectsAMissingBody() {
		assertRejected(() -> WeComXml.encryptField(null));
		assertRejected(() -> WeComXml.message(null));
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>",
			"<xml><ToUserName>c</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>",
			"<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><MsgType>text</MsgType></xml>",
			"<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>x</CreateTime><MsgType>text</MsgType></xml>",
			"<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime></xml>",
			"<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>", "hello" })
	void rejectsMessagesWithoutTheRequiredFields(String xml) {
		assertRejected(() -> WeComXml.message(xml));
	}

	@Test
	void rejectionsNeitherQuoteTheBodyNorPrintToStandardError() {
		PrintStream original = System.err;
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
		try {
			assertThatExceptionOfType(CallbackRejectedException.class)
				.isThrownBy(() -> WeComXml.encryptField("<xml><Encrypt>SECRET-BODY".getBytes(StandardCharsets.UTF_8)))
				.withMessageNotContaining("SECRET-BODY");
		}
		finally {
			System.setErr(original);
		}
		assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	private static void assertRejected(ThrowingCallable call) {
		assertThatExceptionOfType(CallbackRejectedException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.MALFORMED));
	}

}
