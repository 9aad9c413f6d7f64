#!/usr/bin/env bash
# The load tool with one command: builds the node jars and the tool from this checkout, then runs the
# scenarios named (default: the standard set s1 s2 s3 s4) on a system it starts on 127.0.0.1.
# Reports go to deploy/loadtest/target/results/ (<scenario>.md/.json, summary.md/.json).
#   ./deploy/loadtest/run.sh                 # S1-S4, about 15 minutes on a 2-core machine
#   ./deploy/loadtest/run.sh s1 --jfr        # S1 with a JFR profile of the client and the provider
#   ./deploy/loadtest/run.sh custom --rate=300 --duration=20s --llm-latency=lognormal:200ms,2s
#   ./deploy/loadtest/run.sh --help
# Other tests on the same machine distort the numbers (and the load distorts them): run it on a quiet machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	# -am: the node jars come from this checkout, not from whatever ~/.m2 holds.
	./mvnw -B -q -DskipTests -pl deploy/loadtest -am package
fi

# The tool hosts ZooKeeper, both stand-ins and the generator: a fixed heap keeps its own GC quiet.
# common.parallelism: on a 2-core machine the common pool has parallelism 1, and CompletableFuture then
# runs every *Async step, including the hop the JDK HttpClient makes after each sendAsync, on a new thread.
exec java -Xms1g -Xmx1g -XX:+UseG1GC -Ddubbo.network.interface.ignored=.* \
	-Djava.util.concurrent.ForkJoinPool.common.parallelism=4 \
	-jar deploy/loadtest/target/chat-relay-loadtest.jar "$@"
