-- Put a dead letter back into the inbox as a new message of its conversation, in one step:
-- a crash or a second operator in between can neither lose it nor queue it twice.
-- KEYS[1] cr:{t}:dead  KEYS[2] cr:{t}:inbox
-- ARGV[1] dead-letter id  ARGV[2] receivedAt (ms: a replayed message is new, its max-age
-- counts from now)  ARGV[3] the prefix of the order keys, cr:{t}:order: (the conversation
-- comes from the entry; every key of the tenant shares its hash slot)
-- Returns 1 replayed, 0 no such dead letter, -1 a dead letter without a conversation.
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1], 'COUNT', 1)
if #found == 0 then
  return 0
end
local fields = found[1][2]
local conversation = nil
local entry = {}
for i = 1, #fields, 2 do
  local key = fields[i]
  if key == 'conversationId' then
    conversation = fields[i + 1]
  end
  if key ~= 'reason' and key ~= 'entryId' and key ~= 'seq' and key ~= 'receivedAt' then
    entry[#entry + 1] = key
    entry[#entry + 1] = fields[i + 1]
  end
end
if conversation == nil then
  return -1
end
local seq = redis.call('HINCRBY', ARGV[3] .. conversation, 'next', 1)
entry[#entry + 1] = 'seq'
entry[#entry + 1] = tostring(seq)
entry[#entry + 1] = 'receivedAt'
entry[#entry + 1] = ARGV[2]
redis.call('XADD', KEYS[2], '*', unpack(entry))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
