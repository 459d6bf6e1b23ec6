-- Gives each wrk thread its own random sequence (seeded with its number): with one
-- seed the threads would ask the same requests in step and share their answers.
-- Scripts that draw at random `require("bench.lua.seeded")` (wrk runs from the
-- repository's root).
local threads = 0

function setup(thread)
    thread:set("number", threads)
    threads = threads + 1
end

function init(args)
    math.randomseed(os.time() * 1000 + number)
end
