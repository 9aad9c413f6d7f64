-- Finish an entry: record its place in the conversation's order, acknowledge and delete it;
-- with a fourth key, first copy it to the dead-letter stream.
-- An entry that is no longer pending (another node finished it, or Redis lost its data and
-- the group was created again) does not move the order: after a data loss the numbers
-- start again, and an old number must not mark new messages as answered.
-- KEYS[1] cr:{t}:order:<conversation>  KEYS[2] cr:{t}:inbox  KEYS[3] cr:{t}:inbox:attempts
-- KEYS[4] cr:{t}:dead (optional)
-- When a node parked a later message of the conversation (park.lua), the conversation's
-- order key is published on <KEYS[2]>:done, so that the node looks at it again at once.
-- ARGV[1] group  ARGV[2] entry id  ARGV[3] seq  ARGV[4] order ttl (s); with KEYS[4]: ARGV[5] the most
-- dead letters kept, ARGV[6] the oldest id kept (ms-0: older ones are trimmed), ARGV[7..] its fields
local acked = redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
if acked == 0 then
  -- not deleted either: after a data loss a new entry may carry the same id
  return 0
end
redis.call('XDEL', KEYS[2], ARGV[2])
if #KEYS == 4 then
  local fields = {}
  for i = 7, #ARGV do
    fields[#fields + 1] = ARGV[i]
  end
  redis.call('XADD', KEYS[4], 'MAXLEN', '=', ARGV[5], '*', unpack(fields))
  redis.call('XTRIM', KEYS[4], 'MINID', '=', ARGV[6])
end
local done = tonumber(redis.call('HGET', KEYS[1], 'done') or '0')
if tonumber(ARGV[3]) > done then
  redis.call('HSET', KEYS[1], 'done', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
if redis.call('HDEL', KEYS[1], 'awaited') == 1 then
  redis.call('PUBLISH', KEYS[2] .. ':done', KEYS[1])
end
return 1
