package io.chatrelay.provider.system;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BindAddressTest {

	@Test
	void aLoopbackAddressIsSpelledSoDubboDoesNotWidenItAndJavaStillBindsIt() throws Exception {
		String spelled = BindAddress.forDubbo("127.0.0.1");
		assertThat(spelled).isEqualTo("::ffff:127.0.0.1").doesNotStartWith("127.");
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(spelled, 0));
			assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
		}
	}

	@Test
	void otherAddressesPassAsTheyAre() {
		assertThat(BindAddress.forDubbo("10.1.2.3")).isEqualTo("10.1.2.3");
	}

	@Test
	void hostNamesAndTheWildcardAreRefused() {
		assertThatThrownBy(() -> BindAddress.forDubbo("localhost")).hasMessageContaining("must be an IP address");
		assertThatThrownBy(() -> BindAddress.forDubbo("0.0.0.0")).hasMessageContaining("leave it empty");
	}

}
