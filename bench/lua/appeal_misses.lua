-- The staff work list in one status from a day drawn at random for each request, so
-- that nearly every request misses the remembered pages and totals: what a list
-- nobody asked for in the last few seconds costs (the session check from memory, a
-- count, the page, its rendering).
require("bench.lua.seeded")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local statuses = {"registered", "in_progress", "completed"}

request = function()
    local day = os.date("!%Y-%m-%d", os.time() - math.random(0, 1000) * 86400)
    local path = string.format("/api/v1/appeals?status=%s&date_from=%s",
        statuses[math.random(#statuses)], day)
    return wrk.format("GET", path)
end
