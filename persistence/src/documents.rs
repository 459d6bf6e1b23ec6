//! A citizen's documents and their review (SPEC §7): rows in, domain values out. The
//! rules — who sees a document, which decisions a review may take, what replaces a
//! rejected one, what the citizen is told — are `domain::document`'s.

use domain::audit::{AuditAction, AuditContext};

use crate::audit::{self, Journaled, ReadEntry, Target};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::document::{review_notice, visible_to, DocumentError, DocumentKind, DocumentStatus};
use domain::notification::Category;
use domain::Coded;

use crate::files::{self, FileRow, NewFile, Purpose, StoredFile};
use crate::paging::{self, Page, PageRequest};
use crate::schema::{documents, files as files_table, users};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = documents)]
struct DocumentRow {
    id: String,
    citizen_id: String,
    kind: String,
    file_id: String,
    status: String,
    reason: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<NaiveDateTime>,
    replaces_id: Option<String>,
    replaced_by_id: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A document with its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub citizen_id: String,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub reason: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    /// The rejected document this one replaces.
    pub replaces_id: Option<String>,
    /// The document that replaced this rejected one.
    pub replaced_by_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub file: StoredFile,
}

fn document(row: DocumentRow, file: FileRow) -> Result<Document, StoreError> {
    Ok(Document {
        kind: row.kind.parse()?,
        status: row.status.parse()?,
        id: row.id,
        citizen_id: row.citizen_id,
        reason: row.reason,
        reviewed_at: row.reviewed_at,
        replaces_id: row.replaces_id,
        replaced_by_id: row.replaced_by_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        file: file.try_into()?,
    })
}

/// Why a request about documents was refused.
#[derive(Debug, thiserror::Error)]
pub enum DocumentUseError {
    #[error("document not found")]
    NotFound,
    #[error(transparent)]
    Rule(#[from] DocumentError),
    #[error("only centre staff review documents")]
    NotStaff,
    #[error("the document changed meanwhile")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for DocumentUseError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => DocumentUseError::NotFound,
            other => DocumentUseError::Store(other),
        }
    }
}

/// What a new upload is.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: DocumentKind,
    /// A rejected document of the citizen's that this one replaces.
    pub replaces: Option<String>,
    pub file: NewFile,
}

/// Records a citizen's upload, on review; a replacement links both ways to the
/// rejected document, which stays (the history).
pub fn upload(
    conn: &mut DbConnection,
    citizen_id: &str,
    ctx: &AuditContext,
    new: &NewDocument,
    now: NaiveDateTime,
) -> Result<Document, DocumentUseError> {
    db::write(conn, |conn| {
        let id = new_id();
        if let Some(old_id) = &new.replaces {
            let (old, _) = find(conn, old_id)?;
            if old.citizen_id != citizen_id {
                return Err(DocumentUseError::NotFound);
            }
            let status: DocumentStatus = old.status.parse().map_err(StoreError::from)?;
            let kind: DocumentKind = old.kind.parse().map_err(StoreError::from)?;
            if old.replaced_by_id.is_some() {
                return Err(DocumentError::NotReplaceable { status }.into());
            }
            status.replace(kind, new.kind)?;
        }
        let file = files::insert(conn, citizen_id, Purpose::Document, &new.file, now)?;
        diesel::insert_into(documents::table)
            .values((
                documents::id.eq(&id),
                documents::citizen_id.eq(citizen_id),
                documents::kind.eq(new.kind.code()),
                documents::file_id.eq(&file.id),
                documents::status.eq(DocumentStatus::OnReview.code()),
                documents::replaces_id.eq(new.replaces.as_deref()),
                documents::version.eq(1),
                documents::created_at.eq(now),
                documents::updated_at.eq(now),
            ))
            .execute(conn)?;
        if let Some(old_id) = &new.replaces {
            // Two replacements racing for one rejected document: one links, the other
            // finds the link taken and rolls back.
            let linked = diesel::update(
                documents::table
                    .filter(documents::id.eq(old_id))
                    .filter(documents::replaced_by_id.is_null()),
            )
            .set((
                documents::replaced_by_id.eq(&id),
                documents::updated_at.eq(now),
            ))
            .execute(conn)?;
            if linked != 1 {
                return Err(DocumentUseError::Concurrent);
            }
        }
        audit::record_by(
            conn,
            Some(citizen_id),
            ctx,
            AuditAction::DocumentUpload,
            document_target(&id, citizen_id),
            now,
        )?;
        let (row, file) = find(conn, &id)?;
        Ok(document(row, file)?)
    })
}

fn document_target<'a>(id: &'a str, citizen_id: &'a str) -> Target<'a> {
    Target {
        record_type: "document",
        record_id: id,
        subject_id: citizen_id,
    }
}

/// A citizen's document opened by staff of their centre, with its journal entry;
/// anyone else's is not found.
pub fn read_for_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    now: NaiveDateTime,
) -> Result<Journaled<Document>, DocumentUseError> {
    if actor.role != domain::role::Role::Staff {
        return Err(DocumentUseError::NotStaff);
    }
    let found = get(conn, actor, id)?;
    let entry = ReadEntry::new(
        actor,
        ctx,
        AuditAction::DocumentRead,
        document_target(&found.id, &found.citizen_id),
        now,
    )
    // Staff read only the documents of their own centre's citizens.
    .serving(actor.centre_id.as_deref());
    Ok(Journaled::new(found, entry))
}

fn find(conn: &mut DbConnection, id: &str) -> Result<(DocumentRow, FileRow), DocumentUseError> {
    Ok(documents::table
        .inner_join(files_table::table)
        .filter(documents::id.eq(id))
        .select((DocumentRow::as_select(), FileRow::as_select()))
        .first(conn)?)
}

/// A document as `viewer` may see it (SPEC: anyone else's answers "not found").
pub fn get(
    conn: &mut DbConnection,
    viewer: &Actor,
    id: &str,
) -> Result<Document, DocumentUseError> {
    let (row, file) = find(conn, id)?;
    let citizen_centre: Option<String> = users::table
        .find(&row.citizen_id)
        .select(users::centre_id)
        .first(conn)?;
    if !visible_to(viewer, &row.citizen_id, citizen_centre.as_deref()) {
        return Err(DocumentUseError::NotFound);
    }
    Ok(document(row, file)?)
}

/// Which of a citizen's documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    /// Also the rejected documents that were replaced (the history).
    pub include_replaced: bool,
}

/// The citizen's documents, newest first.
pub fn list(
    conn: &mut DbConnection,
    citizen_id: &str,
    filter: &DocumentFilter,
    page: PageRequest,
) -> Result<Page<Document>, StoreError> {
    let query = || {
        let mut q = documents::table
            .inner_join(files_table::table)
            .filter(documents::citizen_id.eq(citizen_id))
            .into_boxed();
        if let Some(kind) = filter.kind {
            q = q.filter(documents::kind.eq(kind.code()));
        }
        if let Some(status) = filter.status {
            q = q.filter(documents::status.eq(status.code()));
        }
        if !filter.include_replaced {
            q = q.filter(documents::replaced_by_id.is_null());
        }
        q
    };
    paging::count_and_load(conn, page, query, |q| {
        q.order((documents::created_at.desc(), documents::id.desc()))
            .select((DocumentRow::as_select(), FileRow::as_select()))
    })?
    .try_map(|(row, file)| document(row, file))
}

/// A reviewer's decision on a document of a citizen of their centre; the citizen is
/// told through their «application status» subscriptions.
pub fn review(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    to: DocumentStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<Document, DocumentUseError> {
    if actor.role != domain::role::Role::Staff {
        return Err(DocumentUseError::NotStaff);
    }
    db::write(conn, |conn| {
        let current = get(conn, actor, id)?;
        let decision = current.status.review(to, reason)?;
        let changed = diesel::update(
            documents::table
                .filter(documents::id.eq(id))
                .filter(documents::status.eq(current.status.code())),
        )
        .set((
            documents::status.eq(decision.to.code()),
            documents::reason.eq(decision.reason.as_deref()),
            documents::reviewed_by.eq(&actor.user_id),
            documents::reviewed_at.eq(now),
            documents::version.eq(documents::version + 1),
            documents::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(DocumentUseError::Concurrent);
        }
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::DocumentReview,
            document_target(id, &current.citizen_id),
            now,
        )?;
        let (title, body) = review_notice(current.kind, &current.file.name, &decision);
        let link = format!("/api/v1/citizen/documents/{id}");
        crate::notifications::notify(
            conn,
            &current.citizen_id,
            &crate::notifications::Event {
                category: Category::ApplicationStatus,
                title: &title,
                body: &body,
                link: Some(&link),
            },
            now,
        )?;
        get(conn, actor, id)
    })
}

/// Documents of the citizens of the staff member's centre, oldest first: the review
/// queue when filtered to `on_review`.
pub fn for_centre(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    status: Option<DocumentStatus>,
    page: PageRequest,
    now: NaiveDateTime,
) -> Result<Journaled<Page<Document>>, DocumentUseError> {
    let Some(centre) = actor
        .centre_id
        .clone()
        .filter(|_| actor.role == domain::role::Role::Staff)
    else {
        return Err(DocumentUseError::NotStaff);
    };
    let query = || {
        let mut q = documents::table
            .inner_join(files_table::table)
            .inner_join(users::table.on(users::id.eq(documents::citizen_id)))
            .filter(users::centre_id.eq(centre.clone()))
            .filter(documents::replaced_by_id.is_null())
            .into_boxed();
        if let Some(status) = status {
            q = q.filter(documents::status.eq(status.code()));
        }
        q
    };
    let found = paging::count_and_load(conn, page, query, |q| {
        q.order((documents::created_at.asc(), documents::id.asc()))
            .select((DocumentRow::as_select(), FileRow::as_select()))
    })?;
    let found = found.try_map(|(row, file)| document(row, file))?;
    // Each citizen on the page reads in their journal that staff saw their documents.
    let entries = audit::per_person(
        actor,
        ctx,
        AuditAction::DocumentsListed,
        "documents",
        found.items.iter().map(|d| d.citizen_id.as_str()),
        now,
    )
    .into_iter()
    .map(|entry| entry.serving(Some(&centre)))
    .collect();
    Ok(Journaled::many(found, entries))
}
