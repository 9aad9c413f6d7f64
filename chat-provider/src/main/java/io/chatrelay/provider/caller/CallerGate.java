package io.chatrelay.provider.caller;

import java.security.cert.X509Certificate;
import java.util.Optional;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatRequest;
import org.apache.dubbo.remoting.http12.HttpRequest;
import org.apache.dubbo.rpc.RpcContext;

/**
 * Who may make a request: the one door every {@code ChatService} call passes before it is
 * routed. It refuses HTTP/1 (Triple's JSON and REST forms; only HTTP/2 is served), a
 * caller without a client certificate when TLS is on, a certificate whose tenant is not
 * the request's {@code tenantId}, and anything the tenant's policy does not allow.
 */
public class CallerGate {

	private final boolean tlsRequired;

	private final TenantPolicy policy;

	CallerGate(boolean tlsRequired, TenantPolicy policy) {
		this.tlsRequired = tlsRequired;
		this.policy = policy;
	}

	/**
	 * A gate that admits every request, for in-process callers of the service that are
	 * not Triple calls (the rpc unit tests). No node wires it: nodes get the gate of
	 * {@code CallerConfiguration}.
	 * @return the gate
	 */
	public static CallerGate admittingAll() {
		return new CallerGate(false, null) {

			@Override
			public void admit(ChatRequest request) {
			}

		};
	}

	/**
	 * Let the current Triple call through, or refuse it. Call it on the thread Dubbo
	 * invoked the service on (it reads Dubbo's service context).
	 * @param request the request
	 * @throws ChatException {@code UNAUTHORIZED} for the transport or the tenant,
	 * {@code BAD_REQUEST} for the policy
	 */
	public void admit(ChatRequest request) {
		HttpRequest http = RpcContext.getServiceContext().getRequest(HttpRequest.class);
		if (http == null || !http.isHttp2()) {
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, "ChatService is served over HTTP/2 (Triple) only");
		}
		if (this.tlsRequired) {
			Optional<X509Certificate> certificate = PeerCertificates.of(http);
			if (certificate.isEmpty()) {
				throw new ChatException(ChatErrorCode.UNAUTHORIZED, "A client certificate is required");
			}
			String tenant = PeerCertificates.tenantOf(certificate.get())
				.orElseThrow(() -> new ChatException(ChatErrorCode.UNAUTHORIZED,
						"The client certificate names no tenant (SAN URI " + PeerCertificates.TENANT_URI_PREFIX
								+ "<id>)"));
			if (!tenant.equals(request.tenantId())) {
				throw new ChatException(ChatErrorCode.UNAUTHORIZED, "The client certificate of tenant " + tenant
						+ " may not call for tenant " + request.tenantId());
			}
		}
		this.policy.check(request);
	}

}
