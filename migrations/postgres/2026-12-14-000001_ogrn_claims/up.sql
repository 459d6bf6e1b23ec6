-- An OGRN typed in at registration proves nothing: organisations registered by hand
-- may share it (so registration tells nobody that an OGRN is known, and a squatter
-- cannot block the real organisation). Only a verified organisation holds its OGRN
-- alone (ESIA, or staff who saw the documents).
ALTER TABLE organizations DROP CONSTRAINT organizations_ogrn_key;
CREATE INDEX organizations_ogrn ON organizations (ogrn);
CREATE UNIQUE INDEX organizations_verified_ogrn ON organizations (ogrn) WHERE verified_at IS NOT NULL;
