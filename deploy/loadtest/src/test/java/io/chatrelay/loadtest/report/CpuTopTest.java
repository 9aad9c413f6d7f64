package io.chatrelay.loadtest.report;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CpuTopTest {

	@Test
	void sharesCpuByPoolKindAndInclusiveFrame(@TempDir Path dir) throws Exception {
		Path collapsed = dir.resolve("node.collapsed");
		Files.writeString(collapsed,
				"""
						[C2 CompilerThre tid=12];thread_native_entry;PhaseChaitin::Split 60
						[http-nio-127.0.0.1-8080-exec-7 tid=80];io/chatrelay/client/inbox/Inbox$Script.run;redis/clients/jedis/Jedis.evalsha;read_[k] 30
						[DubboServerHandler-127.0.0.1:50051-thread-3 tid=90];org/apache/dubbo/common/utils/NetUtils.getLocalHost;Java_java_net_NetworkInterface_getAll 10
						""");

		String markdown = CpuTop.summarise(collapsed);

		assertThat(markdown).startsWith("async-profiler CPU samples (1 ms): 100");
		assertThat(markdown).contains("| `JIT compiler` | 60 | 60.0 % |");
		assertThat(markdown).contains("| `kernel` | 30 | 30.0 % |");
		assertThat(markdown).contains("| `native (JVM, libc)` | 10 | 10.0 % |");
		assertThat(markdown).contains("| `http-nio-N.-N.-N.-N-exec-N` | 30 | 30.0 % |");
		assertThat(markdown).contains("| `Jedis (inclusive)` | 30 | 30.0 % |");
		assertThat(markdown).contains("| `Dubbo NetUtils (inclusive)` | 10 | 10.0 % |");
		assertThat(markdown).contains("| `io/chatrelay/client/inbox/Inbox$Script.run` | 30 | 30.0 % |");
	}

}
