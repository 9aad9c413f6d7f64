-- Finish an entry: record its place in the conversation's order, acknowledge and delete it;
-- with a fourth key, first copy it to the dead-letter stream.
-- KEYS[1] cr:{t}:order:<conversation>  KEYS[2] cr:{t}:inbox  KEYS[3] cr:{t}:inbox:attempts
-- KEYS[4] cr:{t}:dead (optional)
-- ARGV[1] group  ARGV[2] entry id  ARGV[3] seq  ARGV[4] order ttl (s)  ARGV[5..] dead-letter fields
if #KEYS == 4 then
  local fields = {}
  for i = 5, #ARGV do
    fields[#fields + 1] = ARGV[i]
  end
  redis.call('XADD', KEYS[4], '*', unpack(fields))
end
local done = tonumber(redis.call('HGET', KEYS[1], 'done') or '0')
if tonumber(ARGV[3]) > done then
  redis.call('HSET', KEYS[1], 'done', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
return 1
