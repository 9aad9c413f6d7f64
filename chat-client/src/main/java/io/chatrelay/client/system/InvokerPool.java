package io.chatrelay.client.system;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;

/**
 * One provider's Triple invokers, each on its own connection, seen by Dubbo as one
 * invoker: a call goes to the next member that is available (connected), round robin;
 * when none is, to the next one anyway, which fails it as a single invoker would. A
 * member whose connection failed reconnects by itself and is used again once it is back.
 *
 * @param <T> the service interface
 */
final class InvokerPool<T> implements Invoker<T> {

	private final URL url;

	private final List<Invoker<T>> members;

	private final AtomicInteger next = new AtomicInteger();

	InvokerPool(URL url, List<Invoker<T>> members) {
		if (members.isEmpty()) {
			throw new IllegalArgumentException("a pool needs at least one invoker");
		}
		this.url = url;
		this.members = List.copyOf(members);
	}

	List<Invoker<T>> members() {
		return this.members;
	}

	@Override
	public Result invoke(Invocation invocation) throws RpcException {
		int size = this.members.size();
		int start = Math.floorMod(this.next.getAndIncrement(), size);
		for (int i = 0; i < size; i++) {
			Invoker<T> member = this.members.get((start + i) % size);
			if (member.isAvailable()) {
				return member.invoke(invocation);
			}
		}
		return this.members.get(start).invoke(invocation);
	}

	@Override
	public Class<T> getInterface() {
		return this.members.get(0).getInterface();
	}

	@Override
	public URL getUrl() {
		return this.url;
	}

	@Override
	public boolean isAvailable() {
		for (Invoker<T> member : this.members) {
			if (member.isAvailable()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void destroy() {
		this.members.forEach(Invoker::destroy);
	}

	@Override
	public String toString() {
		return "InvokerPool{" + this.url.getAddress() + ", " + this.members.size() + " connections}";
	}

}
