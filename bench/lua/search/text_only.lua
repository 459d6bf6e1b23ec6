-- Full-text search over the whole bank: a random word form, relevance order.
require("bench.lua.seeded")
local w = require("bench.lua.search.words")

request = function()
    return wrk.format("GET", string.format("/api/v1/vacancies?text=%s&per_page=%d",
        w.enc(w.pick(w.words)), 10 + math.random(0, 10)))
end
