package io.chatrelay.client.system;

import java.util.ArrayList;
import java.util.List;

import io.chatrelay.api.ChatService;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.AppResponse;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InvokerPoolTest {

	private static final URL URL = org.apache.dubbo.common.URL
		.valueOf("tri://127.0.0.1:50051/io.chatrelay.api.ChatService");

	@Test
	void spreadsCallsOverTheMembersInTurn() {
		List<Member> members = List.of(new Member("a"), new Member("b"), new Member("c"));
		InvokerPool<ChatService> pool = new InvokerPool<>(URL, new ArrayList<>(members));
		for (int i = 0; i < 6; i++) {
			pool.invoke(new RpcInvocation());
		}
		assertThat(members).allSatisfy((member) -> assertThat(member.calls).isEqualTo(2));
	}

	@Test
	void passesOverAMemberWhoseConnectionIsDown() {
		Member up = new Member("up");
		Member down = new Member("down");
		down.available = false;
		InvokerPool<ChatService> pool = new InvokerPool<>(URL, List.of(up, down));
		for (int i = 0; i < 4; i++) {
			pool.invoke(new RpcInvocation());
		}
		assertThat(up.calls).isEqualTo(4);
		assertThat(down.calls).isZero();
		assertThat(pool.isAvailable()).isTrue();
	}

	@Test
	void withEveryConnectionDownACallStillGoesToAMemberWhichFailsIt() {
		Member a = new Member("a");
		Member b = new Member("b");
		a.available = false;
		b.available = false;
		InvokerPool<ChatService> pool = new InvokerPool<>(URL, List.of(a, b));
		pool.invoke(new RpcInvocation());
		assertThat(a.calls + b.calls).isEqualTo(1);
		assertThat(pool.isAvailable()).isFalse();
	}

	@Test
	void destroyingThePoolDestroysEveryMember() {
		List<Member> members = List.of(new Member("a"), new Member("b"));
		new InvokerPool<>(URL, new ArrayList<>(members)).destroy();
		assertThat(members).allSatisfy((member) -> assertThat(member.destroyed).isTrue());
	}

	@Test
	void needsAtLeastOneMember() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InvokerPool<ChatService>(URL, List.of()));
	}

	private static final class Member implements Invoker<ChatService> {

		private final String name;

		private boolean available = true;

		private boolean destroyed;

		private int calls;

		Member(String name) {
			this.name = name;
		}

		@Override
		public Class<ChatService> getInterface() {
			return ChatService.class;
		}

		@Override
		public Result invoke(Invocation invocation) {
			this.calls++;
			return new AppResponse(this.name);
		}

		@Override
		public URL getUrl() {
			return URL;
		}

		@Override
		public boolean isAvailable() {
			return this.available;
		}

		@Override
		public void destroy() {
			this.destroyed = true;
		}

	}

}
