package io.chatrelay.client.system;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.remoting.ChannelHandler;
import org.apache.dubbo.remoting.RemotingException;
import org.apache.dubbo.remoting.api.connection.AbstractConnectionClient;
import org.apache.dubbo.remoting.api.connection.ConnectionManager;
import org.apache.dubbo.remoting.api.pu.AbstractPortUnificationServer;
import org.apache.dubbo.remoting.api.pu.PortUnificationTransporter;
import org.apache.dubbo.remoting.transport.netty4.NettyConnectionManager;
import org.apache.dubbo.remoting.transport.netty4.NettyPortUnificationTransporter;

/**
 * Dubbo extension ({@code PortUnificationTransporter} named {@value #NAME}), chosen by
 * the reference parameter {@code transporter=}{@value #NAME}: gives each Triple invoker a
 * connection of its own. Dubbo's Netty transporter instead shares one connection among
 * every invoker of a provider address, so the {@link TripleConnectionsProtocol}'s
 * invokers would all end up on one connection again. Connections are made by Dubbo's own
 * Netty connection client (TLS, reconnects, HTTP/2 pipeline unchanged); binding is left
 * to Dubbo's Netty transporter.
 */
public class PooledTransporter implements PortUnificationTransporter {

	/** The extension name, and the value of the reference's {@code transporter}. */
	public static final String NAME = "chatrelay-pool";

	@Override
	public AbstractPortUnificationServer bind(URL url, ChannelHandler handler) throws RemotingException {
		return url.getOrDefaultFrameworkModel()
			.getExtensionLoader(PortUnificationTransporter.class)
			.getExtension(NettyPortUnificationTransporter.NAME)
			.bind(url, handler);
	}

	@Override
	public AbstractConnectionClient connect(URL url, ChannelHandler handler) {
		return url.getOrDefaultFrameworkModel()
			.getExtensionLoader(ConnectionManager.class)
			.getExtension(NettyConnectionManager.NAME)
			.connect(url, handler);
	}

}
