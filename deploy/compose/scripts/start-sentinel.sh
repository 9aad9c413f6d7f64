#!/bin/sh
# Starts one Redis Sentinel of compose.sentinel.yaml. Its configuration file is written on the first
# start only: Sentinel rewrites it as it learns (the current primary, the other Sentinels, the
# replicas), and that state must survive a restart. It lives in the Sentinel's volume (/data).
#
# Needs: SENTINEL_HOSTNAME (the service's name, which the others and the clients reach it by),
# REDIS_PASSWORD (the primary's requirepass).
set -eu

: "${SENTINEL_HOSTNAME:?}" "${REDIS_PASSWORD:?}"
CONF=/data/sentinel.conf

if [ ! -s "$CONF" ]; then
	umask 077
	cat > "$CONF" <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $SENTINEL_HOSTNAME
sentinel monitor chatrelay redis 6379 2
sentinel auth-pass chatrelay $REDIS_PASSWORD
sentinel down-after-milliseconds chatrelay 5000
sentinel failover-timeout chatrelay 60000
sentinel parallel-syncs chatrelay 1
CONF
fi
exec redis-server "$CONF" --sentinel
