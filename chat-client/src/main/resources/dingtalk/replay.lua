-- The replay window of a DingTalk signature (channel/dingtalk/DingTalkReplayGuard), in one round trip.
-- DingTalk signs only the timestamp, so one (timestamp, sign) pair fits any body for an hour. A pair is
-- accepted with a message id it was already accepted with (a redelivery), or with a new id within the
-- window after the pair was first seen (messages signed in the same millisecond share a pair); with a
-- new id after that it is a replay. The clock is Redis's, the same for every client node.
-- KEYS[1]  the pair's hash: "t" = first seen (ms), "m:<msgId>" = an id accepted with it
-- ARGV[1]  the message id
-- ARGV[2]  the window, ms
-- ARGV[3]  the hash's TTL, ms: as long as a pair can pass the timestamp check
-- Returns 1 to accept, 0 for a replay.
local field = 'm:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], field) == 1 then
  return 1
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local first = redis.call('HGET', KEYS[1], 't')
if not first then
  redis.call('HSET', KEYS[1], 't', string.format('%d', now), field, '1')
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
if now - tonumber(first) <= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], field, '1')
  return 1
end
return 0
