-- What a single-page app's users send: BENCH_USERS holds one line per signed-in
-- citizen, "token appeal_id"; each request is drawn for a random citizen from the mix
-- below (weights out of 100), one write in ten. BENCH_ONLY names one kind of request
-- (me, appeals, appeal, notifications, search, file) to send only that kind.
local regions = {"77", "78", "50", "16", "66", "54", "23", "02"}

function init(args)
  users = {}
  for line in io.lines(os.getenv("BENCH_USERS")) do
    local token, appeal = line:match("^(%S+)%s+(%S+)$")
    if token then
      users[#users + 1] = {token = token, appeal = appeal}
    end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

local function get(user, path)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. user.token})
end

-- The upper end of each kind's share of the rolls 1..100.
local kinds = {me = 20, appeals = 40, appeal = 55, notifications = 75, search = 90, file = 100}
local only = kinds[os.getenv("BENCH_ONLY") or ""]
-- BENCH_BURST=n keeps each drawn citizen for n requests in a row, as a cabinet page
-- sends its few requests at once with one token; 1 (the default) draws every time.
local burst = tonumber(os.getenv("BENCH_BURST") or "1")
local user, left = nil, 0

function request()
  if left <= 0 then
    user, left = users[math.random(#users)], burst
  end
  left = left - 1
  local roll = only or math.random(100)
  if roll <= 20 then
    return get(user, "/api/v1/me")
  elseif roll <= 40 then
    return get(user, "/api/v1/appeals?per_page=10")
  elseif roll <= 55 then
    return get(user, "/api/v1/appeals/" .. user.appeal)
  elseif roll <= 75 then
    return get(user, "/api/v1/notifications?per_page=10")
  elseif roll <= 90 then
    local region = regions[math.random(#regions)]
    local salary = 10000 * math.random(2, 12)
    return get(user, "/api/v1/vacancies?region=" .. region .. "&salary_from=" .. salary)
  else
    local body = '{"type":"general_inquiry","body":"Прошу разъяснить порядок постановки на учёт"}'
    return wrk.format("POST", "/api/v1/appeals", {
      ["Authorization"] = "Bearer " .. user.token,
      ["Content-Type"] = "application/json",
    }, body)
  end
end
