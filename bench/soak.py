"""Soak: mixed traffic against a running server for a while, then proof that nothing
acknowledged was lost. Citizens file appeals and read their lists; staff move appeals;
at the end every acknowledged appeal must exist, with a history holding exactly the
acknowledged moves, and every number must be unique.

usage: soak.py BASE_URL SECONDS THREADS
"""
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

BASE, SECONDS, THREADS = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
PASSWORD = "Demo-password-1"


def call(method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw else None


def login(name):
    status, body = call("POST", "/api/v1/auth/login", body={"login": name, "password": PASSWORD})
    assert status == 200, (name, status, body)
    return body["access_token"]


lock = threading.Lock()
filed = {}  # appeal id -> number
moved = {}  # appeal id -> acknowledged transitions
counts = {"requests": 0, "errors": 0, "conflicts": 0}
registered = []
staff = login("demo.staff")
citizens = []
for n in range(THREADS):
    name = f"soak.citizen.{n}"
    status, body = call("POST", "/api/v1/auth/register", body={
        "login": name, "password": PASSWORD, "email": f"{name}@example.ru",
        "last_name": "Нагрузка", "first_name": str(n),
    })
    assert status == 201, (status, body)
    citizens.append(body["access_token"])
centre = call("GET", "/api/v1/me", staff)[1]["centre"]["id"]
deadline = time.time() + SECONDS


def worker(n):
    token = citizens[n]
    while time.time() < deadline:
        roll = random.random()
        if roll < 0.45:
            status, body = call("POST", "/api/v1/appeals", token,
                                {"type": "general_inquiry", "body": f"soak {n}", "centre_id": centre})
            if status == 201:
                with lock:
                    filed[body["id"]] = body["number"]
                    registered.append(body["id"])
        elif roll < 0.65:
            with lock:
                target = registered.pop(random.randrange(len(registered))) if registered else None
            if target is None:
                continue
            status, body = call("POST", f"/api/v1/appeals/{target}/transitions", staff, {"to": "in_progress"})
            if status == 200:
                with lock:
                    moved[target] = moved.get(target, 0) + 1
            elif status == 409:
                with lock:
                    counts["conflicts"] += 1
        else:
            status, body = call("GET", "/api/v1/appeals?per_page=20", token)
        with lock:
            counts["requests"] += 1
            if status >= 500 or status in (401, 403, 404, 422):
                counts["errors"] += 1


threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

lost = 0
wrong_history = 0
for appeal_id in filed:
    status, body = call("GET", f"/api/v1/appeals/{appeal_id}/history", staff)
    if status != 200:
        lost += 1
        continue
    if len(body) != 1 + moved.get(appeal_id, 0):
        wrong_history += 1
numbers = list(filed.values())
duplicates = len(numbers) - len(set(numbers))
summary = {
    "seconds": SECONDS, "threads": THREADS, "requests": counts["requests"],
    "appeals_filed": len(filed), "transitions": sum(moved.values()),
    "unexpected_errors": counts["errors"], "lost": lost, "wrong_history": wrong_history,
    "duplicate_numbers": duplicates,
}
print(json.dumps(summary, ensure_ascii=False))
ok = lost == 0 and wrong_history == 0 and duplicates == 0 and counts["errors"] == 0
print(f"soak: {1 if ok else 0} passed, {0 if ok else 1} failed")
sys.exit(0 if ok else 1)
