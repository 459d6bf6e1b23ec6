-- Full-text search with a region: a random word form, region and salary floor per
-- request, so that (with remembering off) every request is one nobody asked before.
require("bench.lua.seeded")
local w = require("bench.lua.search.words")

request = function()
    return wrk.format("GET", string.format("/api/v1/vacancies?text=%s&region=%s&salary_from=%d",
        w.enc(w.pick(w.words)), w.pick(w.regions), 20000 + math.random(0, 40000)))
end
