-- A text search with every facet counted, with a random word form and region.
require("bench.lua.seeded")
local w = require("bench.lua.search.words")

request = function()
    return wrk.format("GET", string.format(
        "/api/v1/vacancies?text=%s&region=%s&facets=region,employment_type,schedule,salary_band",
        w.enc(w.pick(w.words)), w.pick(w.regions)))
end
