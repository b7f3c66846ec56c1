-- GET /v1/checkpoint: one static request, repeated.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")
wrk.method = "GET"
wrk.path = "/v1/checkpoint"

function done(summary, latency, requests)
  report("GET /v1/checkpoint", summary, latency, false)
end
