package io.chatrelay.provider.system;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code chat.provider.bind-address}: the one local address the Triple port listens on
 * (default: every interface, Dubbo's behaviour).
 *
 * <p>
 * Dubbo 3.3.5 has no property that binds a loopback address: {@code dubbo.protocol.host}
 * and a {@code bind.ip} of {@code 127.x} or {@code localhost} both turn into
 * {@code 0.0.0.0}, and its {@code DUBBO_IP_TO_BIND} refuses them outright. What it does
 * honour is {@code TRI_DUBBO_IP_TO_BIND} (environment or system property) with an address
 * it does not recognise as loopback. So a {@code 127.x} address is handed over in its
 * IPv4-mapped IPv6 spelling ({@code ::ffff:127.0.0.1}), which Java reads back as the same
 * IPv4 address: the socket binds {@code 127.0.0.1} only, and the registry lists that
 * spelling, which every consumer on the machine can connect to. Any other address is
 * handed over as it is (and is also what Dubbo registers).
 *
 * <p>
 * Runs before the context exists, because Dubbo reads the property as a system property
 * when it exports the service.
 */
public final class BindAddress implements EnvironmentPostProcessor {

	static final String PROPERTY = "chat.provider.bind-address";

	static final String DUBBO_PROPERTY = "TRI_DUBBO_IP_TO_BIND";

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String address = environment.getProperty(PROPERTY, "").strip();
		if (!address.isEmpty()) {
			System.setProperty(DUBBO_PROPERTY, forDubbo(address));
		}
	}

	/**
	 * The spelling of an address that Dubbo binds as given.
	 * @param address an IPv4 or IPv6 literal
	 * @return the address, or its IPv4-mapped IPv6 form for {@code 127.x}
	 * @throws IllegalArgumentException for anything but an IP literal
	 */
	static String forDubbo(String address) {
		if (!IP_LITERAL.matcher(address).matches()) {
			throw new IllegalArgumentException(PROPERTY + " must be an IP address, not '" + address + "'");
		}
		InetAddress parsed;
		try {
			parsed = InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(PROPERTY + " must be an IP address, not '" + address + "'", ex);
		}
		if (parsed.isAnyLocalAddress()) {
			throw new IllegalArgumentException(
					PROPERTY + " " + address + " is every interface: leave it empty for that (Dubbo's default)");
		}
		if (parsed instanceof Inet4Address && parsed.isLoopbackAddress()) {
			return "::ffff:" + parsed.getHostAddress();
		}
		return parsed.getHostAddress();
	}

}
