-- wrk script for benchmarks/run.py: prints one JSON line (prefixed "MINGA_WRK_JSON ") with the
-- request count, latency percentiles (microseconds), errors and status classes.
-- Environment:
--   MINGA_WRK_PATHS        a file of request paths, one a line: connections cycle through them
--   MINGA_WRK_HEADER       one extra header "Name: value" (e.g. Accept-Language)
--   MINGA_WRK_RATE         total requests per second to aim at (open-loop pacing); unset = flat out
--   MINGA_WRK_THREADS      the -t value (each thread paces its connections at rate / threads)
local ffi = require("ffi")
ffi.cdef [[
  typedef long time_t;
  typedef struct timeval { time_t tv_sec; long tv_usec; } timeval;
  int gettimeofday(struct timeval *tv, void *tz);
]]
local tv = ffi.new("timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local threads = {}
local thread_index = 0

function setup(thread)
  thread_index = thread_index + 1
  thread:set("id", thread_index)
  table.insert(threads, thread)
end

local paths = {}
local counter = 0
local interval_ms = nil
local next_at = nil
statuses = { s2 = 0, s3 = 0, s4 = 0, s5 = 0 }

function init(args)
  local file = os.getenv("MINGA_WRK_PATHS")
  if file then
    for line in io.lines(file) do
      if #line > 0 then table.insert(paths, line) end
    end
  end
  local header = os.getenv("MINGA_WRK_HEADER")
  if header then
    local name, value = header:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  local rate = tonumber(os.getenv("MINGA_WRK_RATE") or "")
  local thread_count = tonumber(os.getenv("MINGA_WRK_THREADS") or "1")
  if rate and rate > 0 then
    -- each thread hands out request slots threads / rate seconds apart to its connections
    interval_ms = thread_count * 1000.0 / rate
  end
  -- start threads at different offsets of the path list
  counter = (id or 1) * 7919
end

function request()
  if #paths > 0 then
    counter = counter + 1
    return wrk.format(nil, paths[(counter % #paths) + 1])
  end
  return wrk.format(nil)
end

if os.getenv("MINGA_WRK_RATE") then
  function delay()
    if interval_ms == nil then return 0 end
    local now = now_ms()
    if next_at == nil then next_at = now end
    next_at = next_at + interval_ms
    local wait = next_at - now
    if wait < 0 then
      next_at = now  -- behind schedule: do not burst to catch up
      return 0
    end
    return wait
  end
end

function response(status, headers, body)
  if status >= 500 then statuses.s5 = statuses.s5 + 1
  elseif status >= 400 then statuses.s4 = statuses.s4 + 1
  elseif status >= 300 then statuses.s3 = statuses.s3 + 1
  else statuses.s2 = statuses.s2 + 1 end
end

function done(summary, latency, requests)
  local s2, s3, s4, s5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    s2 = s2 + counts.s2; s3 = s3 + counts.s3; s4 = s4 + counts.s4; s5 = s5 + counts.s5
  end
  local e = summary.errors
  io.write(string.format(
    'MINGA_WRK_JSON {"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"status": {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d}}\n',
    summary.duration, summary.requests, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, s2, s3, s4, s5))
end
