-- Store an API key and list it, atomically.
-- KEYS[1] the key's hash, KEYS[2] the tenant's index of key ids
-- ARGV[1] the key id, ARGV[2..] field, value, field, value, ...
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
