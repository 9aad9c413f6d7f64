package io.chatrelay.client.system;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Lets the web requests in flight finish before Dubbo closes its references. Spring
 * publishes the close event before it stops the web server gracefully, and Dubbo closes
 * its references on that event: a web chat still waiting for its answer would fail with
 * "no provider" although the providers are fine. This listener runs first on the event,
 * stops taking requests and waits for the running ones (with {@code server.shutdown:
 * graceful}; with {@code immediate} it returns at once), up to a bound.
 */
class DrainWebBeforeDubbo implements ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Logger log = LoggerFactory.getLogger(DrainWebBeforeDubbo.class);

	private final ApplicationContext context;

	private final Duration timeout;

	/**
	 * Create the listener.
	 * @param context the application context (drained when it has a web server)
	 * @param timeout the longest wait for requests in flight
	 */
	DrainWebBeforeDubbo(ApplicationContext context, Duration timeout) {
		this.context = context;
		this.timeout = timeout;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || !(this.context instanceof WebServerApplicationContext web)
				|| web.getWebServer() == null) {
			return;
		}
		WebServer server = web.getWebServer();
		CountDownLatch drained = new CountDownLatch(1);
		server.shutDownGracefully((result) -> drained.countDown());
		try {
			if (!drained.await(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Web requests still running after {}; closing the provider references anyway", this.timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
