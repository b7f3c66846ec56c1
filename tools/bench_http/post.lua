-- POST /v1/transactions with pre-signed unit.transfer submissions. Run with wrk -t N -c N: one
-- connection per thread, and thread i sends signer i's file DIR/post-r<RUN>-s<i>.jsonl line by
-- line, so each signer's nonces reach the server in order. Every answer must be 201 (a new
-- entry); anything else is counted in `bad`. Arguments: DIR RUN.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

bad, exhausted = 0, 0

function init(args)
  reqs = {}
  local headers = { ["Content-Type"] = "application/json" }
  for _, line in ipairs(read_lines(args[1] .. "/post-r" .. args[2] .. "-s" .. id .. ".jsonl")) do
    reqs[#reqs + 1] = wrk.format("POST", "/v1/transactions", headers, line)
  end
  pos = 0
end

function request()
  pos = pos + 1
  -- Only reached if the thread could not stop in time; never a transaction out of order.
  if pos > #reqs then return wrk.format("GET", "/v1/health") end
  return reqs[pos]
end

function response(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
    first_error = first_error or (status .. " " .. body)
  end
  if pos >= #reqs then
    exhausted = 1
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  report("POST /v1/transactions", summary, latency, true)
end
