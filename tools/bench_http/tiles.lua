-- GET /tile/..., cycling through the tile and entry-bundle paths of DIR/paths.txt (written by
-- `carbonledger bench-scale`), each thread from its own offset. Arguments: DIR [gzip].
-- With "gzip", requests carry Accept-Encoding: gzip (nginx's gzip_static then sends the .gz).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  local lines = read_lines(args[1] .. "/paths.txt")
  local headers = {}
  if args[2] == "gzip" then headers["Accept-Encoding"] = "gzip" end
  reqs = {}
  for i = 1, #lines do reqs[#reqs + 1] = wrk.format("GET", lines[i], headers) end
  pos = (id * 7919) % #reqs
end

function request()
  pos = pos % #reqs + 1
  return reqs[pos]
end

function done(summary, latency, requests)
  report("GET /tile/*", summary, latency, false)
end
