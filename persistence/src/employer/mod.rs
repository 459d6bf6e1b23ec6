//! The employer's cabinet (SPEC §3), one file per resource: the organisation's card
//! ([`organization`]), its contact persons and their cabinets under the admin flag
//! ([`contacts`]), the favourite candidates ([`favourites`]); [`admin`] says who may
//! act, [`error`] why a request was refused. Every rule about the admin comes from
//! `domain::employer_admin`; the partial unique index on `employer_accounts` enforces
//! the same in the database.

pub(crate) mod admin;
pub(crate) mod contacts;
mod error;
mod favourites;
mod organization;

pub use contacts::{
    add_contact, close_cabinet, contact, contact_user, contacts, delete_contact, edit_contact,
    open_cabinet, set_blocked, transfer_admin, Contact, ContactInput, ContactRow,
};
pub use error::EmployerError;
pub use favourites::{add_favourite_resume, favourite_resumes, remove_favourite_resume};
pub use organization::{organization, register, update_organization};
