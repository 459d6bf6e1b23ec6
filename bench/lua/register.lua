-- POST /api/v1/auth/register: a flood of new citizens, every request a new login, as
-- a script with many addresses would send them (the bench server lifts the
-- per-address registration limit so that each one reaches password hashing).
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  n = 0
  stamp = os.time()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local login = string.format("flood.%d.%d.%d", stamp, tid, n)
  local body = string.format(
    '{"login": "%s", "password": "Flood-password-1", "email": "%s@example.ru", ' ..
    '"last_name": "Иванов", "first_name": "Иван", "birth_date": "1990-05-17", "region_code": "77"}',
    login, login)
  return wrk.format(nil, "/api/v1/auth/register", nil, body)
end
