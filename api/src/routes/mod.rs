//! HTTP handlers, one module per area of API.md's resource map.

pub mod appeals;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod centres;
pub mod citizen;
pub mod dictionaries;
pub mod drafts;
pub mod employer;
pub mod esia;
pub mod events;
pub mod health;
pub mod interviews;
pub mod job_search;
pub mod me;
pub mod notifications;
pub mod organization_verification;
pub mod password_reset;
pub mod report_forms;
pub mod reports;
pub mod resumes;
mod search_cursor;
pub mod staff;
pub mod vacancies;
pub mod vacancy_lifecycle;
pub mod vacancy_search;
pub mod vacancy_suggest;

pub mod attachments;
pub mod benefits;
pub mod certificates;
pub mod documents;
pub mod payments;
pub mod payout;
pub mod training;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::register)
        .service(auth::sign_in)
        .service(auth::refresh_tokens)
        .service(auth::sign_out)
        .service(esia::authorize)
        .service(esia::callback)
        .service(password_reset::request)
        .service(password_reset::confirm)
        .service(employer::registration::register)
        .service(employer::organization::get_organization)
        .service(employer::organization::update_organization)
        .service(employer::contacts::list_contacts)
        .service(employer::contacts::add_contact)
        .service(employer::contacts::get_contact)
        .service(employer::contacts::edit_contact)
        .service(employer::contacts::delete_contact)
        .service(employer::cabinets::open_cabinet)
        .service(employer::cabinets::close_cabinet)
        .service(employer::cabinets::block_contact)
        .service(employer::cabinets::unblock_contact)
        .service(employer::cabinets::transfer_admin)
        .service(employer::contacts::contact_appeals)
        .service(employer::favourites::favourite_resumes)
        .service(employer::favourites::add_favourite_resume)
        .service(employer::favourites::remove_favourite_resume)
        .service(employer::webhooks::list)
        .service(employer::webhooks::create)
        .service(employer::webhooks::get_one)
        .service(employer::webhooks::update)
        .service(employer::webhooks::delete_one)
        .service(employer::webhooks::deliveries)
        .service(reports::send)
        .service(reports::list)
        .service(reports::get_one)
        .service(reports::copy_to_draft)
        .service(staff::send_notification)
        .service(organization_verification::verify)
        .service(organization_verification::start_esia)
        .service(organization_verification::finish_esia)
        .service(me::me)
        .service(me::change_password)
        .service(me::change_email)
        .service(centres::list)
        .service(centres::nearest)
        .service(dictionaries::list)
        .service(dictionaries::get_one)
        .service(citizen::services)
        .service(citizen::request_service)
        .service(citizen::personal_cases)
        .service(citizen::favourites)
        .service(citizen::add_favourite)
        .service(citizen::remove_favourite)
        .service(citizen::saved_searches)
        .service(citizen::save_search)
        .service(citizen::delete_saved_search)
        .service(resumes::list_own)
        .service(resumes::create)
        .service(resumes::get_own)
        .service(resumes::update)
        .service(resumes::delete_own)
        .service(resumes::search)
        .service(resumes::get_published)
        .service(vacancy_search::search)
        // Before `/vacancies/{id}`, which would take `suggest` for an id.
        .service(vacancy_suggest::suggest)
        .service(vacancies::get_one)
        .service(vacancies::submit)
        .service(vacancies::of_organization)
        .service(drafts::list)
        .service(drafts::create)
        .service(drafts::get_one)
        .service(drafts::update)
        .service(drafts::delete_one)
        .service(notifications::list)
        .service(events::stream)
        .service(events::issue_ticket)
        .service(notifications::mark_read)
        .service(notifications::subscriptions)
        .service(notifications::set_subscriptions)
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
        .service(staff::update_case)
        .service(documents::list)
        .service(documents::upload)
        .service(documents::get_one)
        .service(documents::content)
        .service(documents::staff::queue)
        .service(documents::staff::content)
        .service(documents::staff::review)
        .service(attachments::list)
        .service(attachments::attach)
        .service(attachments::content)
        .service(certificates::unemployment)
        .service(benefits::list)
        .service(benefits::apply)
        .service(benefits::get_one)
        .service(benefits::resubmit)
        .service(benefits::staff_list)
        .service(benefits::decide)
        .service(payments::list)
        .service(payments::get_one)
        .service(payments::create)
        .service(payments::operate)
        .service(payout::get_details)
        .service(payout::set_details)
        .service(training::list)
        .service(training::get_one)
        .service(training::staff::create)
        .service(training::staff::update)
        .service(training::staff::withdraw)
        .service(training::enrolments::enrol)
        .service(training::enrolments::list)
        .service(training::enrolments::get_one)
        .service(training::enrolments::cancel)
        .service(job_search::citizen::file)
        .service(job_search::citizen::list)
        .service(job_search::citizen::get_one)
        .service(job_search::citizen::transition)
        .service(job_search::staff::list)
        .service(job_search::staff::get_one)
        .service(job_search::staff::transition)
        .service(job_search::staff::edit_offers)
        .service(job_search::staff::matching)
        .service(job_search::citizen::prioritise)
        .service(calendar::publish)
        .service(calendar::free)
        .service(calendar::citizen_list)
        .service(calendar::citizen_book)
        .service(calendar::citizen_get)
        .service(calendar::citizen_cancel)
        .service(calendar::employer_list)
        .service(calendar::employer_book)
        .service(calendar::employer_cancel)
        .service(vacancy_lifecycle::close)
        .service(vacancy_lifecycle::confirm)
        .service(vacancy_lifecycle::edit)
        .service(interviews::citizen::respond)
        .service(interviews::citizen::list)
        .service(interviews::citizen::accept)
        .service(interviews::citizen::decline)
        .service(interviews::citizen::reschedule)
        .service(interviews::citizen::cancel)
        .service(job_search::citizen::finish)
        .service(interviews::employer::responses)
        .service(interviews::employer::invite)
        .service(interviews::employer::refuse)
        .service(interviews::employer::list)
        .service(interviews::employer::reschedule)
        .service(interviews::employer::cancel)
        .service(interviews::employer::result)
        .service(audit::mine)
        .service(audit::centre);
}

/// The probes, at the root where orchestrators expect them.
pub fn health(cfg: &mut ServiceConfig) {
    cfg.service(health::live).service(health::ready);
}
