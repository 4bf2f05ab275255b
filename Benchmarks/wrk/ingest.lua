-- Push deliveries with a messageId no other request of the run uses (run tag, thread, counter), so every 2xx
-- must be a new durable row; the runner counts rows afterwards and compares.
local threads = {}
local tag = os.getenv("WRK_RUN_TAG") or tostring(os.time())

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  ok = 0
  other = 0
  prefix = '{"message":{"data":"eyJ0ZW1wIjoyMX0=","messageId":"' .. tag .. "-" .. tid .. "-"
end

function request()
  counter = counter + 1
  local body = prefix .. counter
    .. '","publishTime":"2026-01-01T00:00:00Z","attributes":{"k":"v"}},"subscription":"projects/p/subscriptions/s"}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

-- Counted here rather than taken from wrk's summary: wrk lumps 2xx and 3xx together.
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local ok_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    other_total = other_total + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"status_2xx":%d,"status_other":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, ok_total, other_total, e.connect, e.read, e.write, e.status, e.timeout))
end
