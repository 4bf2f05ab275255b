-- Only a machine-readable summary; no per-response callback, so wrk keeps its fastest path for GETs.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"status_2xx":%d,"status_other":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.requests - e.status, e.status,
    e.connect, e.read, e.write, e.status, e.timeout))
end
