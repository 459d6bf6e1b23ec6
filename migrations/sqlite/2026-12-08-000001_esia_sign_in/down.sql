ALTER TABLE citizens DROP COLUMN snils_verified;
DROP TABLE esia_identities;
DROP TABLE esia_logins;
