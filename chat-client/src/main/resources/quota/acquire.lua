-- Take one request and a token reservation from every counter that limits this call, or
-- from none: exact across client nodes because the whole check-and-take is one script.
-- KEYS[1..n]   counters (cr:{t}:quota:...), KEYS[n+i] the notice key of counter i
-- ARGV[1]      n
-- ARGV[1+3i-2] limit of counter i, ARGV[1+3i-1] amount to take, ARGV[1+3i] ttl (ms) of a
--              new counter (the window's length or what is left of it)
-- Returns {0} when taken, else {i, retry-after ms, 1 if this is the first refusal of
-- this counter's window, else 0}.
local n = tonumber(ARGV[1])
for i = 1, n do
  local limit = tonumber(ARGV[3 * i - 1])
  local amount = tonumber(ARGV[3 * i])
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used + amount > limit then
    local wait = redis.call('PTTL', KEYS[i])
    if wait < 0 then
      wait = tonumber(ARGV[3 * i + 1])
    end
    local first = redis.call('SET', KEYS[n + i], '1', 'PX', wait, 'NX')
    return {i, wait, first and 1 or 0}
  end
end
for i = 1, n do
  local amount = tonumber(ARGV[3 * i])
  if amount > 0 then
    redis.call('INCRBY', KEYS[i], amount)
  end
  if redis.call('PTTL', KEYS[i]) < 0 then
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i + 1])
  end
end
return {0}
