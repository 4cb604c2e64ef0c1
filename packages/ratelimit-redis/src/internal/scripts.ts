import { createHash } from 'node:crypto';

/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis: one decision is one script,
 * so no two processes ever decide on the same state.
 *
 * Keys of one limit named `key`:
 * - `key` (KEYS[1]): the log, a sorted set of grants, score = Redis time in microseconds,
 *   member = `<time>:<store tag>:<sequence>` (unique);
 * - `key:limit` (KEYS[2]): the shared limit, a hash `maxCount`, `interval` (ms), `version`; set by
 *   `setLimit()`, it overrides the values each caller passes; it never expires;
 * - `key:meta` (KEYS[3]): `m` the largest maxCount seen, `i` the longest interval seen (µs),
 *   `fc`/`ft` the count and newest time of grants folded out of the log, `last` the time of the
 *   newest grant. It expires with the log, so its presence also says "the log is intact".
 *   Without a shared limit it also holds the key's limit in use: `cm`/`ci` the maxCount and
 *   interval (ms) the stores ask for, `ct` the tag of the store that set them, `cu` the last time
 *   any store asked with them, `co` the last time a store other than `ct` did (µs). A store asking
 *   with other values is refused (code -2) while the limit in use is live, that is asked for within
 *   its interval; the store that set it may change it when no other store has asked for it within
 *   its interval (a run-time change in one process).
 */

/**
 * Decides one acquisition.
 * ARGV: maxCount, interval (ms, may be fractional), member suffix (`tag:seq`), `1` when the caller
 * remembers grants of its own that should still be in the log, the number of extra slots the caller
 * would like to lease, the lease's lifetime in microseconds, the store's tag, how long after `now`
 * to record a grant in microseconds (its hold, plus the time its caller has to use it), and a member of the caller's to remove first (a grant it gave up), or ''.
 * Returns `{ code, waitUs, maxCount, interval, version, atUs, leased, leaseAtUs }`; code 1 =
 * granted, recorded at atUs (now + hold), 0 = refused (wait waitUs), 2 = unlimited by the shared limit (nothing
 * recorded), -1 = the log was lost (Redis restarted empty) while the caller still had grants in it:
 * re-enter them first, -2 = another store uses the key with another limit (maxCount and interval
 * are that limit; nothing recorded).
 *
 * A grant is recorded at the end of its hold (`now + hold`), not at `now`: the caller hands it out
 * only if the answer reached it within the hold since it sent the request, so that every grant is
 * received before the time recorded for it (a process slow to read an answer cannot receive a slot
 * that another process was already granted again). Deciding at `now` against grants recorded as
 * late as that keeps the guarantee at the callers, at the cost of `hold` per interval under
 * saturation. A grant answered too late is given up: removed (ARGV[9]) by the caller's next call.
 *
 * A lease: while the window is less than half full, a grant may come with up to `want` more slots,
 * recorded at `now + lifetime`, which the caller hands out locally until `lifetime` has passed
 * since it sent the request (so every use happens before the time recorded for it: a grant recorded
 * late stays in the window longer, never shorter). Slots not used in time are wasted, which only
 * happens far below the limit.
 */
export const TAKE_SCRIPT = `
local logKey, limitKey, metaKey = KEYS[1], KEYS[2], KEYS[3]
-- A grant this store gave up (its answer came too late to be used): it was never used.
if ARGV[9] and ARGV[9] ~= '' then redis.call('ZREM', logKey, ARGV[9]) end
local maxCount = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local version = '0'
local shared = redis.call('HMGET', limitKey, 'maxCount', 'interval', 'version')
local sm, si = tonumber(shared[1]), tonumber(shared[2])
local isShared = false
if sm and si and sm >= 0 and si >= 0 then
  maxCount, interval, version = sm, si, shared[3] or '0'
  isShared = true
end
if maxCount <= 0 or interval <= 0 then
  return {2, 0, tostring(maxCount), tostring(interval), version, '0', 0, '0'}
end
local meta = redis.call('HMGET', metaKey, 'm', 'i', 'fc', 'ft', 'last', 'cm', 'ci', 'ct', 'cu', 'co')
if ARGV[4] == '1' and not meta[1] then
  return {-1, 0, tostring(maxCount), tostring(interval), version, '0', 0, '0'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(meta[5]) or 0
if now < last then now = last end
local intervalUs = math.ceil(interval * 1000)
-- One key, one limit: without a shared limit, the values in use must be everyone's.
local nowStamp = string.format('%d', now)
local inUse = {}
if not isShared then
  local cm, ci, ct = tonumber(meta[6]), tonumber(meta[7]), meta[8]
  local cu, co = tonumber(meta[9]) or 0, tonumber(meta[10]) or 0
  local tag = ARGV[7] or ''
  local declare = {'cm', ARGV[1], 'ci', ARGV[2], 'ct', tag, 'cu', nowStamp, 'co', '0'}
  -- In use: asked for within its interval, plus the longest a store waits more than that (its
  -- grants are recorded up to a quarter of the interval, or 25 ms, and 1 % later than decided).
  local live = math.ceil(ci and ci * 1000 * 1.26 + 27000 or 0)
  if not cm or not ci or now - cu >= live then
    inUse = declare
  elseif cm == maxCount and ci == interval then
    if tag == ct then inUse = {'cu', nowStamp} else inUse = {'cu', nowStamp, 'co', nowStamp} end
  elseif tag == ct and now - co >= live then
    inUse = declare
  else
    return {-2, 0, meta[6], meta[7], version, '0', 0, '0'}
  end
end
local maxSeen = math.max(tonumber(meta[1]) or 0, maxCount)
local intSeen = math.max(tonumber(meta[2]) or 0, intervalUs)
local fc = tonumber(meta[3]) or 0
local ft = tonumber(meta[4]) or 0
-- Fold what no limit seen can count one by one: grants older than the longest interval seen, and
-- those beyond the largest count seen. They stay counted, at the time of the newest of them.
local horizon = string.format('%d', now - intSeen)
local old = redis.call('ZCOUNT', logKey, '-inf', horizon)
if old > 0 then
  local newest = redis.call('ZREVRANGEBYSCORE', logKey, horizon, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  ft = math.max(ft, tonumber(newest[2]))
  fc = fc + old
  redis.call('ZREMRANGEBYSCORE', logKey, '-inf', horizon)
end
local card = redis.call('ZCARD', logKey)
if card > maxSeen then
  local extra = card - maxSeen
  local newest = redis.call('ZRANGE', logKey, extra - 1, extra - 1, 'WITHSCORES')
  ft = math.max(ft, tonumber(newest[2]))
  fc = fc + extra
  redis.call('ZREMRANGEBYRANK', logKey, 0, extra - 1)
  card = maxSeen
end
-- The decision: the maxCount-th most recent grant must have left the window.
local wait = 0
if card >= maxCount then
  local e = redis.call('ZRANGE', logKey, card - maxCount, card - maxCount, 'WITHSCORES')
  wait = tonumber(e[2]) + intervalUs - now
elseif card + fc >= maxCount then
  wait = ft + intervalUs - now
end
if wait > 0 then
  if #inUse > 0 and meta[1] then redis.call('HSET', metaKey, unpack(inUse)) end
  return {0, math.ceil(wait), tostring(maxCount), tostring(interval), version, '0', 0, '0'}
end
local lease = 0
local want = tonumber(ARGV[5]) or 0
local lifetime = tonumber(ARGV[6]) or 0
if want > 0 and lifetime > 0 and (fc == 0 or ft <= now - intervalUs) then
  local inWindow = redis.call('ZCOUNT', logKey,
    '(' .. string.format('%d', now - intervalUs), '+inf')
  if inWindow + 1 + want <= maxCount / 2 then lease = want end
end
-- Recorded at the end of the hold: the caller receives it before then, or the store gives it up.
local hold = math.max(tonumber(ARGV[8]) or 0, 0)
local stamp = string.format('%d', now + hold)
redis.call('ZADD', logKey, stamp, stamp .. ':' .. ARGV[3])
local leaseAt = '0'
local ttlUs = intSeen + hold
if lease > 0 then
  -- Ahead of 'last' on purpose: later grants keep their own times (the log is a sorted set, and
  -- every decision counts everything above now - interval, future leases included).
  leaseAt = string.format('%d', now + lifetime)
  for j = 1, lease do
    redis.call('ZADD', logKey, leaseAt, leaseAt .. ':' .. ARGV[3] .. ':' .. j)
  end
  ttlUs = math.max(ttlUs, intSeen + lifetime)
end
redis.call('HSET', metaKey, 'm', maxSeen, 'i', string.format('%d', intSeen), 'fc', fc,
  'ft', string.format('%d', ft), 'last', nowStamp, unpack(inUse))
-- Never shorter than before: a grant recorded earlier with a longer hold (or a lease) must not
-- leave with the keys before its interval has passed.
local ttl = math.ceil(ttlUs / 1000) + 1
for _, k in ipairs({logKey, metaKey}) do
  if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, ttl) end
end
return {1, 0, tostring(maxCount), tostring(interval), version, stamp, lease, leaseAt}
`;

/**
 * Re-enters a store's own recent grants after Redis lost the log (restarted without persistence).
 * ARGV: the longest interval the store has used (µs), then pairs of score and member.
 */
export const RESEED_SCRIPT = `
local logKey, metaKey = KEYS[1], KEYS[2]
local intervalUs = tonumber(ARGV[1])
local meta = redis.call('HMGET', metaKey, 'm', 'i', 'last')
local n = (#ARGV - 1) / 2
local last = tonumber(meta[3]) or 0
local newest = 0
for j = 2, #ARGV, 2 do
  redis.call('ZADD', logKey, 'NX', ARGV[j], ARGV[j + 1])
  newest = math.max(newest, tonumber(ARGV[j]))
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local intSeen = math.max(tonumber(meta[2]) or 0, intervalUs)
redis.call('HSET', metaKey, 'm', math.max(tonumber(meta[1]) or 0, n),
  'i', string.format('%d', intSeen), 'last', string.format('%d', math.max(last, math.min(newest, now))))
-- Until the newest grant re-entered (recorded at the end of its hold, or leased) has left.
local ttl = math.ceil((math.max(newest - now, 0) + intSeen) / 1000) + 1
for _, k in ipairs({logKey, metaKey}) do
  if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, ttl) end
end
return n
`;

/**
 * Forgets the log on purpose. The meta hash stays (emptied, with its expiry), so that other stores
 * do not take the missing log for a data loss and re-enter their grants.
 */
export const CLEAR_SCRIPT = `
local i = redis.call('HGET', KEYS[2], 'i')
redis.call('DEL', KEYS[1], KEYS[2])
if i then
  redis.call('HSET', KEYS[2], 'm', 0, 'i', i, 'fc', 0, 'ft', 0)
  redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(i) / 1000) + 1)
end
return 1
`;

/**
 * Sets the shared limit and announces it. ARGV: maxCount, interval (ms), channel.
 * The version is Redis time in microseconds (kept increasing), so a limit set after a restart
 * that lost the hash is still newer than every limit set before it.
 */
export const SET_LIMIT_SCRIPT = `
local t = redis.call('TIME')
local v = tonumber(t[1]) * 1000000 + tonumber(t[2])
local old = tonumber(redis.call('HGET', KEYS[1], 'version')) or 0
if v <= old then v = old + 1 end
local version = string.format('%d', v)
redis.call('HSET', KEYS[1], 'maxCount', ARGV[1], 'interval', ARGV[2], 'version', version)
redis.call('PUBLISH', ARGV[3], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. version)
return version
`;

/** A script with its SHA-1, for `EVALSHA`. */
export interface Script {
  readonly lua: string;
  readonly sha: string;
}

const script = (lua: string): Script => ({
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
});

/** The three scripts, hashed once. */
export const SCRIPTS = {
  take: script(TAKE_SCRIPT),
  reseed: script(RESEED_SCRIPT),
  clear: script(CLEAR_SCRIPT),
  setLimit: script(SET_LIMIT_SCRIPT),
} as const;
