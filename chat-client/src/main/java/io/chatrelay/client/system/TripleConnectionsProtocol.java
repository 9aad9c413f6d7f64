package io.chatrelay.client.system;

import java.util.ArrayList;
import java.util.List;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.extension.Wrapper;
import org.apache.dubbo.rpc.Exporter;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Protocol;
import org.apache.dubbo.rpc.ProtocolServer;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dubbo extension: a wrapper of the Triple protocol that refers to a provider with
 * {@code connections} invokers, each on a connection of its own
 * ({@link PooledTransporter}), behind one {@link InvokerPool}. An HTTP/2 connection error
 * closes one connection and Dubbo cancels every call on it (issue 14: 1,374 web streams
 * cut at once in S3); spread over several connections, it cancels a share of them instead
 * of all.
 *
 * <p>
 * Dubbo 3.3.5 has one Triple connection per provider address and ignores
 * {@code connections} for Triple (only its dubbo protocol reads it). Pooling invokers
 * rather than connections keeps each invoker exactly as Dubbo makes it: its write queue
 * assumes one connection (it runs a batch on one connection's event loop and flushes the
 * last command's connection only).
 *
 * <p>
 * Applies only to references with {@code transporter=}{@value PooledTransporter#NAME};
 * {@code connections} sets how many, default {@value #DEFAULT_CONNECTIONS}. Innermost of
 * the wrappers, so Dubbo's filters wrap the pool once, not each member.
 */
@Wrapper(matches = "tri", order = Integer.MAX_VALUE)
public class TripleConnectionsProtocol implements Protocol {

	/** The reference parameter that sets the pool's size (Dubbo's own key). */
	public static final String CONNECTIONS_KEY = "connections";

	/** Connections per provider when {@code connections} is not set. */
	public static final int DEFAULT_CONNECTIONS = 4;

	private static final Logger log = LoggerFactory.getLogger(TripleConnectionsProtocol.class);

	private final Protocol protocol;

	public TripleConnectionsProtocol(Protocol protocol) {
		this.protocol = protocol;
	}

	@Override
	public <T> Invoker<T> refer(Class<T> type, URL url) throws RpcException {
		if (!PooledTransporter.NAME.equals(url.getParameter("transporter"))) {
			return this.protocol.refer(type, url);
		}
		int size = Math.max(1, url.getParameter(CONNECTIONS_KEY, DEFAULT_CONNECTIONS));
		List<Invoker<T>> members = new ArrayList<>(size);
		try {
			for (int i = 0; i < size; i++) {
				members.add(this.protocol.refer(type, url));
			}
		}
		catch (RuntimeException ex) {
			members.forEach(Invoker::destroy);
			throw ex;
		}
		log.info("Triple to {}: {} connections", url.getAddress(), size);
		return new InvokerPool<>(url, members);
	}

	@Override
	public int getDefaultPort() {
		return this.protocol.getDefaultPort();
	}

	@Override
	public <T> Exporter<T> export(Invoker<T> invoker) throws RpcException {
		return this.protocol.export(invoker);
	}

	@Override
	public void destroy() {
		this.protocol.destroy();
	}

	@Override
	public List<ProtocolServer> getServers() {
		return this.protocol.getServers();
	}

}
