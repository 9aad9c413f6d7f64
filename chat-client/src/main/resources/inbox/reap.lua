-- Delete consumers of nodes that are gone: those holding no entry and idle (no read,
-- no claim) for longer than ARGV[2] ms. A live node reads every few seconds, and one
-- deleted by mistake is created again by its next read; holding nothing, none is lost.
-- Checked and deleted in one script, so no entry is handed to a consumer in between.
-- KEYS[1] cr:{t}:inbox  ARGV[1] group  ARGV[2] idle (ms)
local reaped = 0
local limit = tonumber(ARGV[2])
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #consumer, 2 do
    info[consumer[i]] = consumer[i + 1]
  end
  if tonumber(info['pending']) == 0 and tonumber(info['idle']) > limit then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    reaped = reaped + 1
  end
end
return reaped
