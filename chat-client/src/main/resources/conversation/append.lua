-- Append a turn, keep the last ARGV[2] turns and renew the expiry, atomically.
-- KEYS[1] the conversation's list
-- ARGV[1] the turn (JSON), ARGV[2] the window in turns, ARGV[3] the expiry in milliseconds
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
