-- Type-ahead: a random prefix of two to four letters.
require("bench.lua.seeded")
local w = require("bench.lua.search.words")

request = function()
    return wrk.format("GET", "/api/v1/vacancies/suggest?text=" .. w.enc(w.pick(w.prefixes)))
end
