-- Filters and a sort without words: region, employment type, schedule, salary floor,
-- sorted by salary, rating or date, all drawn at random.
require("bench.lua.seeded")
local w = require("bench.lua.search.words")
local types = {"full_time", "part_time", "temporary", "internship", "seasonal", "remote"}
local schedules = {"full_day", "shift", "flexible", "rotation", "irregular", "part_day"}
local sorts = {"salary", "rating", "date"}

request = function()
    return wrk.format("GET", string.format(
        "/api/v1/vacancies?region=%s&employment_type=%s&schedule=%s&salary_from=%d&sort=%s",
        w.pick(w.regions), w.pick(types), w.pick(schedules), 20000 + math.random(0, 80000),
        w.pick(sorts)))
end
