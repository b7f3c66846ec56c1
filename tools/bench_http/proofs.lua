-- GET /v1/proofs/inclusion?seq=<random>&tree_size=<size>, cycling through the random entry
-- numbers of DIR/proofs.txt (first line: the tree size). Arguments: DIR.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  local lines = read_lines(args[1] .. "/proofs.txt")
  local size = lines[1]
  reqs = {}
  for i = 2, #lines do
    reqs[#reqs + 1] = wrk.format("GET", "/v1/proofs/inclusion?seq=" .. lines[i] .. "&tree_size=" .. size)
  end
  pos = (id * 7919) % #reqs
end

function request()
  pos = pos % #reqs + 1
  return reqs[pos]
end

function done(summary, latency, requests)
  report("GET /v1/proofs/inclusion", summary, latency, false)
end
