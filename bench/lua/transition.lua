-- Staff move distinct registered appeals to in_progress: each request a new appeal,
-- so every one is a real write (status, history, notification).
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
  wrk.body = '{"to": "in_progress"}'
end

function request()
  n = n + tonumber(os.getenv("BENCH_THREADS") or "2")
  local id = ids[(n % #ids) + 1]
  return wrk.format(nil, "/api/v1/appeals/" .. id .. "/transitions")
end
