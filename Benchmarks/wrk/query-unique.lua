-- The listing with a different `from` on every request (a microsecond apart, all long before the stored rows),
-- so every answer is read from the store: what a query costs when it misses the query function's answer cache.
local n = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tag", threads)
end

function request()
  n = n + 1
  local micros = string.format("%06d", n % 1000000)
  local path = "/query/records?limit=10&from=2000-01-" .. string.format("%02d", tag) .. "T00:00:00." .. micros .. "Z"
  return wrk.format("GET", path)
end
