-- wrk script: every request to PATH with Host HOST and the next header line of FILE,
-- round robin (one line = one browser's cookie or token). Pre-formatted in init, so
-- the script costs wrk about what a fixed request does.
-- usage: wrk ... -s wrk-rotate.lua URL -- PATH HOST FILE
local requests = {}
local next_index = 0

function init(args)
  local path, host, file = args[1], args[2], args[3]
  for line in io.lines(file) do
    local headers = { Host = host }
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
  if #requests == 0 then requests[1] = wrk.format("GET", path, { Host = host }) end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
