package io.chatrelay.client.intake;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says at startup which platform channels this node serves and, for the others, which
 * credentials are missing (their callbacks answer 404).
 */
@Component
class ChannelReport {

	private static final Logger log = LoggerFactory.getLogger(ChannelReport.class);

	private final List<ChannelSettings> channels;

	ChannelReport(List<ChannelSettings> channels) {
		this.channels = channels;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		for (ChannelSettings channel : this.channels) {
			if (channel.missing().isEmpty()) {
				log.info("Channel {} enabled: /callback/{}, callback bodies up to {} bytes", channel.channel(),
						channel.channel(), channel.maxBodyBytes());
			}
			else {
				log.info("Channel {} disabled (/callback/{} answers 404): not set {}", channel.channel(),
						channel.channel(), channel.missing());
			}
		}
	}

}
