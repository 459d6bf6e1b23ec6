//! Metadata of stored files (SPEC §7). The bytes are in the object store under
//! `storage_key`; a row exists only for a file that passed every upload rule and whose
//! bytes were stored, so there is never a row without its object.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::file::FileType;
use domain::Coded;

use crate::schema::files;
use crate::{new_id, DbConnection, StoreError};

/// What a file is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Document,
    AppealAttachment,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Document => "document",
            Purpose::AppealAttachment => "appeal_attachment",
        }
    }
}

/// The only status a kept file has: its bytes are in the store for good.
const STORED: &str = "stored";

/// A file that passed the upload rules and whose bytes are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub storage_key: String,
    pub name: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = files)]
pub struct FileRow {
    pub id: String,
    pub owner_id: String,
    pub storage_key: String,
    pub purpose: String,
    pub name: String,
    pub file_type: String,
    pub size: i64,
    pub sha256: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

/// A stored file as the API describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: String,
    pub owner_id: String,
    pub storage_key: String,
    pub name: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
}

impl TryFrom<FileRow> for StoredFile {
    type Error = StoreError;
    fn try_from(r: FileRow) -> Result<StoredFile, StoreError> {
        Ok(StoredFile {
            file_type: r.file_type.parse()?,
            size: u64::try_from(r.size).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            id: r.id,
            owner_id: r.owner_id,
            storage_key: r.storage_key,
            name: r.name,
            sha256: r.sha256,
            created_at: r.created_at,
        })
    }
}

/// Records a stored file of `owner_id`, inside the caller's transaction.
pub fn insert(
    conn: &mut DbConnection,
    owner_id: &str,
    purpose: Purpose,
    file: &NewFile,
    now: NaiveDateTime,
) -> Result<StoredFile, StoreError> {
    let id = new_id();
    let size = i64::try_from(file.size).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    diesel::insert_into(files::table)
        .values((
            files::id.eq(&id),
            files::owner_id.eq(owner_id),
            files::storage_key.eq(&file.storage_key),
            files::purpose.eq(purpose.code()),
            files::name.eq(&file.name),
            files::file_type.eq(file.file_type.code()),
            files::size.eq(size),
            files::sha256.eq(&file.sha256),
            files::status.eq(STORED),
            files::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(StoredFile {
        id,
        owner_id: owner_id.to_owned(),
        storage_key: file.storage_key.clone(),
        name: file.name.clone(),
        file_type: file.file_type,
        size: file.size,
        sha256: file.sha256.clone(),
        created_at: now,
    })
}

/// One file by id, whoever owns it: callers decide who may see it first.
pub fn get(conn: &mut DbConnection, id: &str) -> Result<StoredFile, StoreError> {
    files::table
        .find(id)
        .select(FileRow::as_select())
        .first(conn)?
        .try_into()
}
