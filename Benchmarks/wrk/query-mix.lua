-- A query mix in which no two requests of a run are the same, so no answer can be reused: in turn, on each wrk
-- thread, a cursor walk step, a filtered listing and a lookup by id (a third each).
--
-- The store must hold exactly the rows Benchmarks/run preloads: WRK_ROWS rows with messageId pre-%08d, row i
-- published at WRK_PRELOAD_EPOCH + i seconds, attribute k=v. WRK_THREADS must be wrk's -t (the threads split the
-- ids between them). WRK_MIX_FIRST (default 0) skips that many slots of every kind, so a warm-up run and the
-- measured run after it share no request: pass the warm-up's "next_slot".
--
-- The first half of the rows is walked, the second half is listed, and every row is looked up:
--
-- * Walk: the rows are cut into windows of WALK_ROWS rows. A walk lists one window (from/to) 10 at a time, then
--   follows the nextCursor of each answer, with the same filter, until an answer has none. Its filter carries
--   offsets below a second that no other walk or listing of the run uses (the rows are whole seconds apart, so
--   they select the same rows), and each page after the first carries a cursor no other page has. Answers do not
--   say which request they answer, so a thread keeps at most one walk per window: the first record's messageId
--   names the window, and so the walk the cursor continues. A cursor is followed by the next walk request of the
--   same thread, on whichever connection sends it.
-- * Listing: 1 to 20 rows between a from and a to with the same kind of unique offsets; every second listing also
--   filters on attributes.k=v.
-- * Lookup: /query/records/{messageId}, each preloaded id at most once in the run (spread over the table by a
--   stride prime to the row count). When the ids run out, the lookup's turn becomes a listing and is counted in
--   lookup_turns_as_listings: the mix is then no longer a third of lookups, and the runner says so.
--
-- Every answer must be 2xx; 2xx and the rest are counted per response, as in ingest.lua. The counts of each kind
-- are of requests the script made: wrk asks for one request before the run to check the script and never sends it
-- (a walk's first page, whose window then stays taken), and the requests in flight when wrk stops have no answer.

local WALK_ROWS = 100     -- rows per walk window: 10 pages of 10
local LIST_MAX = 20       -- rows per listing window, at most
local LIMIT = 10
local SPREAD = 7907       -- a prime: where listings start in their half
local OFFSETS = 999999    -- offsets below a second: 1..999999 microseconds

local threads = {}
local declared_threads = tonumber(os.getenv("WRK_THREADS") or "")
local rows = tonumber(os.getenv("WRK_ROWS") or "")
local epoch = tonumber(os.getenv("WRK_PRELOAD_EPOCH") or "")
local first_slot = tonumber(os.getenv("WRK_MIX_FIRST") or "0")

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a % b end
  return a
end

-- An instant `second` seconds after the preload epoch plus `micros` microseconds (1..999999), in RFC 3339.
local function instant(second, micros)
  return os.date("!%Y-%m-%dT%H:%M:%S", epoch + second) .. string.format(".%06dZ", micros)
end

-- A from/to pair selecting rows first..last (inclusive) whose text no other slot `u` of the same kind gives:
-- `from` is 1..999999 µs before row `first`, `to` 1..999999 µs after row `last` (rows are a second apart).
local function window(first, last, u)
  local before = 1 + u % OFFSETS
  local after = 1 + math.floor(u / OFFSETS) % OFFSETS
  return "from=" .. instant(first - 1, 1000000 - before) .. "&to=" .. instant(last, after)
end

function init(args)
  assert(declared_threads, "WRK_THREADS must be wrk's thread count")
  assert(rows and rows >= 4 * WALK_ROWS, "WRK_ROWS must be the preloaded row count, at least " .. 4 * WALK_ROWS)
  assert(epoch, "WRK_PRELOAD_EPOCH must be the preload's first publish time, in seconds")
  T = declared_threads
  me = tid - 1
  walk_rows = math.floor(rows / 2 / WALK_ROWS) * WALK_ROWS
  windows = walk_rows / WALK_ROWS
  list_span = rows - walk_rows - LIST_MAX
  stride = 7919
  while gcd(stride, rows) ~= 1 do stride = stride + 1 end
  window_stride = 31
  while gcd(window_stride, windows) ~= 1 do window_stride = window_stride + 1 end

  ok, other = 0, 0
  turn = 0
  walks, walk_pages, walks_done, listings, lookups = 0, 0, 0, 0, 0
  lookup_short, walk_short = 0, 0
  next_window = me
  active, active_count = {}, 0      -- window -> the walk's filter, one walk per window in this thread
  ready, head, tail = {}, 1, 0      -- cursors to follow: {filter, cursor}
end

local function slot(k)
  return first_slot + k * T + me
end

local function listing()
  local u = slot(listings)
  local first = walk_rows + (u * SPREAD) % list_span
  local path = "/query/records?limit=" .. LIMIT .. "&" .. window(first, first + u % LIST_MAX, u)
  if listings % 2 == 1 then path = path .. "&attributes.k=v" end
  listings = listings + 1
  return path
end

local function walk()
  if head <= tail then
    local step = ready[head]
    ready[head] = nil
    head = head + 1
    walk_pages = walk_pages + 1
    return "/query/records?limit=" .. LIMIT .. "&" .. step[1] .. "&cursor=" .. step[2]
  end
  if active_count >= windows then
    walk_short = walk_short + 1
    return listing()
  end
  local w
  repeat
    w = (next_window * window_stride) % windows
    next_window = next_window + 1
  until active[w] == nil
  local filter = window(w * WALK_ROWS, (w + 1) * WALK_ROWS - 1, slot(walks))
  walks = walks + 1
  active[w] = filter
  active_count = active_count + 1
  return "/query/records?limit=" .. LIMIT .. "&" .. filter
end

local function lookup()
  local j = slot(lookups)
  if j >= rows then
    lookup_short = lookup_short + 1
    return listing()
  end
  lookups = lookups + 1
  return "/query/records/" .. string.format("pre-%08d", (j * stride) % rows)
end

function request()
  turn = turn + 1
  local kind = turn % 3
  local path
  if kind == 1 then path = walk() elseif kind == 2 then path = listing() else path = lookup() end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    other = other + 1
    return
  end
  ok = ok + 1
  if active_count == 0 or not body:find('"records":', 1, true) then return end
  local first = body:match('"messageId":%s*"pre%-(%d+)"')
  if not first then return end
  first = tonumber(first)
  if first >= walk_rows then return end
  local w = math.floor(first / WALK_ROWS)
  local filter = active[w]
  if not filter then return end
  local cursor = body:match('"nextCursor":%s*"([^"]+)"')
  if cursor then
    tail = tail + 1
    ready[tail] = { filter, cursor }
  else
    active[w] = nil
    active_count = active_count - 1
    walks_done = walks_done + 1
  end
end

function done(summary, latency, requests)
  local sum = {}
  local names = { "ok", "other", "walks", "walk_pages", "walks_done", "listings", "lookups", "lookup_short",
    "walk_short" }
  for _, name in ipairs(names) do sum[name] = 0 end
  local most = 0
  for _, thread in ipairs(threads) do
    for _, name in ipairs(names) do sum[name] = sum[name] + thread:get(name) end
    -- Slots of each kind this thread used (listings include the turns that walks and lookups handed over).
    most = math.max(most, thread:get("walks"), thread:get("listings"), thread:get("lookups"))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"status_2xx":%d,"status_other":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"mix":{"walks_started":%d,"walk_cursor_pages":%d,"walks_finished":%d,"listings":%d,"lookups":%d,'
      .. '"lookup_turns_as_listings":%d,"walk_turns_as_listings":%d,"threads":%d,"threads_declared":%d,'
      .. '"rows":%d,"first_slot":%d,"next_slot":%d}}\n',
    summary.requests, summary.duration, sum.ok, sum.other, e.connect, e.read, e.write, e.status, e.timeout,
    sum.walks, sum.walk_pages, sum.walks_done, sum.listings, sum.lookups, sum.lookup_short, sum.walk_short,
    #threads, declared_threads, rows, first_slot, first_slot + most * declared_threads))
end
