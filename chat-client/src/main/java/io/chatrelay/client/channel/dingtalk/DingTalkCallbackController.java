package io.chatrelay.client.channel.dingtalk;

import java.time.Duration;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackInput;
import io.chatrelay.client.intake.ChannelDisabledException;
import io.chatrelay.client.intake.MessageIntake;
import io.chatrelay.client.intake.PlatformCallback;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code /callback/dingtalk}: a DingTalk robot's messages in HTTP mode. A text message is
 * verified, deduplicated on {@code msgId} and handed on, then acknowledged with an empty
 * 200 at once; the answer goes out later through the session webhook or the OpenAPI.
 */
@PlatformCallback
@RequestMapping("/callback/dingtalk")
class DingTalkCallbackController {

	private final ObjectProvider<DingTalkChannel> channel;

	private final MessageIntake intake;

	private final Duration dedupeTtl;

	DingTalkCallbackController(ObjectProvider<DingTalkChannel> channel, MessageIntake intake,
			DingTalkProperties properties) {
		this.channel = channel;
		this.intake = intake;
		this.dedupeTtl = properties.dedupeTtl();
	}

	@PostMapping
	ResponseEntity<Void> receive(@RequestHeader(name = "timestamp", required = false) String timestamp,
			@RequestHeader(name = "sign", required = false) String sign, @RequestBody(required = false) byte[] body) {
		DingTalkChannel dingTalk = this.channel.getIfAvailable();
		if (dingTalk == null) {
			throw new ChannelDisabledException(DingTalkChannel.NAME);
		}
		ChannelMessage message = dingTalk.read(timestamp, sign, CallbackInput.body(body));
		if (message == null) {
			this.intake.count(DingTalkChannel.NAME, "ignored");
		}
		else {
			this.intake.accept(message, this.dedupeTtl);
		}
		return ResponseEntity.ok().build();
	}

}
