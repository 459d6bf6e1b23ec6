-- POST /api/v1/auth/login for one of the seeded citizens.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login": "bench.citizen.1", "password": "Bench-password-1"}'
