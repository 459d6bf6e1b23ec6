//! HTTP handlers, one module per area of API.md's resource map.

pub mod appeals;
pub mod auth;
pub mod citizen;
pub mod health;
pub mod me;
pub mod staff;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::register)
        .service(auth::sign_in)
        .service(auth::refresh_tokens)
        .service(auth::sign_out)
        .service(me::me)
        .service(citizen::services)
        .service(citizen::personal_cases)
        .service(appeals::list)
        .service(appeals::create)
        .service(appeals::get_one)
        .service(appeals::history)
        .service(appeals::transition)
        .service(staff::work_list)
        .service(staff::remove_from_work_list)
        .service(staff::register_citizen)
        .service(staff::get_citizen)
        .service(staff::list_cases)
        .service(staff::open_case)
        .service(staff::update_case);
}

/// The probes, at the root where orchestrators expect them.
pub fn health(cfg: &mut ServiceConfig) {
    cfg.service(health::live).service(health::ready);
}
