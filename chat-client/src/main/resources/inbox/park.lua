-- Park an entry whose conversation's previous message is not finished yet: unless it
-- finished meanwhile, mark the conversation as awaited, so that finishing it (complete.lua)
-- publishes the news and the waiting node looks again at once instead of polling.
-- Checking and marking in one step is what makes the wake-up impossible to miss.
-- KEYS[1] cr:{t}:order:<conversation>  ARGV[1] the entry's number in its conversation
-- Returns the conversation's finished number when the entry need not wait (any more), else -1.
local done = tonumber(redis.call('HGET', KEYS[1], 'done') or '0')
if tonumber(ARGV[1]) <= done + 1 then
  return done
end
redis.call('HSET', KEYS[1], 'awaited', '1')
return -1
