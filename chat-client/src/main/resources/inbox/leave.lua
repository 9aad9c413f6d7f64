-- A node leaves the consumer group (graceful shutdown): every entry it still holds is
-- handed to the shared consumer ARGV[3], marked idle for the claim timeout, so the other
-- nodes take it over on their next claim round instead of after a full claim-idle; then
-- the node's consumer is deleted (it holds nothing any more, so nothing is lost).
-- KEYS[1] cr:{t}:inbox  ARGV[1] group  ARGV[2] this node's consumer
-- ARGV[3] the hand-back consumer  ARGV[4] idle to mark (ms)
local handed = 0
while true do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 100, ARGV[2])
  if #pending == 0 then
    break
  end
  local args = {KEYS[1], ARGV[1], ARGV[3], '0'}
  for _, entry in ipairs(pending) do
    args[#args + 1] = entry[1]
  end
  args[#args + 1] = 'IDLE'
  args[#args + 1] = ARGV[4]
  args[#args + 1] = 'JUSTID'
  redis.call('XCLAIM', unpack(args))
  handed = handed + #pending
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return handed
