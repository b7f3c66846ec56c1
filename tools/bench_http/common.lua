-- Shared by the wrk scripts of tools/bench-http: numbers the threads (setup runs once per
-- thread in wrk's main Lua state; `id` becomes a global of the thread's own state) and prints
-- one machine-readable BENCH line in done(), which tools/bench-http parses.
--
-- Thread globals read back in done(): `bad` (responses other than the expected status),
-- `exhausted` (1 when the thread ran out of prepared requests and stopped early),
-- `first_error` (status and body of the first unexpected response).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Reads a file's lines into a table; fails loudly when it is missing.
function read_lines(path)
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  local lines = {}
  for line in f:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  f:close()
  return lines
end

-- `counted`: the script counts unexpected statuses itself (response() defined); otherwise wrk's
-- own count of status > 399 is used.
function report(route, summary, latency, counted)
  local bad, exhausted, first_error = 0, 0, nil
  for _, t in ipairs(threads) do
    bad = bad + (t:get("bad") or 0)
    exhausted = exhausted + (t:get("exhausted") or 0)
    first_error = first_error or t:get("first_error")
  end
  if not counted then bad = summary.errors.status end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH route=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "non2xx=%d connect=%d read=%d write=%d timeout=%d exhausted=%d\n",
    route, summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect, e.read, e.write, e.timeout, exhausted))
  if first_error then
    io.write("BENCH-FIRST-ERROR " .. first_error:gsub("\n", " ") .. "\n")
  end
end
