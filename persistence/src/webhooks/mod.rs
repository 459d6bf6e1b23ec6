//! Webhooks of an organisation's integrators (issue 18): the subscriptions its admin
//! keeps ([`subscriptions`]) and the deliveries ([`deliveries`]): an outbox written in
//! the transaction of the change an event reports ([`enqueue`]), sent afterwards by the
//! server's background thread, which claims rows for a lease as the mail outbox does,
//! so each delivery goes out once however many processes share the database.

mod deliveries;
mod subscriptions;

pub use deliveries::{backlog, claim, enqueue, mark_delivered, mark_failed, Backlog, Claimed};
pub use subscriptions::{
    create, delete, deliveries_of, ensure_admin, get, list, update, Change, Delivery,
    NewSubscription, Subscription,
};
