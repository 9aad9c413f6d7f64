package io.chatrelay.client.channel.wecombot;

import io.chatrelay.client.intake.CallbackInput;
import io.chatrelay.client.intake.ChannelDisabledException;
import io.chatrelay.client.intake.PlatformCallback;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /callback/wecom-bot}: WeCom 智能机器人 URL verification (GET) and encrypted JSON
 * callbacks (POST). A user message is stored in the durable inbox and answered at once
 * with an encrypted stream reply (the answer follows in the replies to WeCom's refresh
 * callbacks); a message without text is acknowledged with an empty 200 and ignored.
 */
@PlatformCallback
@RequestMapping("/callback/wecom-bot")
class WeComBotCallbackController {

	private final ObjectProvider<WeComBotChannel> channel;

	WeComBotCallbackController(ObjectProvider<WeComBotChannel> channel) {
		this.channel = channel;
	}

	@GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
	String verifyUrl(@RequestParam(name = "msg_signature", required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestParam(required = false) String echostr) {
		WeComBotChannel channel = channel();
		CallbackInput.signed(signature, timestamp, nonce, echostr);
		return channel.verifyUrl(signature, timestamp, nonce, echostr);
	}

	@PostMapping
	ResponseEntity<String> receive(@RequestParam(name = "msg_signature", required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestBody(required = false) byte[] body) {
		WeComBotChannel channel = channel();
		CallbackInput.signed(signature, timestamp, nonce);
		String json = channel.receive(signature, timestamp, nonce, CallbackInput.body(body));
		if (json == null) {
			return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("");
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
	}

	private WeComBotChannel channel() {
		WeComBotChannel bot = this.channel.getIfAvailable();
		if (bot == null) {
			throw new ChannelDisabledException(WeComBotChannel.NAME);
		}
		return bot;
	}

}
