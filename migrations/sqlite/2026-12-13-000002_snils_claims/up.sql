-- A SNILS typed in at registration proves nothing: it becomes a claim, which is not
-- unique, so it neither blocks the real holder nor tells anyone that the number is
-- registered. `snils` keeps only verified numbers (ESIA, or staff who saw the
-- document), unique as before.
ALTER TABLE citizens ADD COLUMN snils_claim TEXT;
UPDATE citizens SET snils_claim = snils, snils = NULL WHERE NOT snils_verified;
ALTER TABLE citizens DROP COLUMN snils_verified;
CREATE INDEX citizens_snils_claim ON citizens (snils_claim);
