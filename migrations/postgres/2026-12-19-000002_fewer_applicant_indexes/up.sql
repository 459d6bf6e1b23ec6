-- Filing an appeal writes a page of every index on `appeals`, and on SQLite that is
-- most of a filing's cost (bench/RESULTS.md, «Where a miss's time goes»). Three
-- indexes led with `applicant_id`; one is enough. A person's own appeals are few, so
-- their list, filtered by status or by `updated_since`, reads the range of
-- `appeals_applicant (applicant_id, created_at)` and filters it. Centres' and
-- organisations' lists keep their own indexes.
DROP INDEX appeals_applicant_status;
DROP INDEX appeals_applicant_updated;
