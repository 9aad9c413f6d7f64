package io.chatrelay.client.intake;

import java.time.Duration;

import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.client.dispatch.MessageAnswerer;
import io.chatrelay.client.inbox.ChannelInbox;
import io.chatrelay.client.inbox.ChannelInbox.Acceptance;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.inbox.InboxPressure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands verified platform messages to the durable inbox before the callback is
 * acknowledged; the inbox's workers answer them on any node. While the nodes fall behind
 * by more than {@code max-queue-delay} ({@link InboxPressure}) a share of the callbacks
 * is refused by {@link OverloadFilter}, and while that share is all of them a message is
 * refused here too, before anything is stored ({@link InboxOverloadedException}: 503 with
 * {@code Retry-After}, the platform delivers it again). When the backlog is full the user
 * is told to try again shortly instead of the queue growing without bound. A store
 * failure propagates (the callback answers 503 and the platform delivers again).
 *
 * <p>
 * Metrics: {@code chat_client_callbacks_total{channel,outcome}} (accepted, duplicate,
 * ignored, busy, refused).
 */
public class MessageIntake {

	private static final Logger log = LoggerFactory.getLogger(MessageIntake.class);

	private final ChannelInbox inbox;

	private final MessageAnswerer answerer;

	private final MeterRegistry meters;

	private final InboxPressure pressure;

	/**
	 * Create an intake that never refuses for the queue's delay.
	 * @param inbox the durable inbox
	 * @param answerer sends "busy" replies
	 * @param meters where to count
	 */
	public MessageIntake(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters) {
		this(inbox, answerer, meters, null);
	}

	/**
	 * Create the intake.
	 * @param inbox the durable inbox
	 * @param answerer sends "busy" replies
	 * @param meters where to count
	 * @param pressure whether the inbox is past the nodes' capacity ({@code null}: never)
	 */
	public MessageIntake(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters, InboxPressure pressure) {
		this.inbox = inbox;
		this.answerer = answerer;
		this.meters = meters;
		this.pressure = pressure;
	}

	/**
	 * Accept a verified message: stored for answering, or recognised as a duplicate, or
	 * answered "busy".
	 * @param message the message
	 * @param dedupeTtl how long its id is remembered (the platform's retry window)
	 */
	public void accept(ChannelMessage message, Duration dedupeTtl) {
		accept(message, dedupeTtl, "1");
	}

	/**
	 * Accept a verified message as {@link #accept(ChannelMessage, Duration)} does, and
	 * remember a value with its id for its later deliveries. On "busy" the apology has
	 * been handed to the channel's responder before this returns.
	 * @param message the message
	 * @param dedupeTtl how long its id is remembered (the platform's retry window)
	 * @param remember the value to remember with the id
	 * @return what became of it, with the value remembered (the first delivery's for a
	 * duplicate)
	 */
	public Acceptance accept(ChannelMessage message, Duration dedupeTtl, String remember) {
		refuseWhenOverloaded(message.channel());
		Acceptance acceptance = this.inbox.accept(message, dedupeTtl, remember);
		switch (acceptance.intake()) {
			case QUEUED -> count(message.channel(), "accepted");
			case DUPLICATE -> count(message.channel(), "duplicate");
			case BUSY -> {
				log.warn("Inbox full, answering {} with busy", message);
				count(message.channel(), "busy");
				this.answerer.apologise(message, Apology.BUSY);
			}
		}
		return acceptance;
	}

	/**
	 * Refuse a message before anything is stored for it while the node refuses every
	 * callback. HTTP callbacks were judged already, one draw each, by
	 * {@link OverloadFilter}; a second draw here would refuse more than the share, so
	 * this is only the backstop for entry points without the filter.
	 * @param channel the channel
	 * @throws InboxOverloadedException while the node refuses every callback
	 */
	private void refuseWhenOverloaded(String channel) {
		if (this.pressure != null && this.pressure.refusedShare() >= 1) {
			count(channel, "refused");
			throw new InboxOverloadedException(this.pressure.retryAfter());
		}
	}

	/**
	 * Count a callback outcome.
	 * @param channel the channel
	 * @param outcome {@code accepted}, {@code duplicate}, {@code ignored}, {@code busy}
	 * or {@code refused}
	 */
	public void count(String channel, String outcome) {
		Counter.builder("chat.client.callbacks")
			.description("Platform callbacks by channel and outcome")
			.tag("channel", channel)
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

}
