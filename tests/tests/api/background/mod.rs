//! Background work done once: the outbox claimed with a lease, dead letters, the
//! refusal to start without a mail sink, and (on PostgreSQL) two real `portal`
//! processes sharing one database, and the change feed that keeps what each remembers
//! coherent.

mod feed;
mod outbox;
mod sessions;
mod two_processes;
mod webhooks;
