-- Settle a token reservation to what the call really used: add ARGV[1] (negative when it
-- used less than reserved) to each token counter still in its window. A counter that
-- expired meanwhile is not brought back.
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], ARGV[1])
  end
end
return #KEYS
