-- A hash's fields and its expiry in one step, so that it never exists without the expiry.
-- KEYS[1] the hash
-- ARGV[1] 'PX' (ARGV[2] milliseconds from now) or 'PXAT' (ARGV[2] Unix time in milliseconds)
-- ARGV[3..] field, value, field, value, ...
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if ARGV[1] == 'PXAT' then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
