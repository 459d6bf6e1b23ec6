-- Vacancy search with a region and a salary floor drawn at random for each request, so
-- that nearly every request misses the remembered pages and totals: what a search
-- nobody made in the last few seconds costs (a count, the page, its rendering).
require("bench.lua.seeded")
local regions = {"02", "16", "23", "24", "25", "36", "50", "52", "54", "55", "59", "61", "63", "66", "71", "74", "76", "77", "78"}

request = function()
    local path = string.format(
        "/api/v1/vacancies?region=%s&employment_type=full_time&salary_from=%d&sort=salary",
        regions[math.random(#regions)], 20000 + math.random(0, 80000))
    return wrk.format("GET", path)
end
