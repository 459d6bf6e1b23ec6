//! The employer's cabinet (SPEC §3), one module per resource: the organisation's
//! registration, its requisites, its contact persons, their cabinets under the
//! administrator flag, favourite candidates, and the webhooks of its integrators.

pub mod cabinets;
pub mod contacts;
pub mod favourites;
pub mod organization;
pub mod registration;
pub mod webhooks;
