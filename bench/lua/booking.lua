-- Citizens book slots of one centre at once: each request a free slot of
-- $BENCH_IDS (threads stride through the list, so no two ask for the same one), all
-- of them writes to the one centre's calendar under its one-booking-per-slot index.
local ids = {}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line
  end
  n = tid
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  n = n + tonumber(os.getenv("BENCH_THREADS") or "2")
  local id = ids[(n % #ids) + 1]
  return wrk.format(nil, "/api/v1/citizen/appointments", nil, '{"slot_id": "' .. id .. '"}')
end
