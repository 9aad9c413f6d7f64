package io.chatrelay.client.channel.wecom;

import java.time.Duration;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackInput;
import io.chatrelay.client.intake.ChannelDisabledException;
import io.chatrelay.client.intake.MessageIntake;
import io.chatrelay.client.intake.PlatformCallback;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /callback/wecom}: WeCom's URL verification (GET) and encrypted message pushes
 * (POST). A text message is verified, deduplicated and handed on, then acknowledged with
 * an empty 200 at once; the answer goes out later through the API. Events (such as
 * {@code enter_agent}) are acknowledged and ignored.
 */
@PlatformCallback
@RequestMapping("/callback/wecom")
class WeComCallbackController {

	private final ObjectProvider<WeComChannel> channel;

	private final MessageIntake intake;

	private final Duration dedupeTtl;

	WeComCallbackController(ObjectProvider<WeComChannel> channel, MessageIntake intake, WeComProperties properties) {
		this.channel = channel;
		this.intake = intake;
		this.dedupeTtl = properties.dedupeTtl();
	}

	@GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
	String verifyUrl(@RequestParam(name = "msg_signature", required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestParam(required = false) String echostr) {
		WeComChannel channel = channel();
		CallbackInput.signed(signature, timestamp, nonce, echostr);
		return channel.verifyUrl(signature, timestamp, nonce, echostr);
	}

	@PostMapping(produces = MediaType.TEXT_PLAIN_VALUE)
	String receive(@RequestParam(name = "msg_signature", required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestBody(required = false) byte[] body) {
		WeComChannel channel = channel();
		CallbackInput.signed(signature, timestamp, nonce);
		ChannelMessage message = channel.read(signature, timestamp, nonce, CallbackInput.body(body));
		if (message == null) {
			this.intake.count(WeComChannel.NAME, "ignored");
		}
		else {
			this.intake.accept(message, this.dedupeTtl);
		}
		return "";
	}

	private WeComChannel channel() {
		WeComChannel wecom = this.channel.getIfAvailable();
		if (wecom == null) {
			throw new ChannelDisabledException(WeComChannel.NAME);
		}
		return wecom;
	}

}
