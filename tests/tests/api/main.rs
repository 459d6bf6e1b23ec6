//! The black-box suite: every test starts the real server on a free port against its
//! own fresh database and talks to it over HTTP.

mod appeals;
mod audit;
mod auth;
mod auth_throttle;
mod background;
mod centres;
mod client_addr;
mod conditional;
mod database_tls;
mod date_ranges;
mod demo;
mod dictionaries;
mod drafts;
mod drift;
mod employer;
mod errors;
mod esia;
mod events;
mod health;
mod idempotency;
mod interviews;
mod job_search;
mod logs;
mod metrics;
mod notifications;
mod openapi;
mod organization_verification;
mod password_reset;
mod plans;
mod quotas;
mod resumes;
mod services;
mod settings;
mod staff;
mod vacancies;
mod vacancy_edit;
mod vacancy_search;
mod vacancy_totals;
mod webhooks;

mod benefits;
mod certificates;
mod documents;
mod training;
mod updated_since;
