#!/usr/bin/env bash
# ChatRelay on this machine with one command: builds what is needed, then starts ZooKeeper, Redis,
# an LLM stand-in (OpenAI, Zhipu, Qianfan), two providers and a client on 127.0.0.1. Ctrl-C stops everything.
# Arguments go to the launcher (try --help); settings are environment variables (CLIENT_PORT, REDIS_URL,
# OPENAI_API_KEY, ZHIPU_API_KEY, QIANFAN_API_KEY, STANDIN_FAIL_OPENAI, ...).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if ! command -v java >/dev/null 2>&1; then
	echo "run.sh: java not found. Install a JDK 17 or newer and put it on PATH (or set JAVA_HOME and PATH)." >&2
	exit 1
fi
java_version="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
java_major="${java_version#1.}"
java_major="${java_major%%.*}"
if ! [[ "${java_major}" =~ ^[0-9]+$ ]] || (( java_major < 17 )); then
	echo "run.sh: ChatRelay needs Java 17 or newer; 'java' on PATH is version ${java_version:-unknown}." >&2
	exit 1
fi

./mvnw -B -q -DskipTests -pl deploy/standalone -am package

exec java -jar deploy/standalone/target/chat-relay-standalone.jar "$@"
