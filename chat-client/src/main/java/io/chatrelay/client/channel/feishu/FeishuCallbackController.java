package io.chatrelay.client.channel.feishu;

import java.time.Duration;
import java.util.Map;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackInput;
import io.chatrelay.client.intake.ChannelDisabledException;
import io.chatrelay.client.intake.MessageIntake;
import io.chatrelay.client.intake.PlatformCallback;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code /callback/feishu}: Feishu's event subscription. {@code url_verification} is
 * answered with its challenge; a text message is verified, deduplicated on
 * {@code header.event_id} and handed on, then acknowledged with 200 at once; the answer
 * goes out later as a reply to the message.
 */
@PlatformCallback
@RequestMapping("/callback/feishu")
class FeishuCallbackController {

	private static final Map<String, Object> ACK = Map.of();

	private final ObjectProvider<FeishuChannel> channel;

	private final MessageIntake intake;

	private final Duration dedupeTtl;

	FeishuCallbackController(ObjectProvider<FeishuChannel> channel, MessageIntake intake, FeishuProperties properties) {
		this.channel = channel;
		this.intake = intake;
		this.dedupeTtl = properties.dedupeTtl();
	}

	@PostMapping(produces = "application/json")
	Map<String, Object> receive(@RequestHeader(name = "X-Lark-Request-Timestamp", required = false) String timestamp,
			@RequestHeader(name = "X-Lark-Request-Nonce", required = false) String nonce,
			@RequestHeader(name = "X-Lark-Signature", required = false) String signature,
			@RequestBody(required = false) byte[] body) {
		FeishuChannel feishu = this.channel.getIfAvailable();
		if (feishu == null) {
			throw new ChannelDisabledException(FeishuChannel.NAME);
		}
		FeishuEvent event = feishu.read(timestamp, nonce, signature, CallbackInput.body(body));
		if (event instanceof FeishuEvent.UrlVerification verification) {
			return Map.of("challenge", verification.challenge());
		}
		ChannelMessage message = (event instanceof FeishuEvent.MessageReceived received) ? feishu.message(received)
				: null;
		if (message == null) {
			this.intake.count(FeishuChannel.NAME, "ignored");
		}
		else {
			this.intake.accept(message, this.dedupeTtl);
		}
		return ACK;
	}

}
