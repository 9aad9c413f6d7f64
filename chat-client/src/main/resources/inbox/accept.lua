-- Accept a verified platform message: dedupe, backlog check, order number and append,
-- atomically (so a message is either claimed and stored, or neither).
-- KEYS[1] cr:{t}:seen:<channel>:<id>  KEYS[2] cr:{t}:inbox  KEYS[3] cr:{t}:order:<conversation>
-- ARGV[1] dedupe ttl (s)  ARGV[2] max backlog (0 = none)  ARGV[3] order ttl (s)
-- ARGV[4] the value remembered with the id (returned to duplicates)  ARGV[5..] entry fields
if not redis.call('SET', KEYS[1], ARGV[4], 'NX', 'EX', ARGV[1]) then
  return {'duplicate', redis.call('GET', KEYS[1])}
end
local limit = tonumber(ARGV[2])
if limit > 0 and redis.call('XLEN', KEYS[2]) >= limit then
  return {'busy'}
end
local seq = redis.call('HINCRBY', KEYS[3], 'next', 1)
redis.call('EXPIRE', KEYS[3], ARGV[3])
local fields = {'seq', tostring(seq)}
for i = 5, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
return {'queued', redis.call('XADD', KEYS[2], '*', unpack(fields))}
