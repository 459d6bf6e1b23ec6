ALTER TABLE citizens ADD COLUMN snils_verified BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE citizens SET snils_verified = TRUE WHERE snils IS NOT NULL;
-- A claim goes back into the unique column only where nobody else has the number.
UPDATE citizens SET snils = snils_claim
WHERE snils IS NULL
  AND snils_claim IN (SELECT snils_claim FROM citizens GROUP BY snils_claim HAVING count(*) = 1)
  AND snils_claim NOT IN (SELECT snils FROM citizens WHERE snils IS NOT NULL);
DROP INDEX citizens_snils_claim;
ALTER TABLE citizens DROP COLUMN snils_claim;
