-- GET /v1/accounts/<trader>/holdings as the trader itself, with pre-signed RFC 9421 headers
-- (DIR/holdings-<thread>.txt: path, Content-Digest, Signature-Input, Signature, tab-separated).
-- Each request is sent once (its nonce is single-use); a thread that runs out stops.
-- Arguments: DIR.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

bad, exhausted = 0, 0

function init(args)
  reqs = {}
  for _, line in ipairs(read_lines(args[1] .. "/holdings-" .. id .. ".txt")) do
    local path, digest, input, sig = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
    reqs[#reqs + 1] = wrk.format("GET", path, {
      ["Content-Digest"] = digest, ["Signature-Input"] = input, ["Signature"] = sig })
  end
  pos = 0
end

function request()
  pos = pos + 1
  if pos > #reqs then return wrk.format("GET", "/v1/health") end
  return reqs[pos]
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    first_error = first_error or (status .. " " .. body)
  end
  if pos >= #reqs then
    exhausted = 1
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  report("GET /v1/accounts/{id}/holdings", summary, latency, true)
end
