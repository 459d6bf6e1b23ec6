-- Deep pages by cursor: BENCH_CURSORS names a file of "query<TAB>cursor" lines
-- collected by walking searches far into their results (bench/search.sh).
require("bench.lua.seeded")
local pages = {}
local file = io.open(os.getenv("BENCH_CURSORS"), "r")
for line in file:lines() do
    local query, cursor = line:match("^(.-)\t(.*)$")
    if query then pages[#pages + 1] = query .. "&cursor=" .. cursor end
end
file:close()

request = function()
    return wrk.format("GET", "/api/v1/vacancies?" .. pages[math.random(#pages)])
end
