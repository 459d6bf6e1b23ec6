DROP TABLE appeal_attachments;
DROP TABLE documents;
DROP TABLE files;
