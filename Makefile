# The two commands a new user needs: `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
CARGO ?= cargo
VENV := .venv
# Snapshot tests (insta) fail on a mismatch and write nothing; to accept a deliberate
# change, run them with INSTA_UPDATE=always and commit the new snapshots.
export INSTA_UPDATE ?= no
SCHEMATHESIS := $(VENV)/bin/schemathesis
MOTO := $(VENV)/bin/moto_server
# The OpenID provider the ESIA tests run (tests/oidc), installed from its lock file.
OIDC := tests/oidc/node_modules/.package-lock.json
# The TypeScript client test's packages (tests/client), installed from its lock file.
CLIENT := tests/client/node_modules/.package-lock.json
# The Swagger UI check's packages (tests/swagger: puppeteer-core), from its lock file.
SWAGGER := tests/swagger/node_modules/.package-lock.json

.PHONY: run test test-sqlite test-postgres test-spec test-client test-swagger test-faults test-s3 lint openapi build bench bench-search bench-journal bench-headline soak clean

## Build and start the server on SQLite with demo accounts; prints the Swagger UI link.
run:
	$(CARGO) run -p portal-api --bin portal -- serve --demo

## Everything: formatting, clippy, unit tests, and the black-box suite on SQLite and,
## when a server answers on 127.0.0.1:5432, on PostgreSQL. Ends with one total line.
test: lint
	@mkdir -p target && rm -f target/test-results.log
	$(MAKE) --no-print-directory test-sqlite 2>&1 | tee -a target/test-results.log
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres 2>&1 | tee -a target/test-results.log; \
	else \
		echo "No PostgreSQL on 127.0.0.1:5432: the PostgreSQL run is skipped"; \
	fi
	$(MAKE) --no-print-directory test-spec
	$(MAKE) --no-print-directory test-client
	$(MAKE) --no-print-directory test-swagger
	bash tests/faults.sh
	$(MAKE) --no-print-directory test-s3
	@awk '/^test result:/ { passed += $$4; failed += $$6 } \
		END { printf "total: %d passed, %d failed\n", passed, failed }' target/test-results.log

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Unit tests of every crate and the black-box suite on SQLite.
test-sqlite: $(OIDC)
	$(CARGO) build -p portal-api --bin portal
	TEST_BACKEND=sqlite $(CARGO) test --workspace

## The tests that start `portal` processes run the binary built here.
test-postgres: $(OIDC)
	$(CARGO) build -p portal-api --bin portal
	TEST_BACKEND=postgres TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(CARGO) test -p portal-tests

$(OIDC): tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund

## Spec conformance: schemathesis, every check, against the running demo server.
test-spec: $(SCHEMATHESIS)
	SCHEMATHESIS=$(SCHEMATHESIS) bash tests/spec.sh

$(SCHEMATHESIS):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check schemathesis==4.32.5

## A TypeScript client generated from openapi.yaml type-checks (strict, no casts) and
## runs every role's main flows against the demo server.
test-client: $(CLIENT)
	$(CARGO) build -p portal-api --bin portal
	bash tests/client/run.sh

$(CLIENT): tests/client/package.json tests/client/package-lock.json
	cd tests/client && npm ci --no-audit --no-fund

## Swagger UI in headless Chromium (Debian's `chromium`): the spec loads, the
## introduction shows, «Try it out» on sign-in answers 200; saves target/swagger-ui.png.
test-swagger: $(SWAGGER)
	$(CARGO) build -p portal-api --bin portal
	bash tests/swagger/run.sh

$(SWAGGER): tests/swagger/package.json tests/swagger/package-lock.json
	cd tests/swagger && npm ci --no-audit --no-fund

## PostgreSQL stopped mid-run (503, then recovery), slow clients, body limits.
test-faults:
	bash tests/faults.sh

## Uploads kept in S3 through the `aws` feature, against a local moto server (an
## S3-compatible store from PyPI, installed into .venv).
test-s3: $(MOTO)
	MOTO_SERVER=$(MOTO) bash tests/s3.sh

$(MOTO): $(SCHEMATHESIS)
	$(VENV)/bin/pip install -q --disable-pip-version-check 'moto[server]==5.2.5'

## Regenerate openapi.yaml from the code (a test fails while it is stale).
openapi:
	$(CARGO) run -q -p portal-api --bin portal -- openapi > openapi.yaml

build:
	$(CARGO) build --workspace --release

## Throughput and latency of the main endpoints on a seeded database; writes bench/RESULTS.md.
bench:
	bash bench/run.sh
	bash bench/search.sh
	$(MAKE) --no-print-directory bench-headline

## The vacancy search on a large bank (1 000 000 vacancies): writes bench/SEARCH_RESULTS.md.
bench-search:
	bash bench/search.sh

## The headline: 10 000 distinct signed-in citizens in an SPA's mix, SQLite and PostgreSQL
## (one and two processes), caches on and off (prints Markdown rows).
bench-headline:
	bash bench/headline.sh sqlite
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then bash bench/headline.sh postgres; fi

## What the audit journal costs staff reads, in a few minutes (prints pairs; PERF=1 profiles).
bench-journal:
	bash bench/journal.sh sqlite
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then bash bench/journal.sh postgres; fi

## Two minutes of mixed traffic per backend, then proof that nothing acknowledged was lost.
soak:
	bash bench/soak.sh

clean:
	$(CARGO) clean
