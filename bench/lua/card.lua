-- Staff open the cards of distinct citizens of their centre, one after another
-- (GET /api/v1/staff/citizens/{id}); each read is journaled.
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line
  end
  n = tid
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  n = n + tonumber(os.getenv("BENCH_THREADS") or "2")
  return wrk.format(nil, "/api/v1/staff/citizens/" .. ids[(n % #ids) + 1])
end
