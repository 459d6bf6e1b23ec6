DROP INDEX organizations_verified_ogrn;
DROP INDEX organizations_ogrn;
ALTER TABLE organizations ADD CONSTRAINT organizations_ogrn_key UNIQUE (ogrn);
