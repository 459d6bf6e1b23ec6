"""Signs in seeded citizens in parallel and prints "token appeal_id" per citizen.

Usage: signin.py BASE_URL COUNT [THREADS]. Logins are bench.citizen.{n}; each line is
the citizen's access token and the id of one of their appeals, for bench/lua/mix.lua.
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE, COUNT = sys.argv[1], int(sys.argv[2])
THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 8


def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def one(n):
    login = {"login": f"bench.citizen.{n}", "password": "Bench-password-1"}
    token = call("POST", "/api/v1/auth/login", login)["access_token"]
    page = call("GET", "/api/v1/appeals?per_page=1&date_from=2000-01-01", token=token)
    if not page["items"]:
        return None
    return f'{token} {page["items"][0]["id"]}'


with ThreadPoolExecutor(THREADS) as pool:
    for line in pool.map(one, range(COUNT)):
        if line:
            print(line)
