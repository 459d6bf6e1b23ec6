//! What an appeal is about, who may file it, and how long the centre has to answer.

use serde::{Deserialize, Serialize};

use crate::eligibility::Service;
use crate::role::Role;
use crate::Coded;

/// The kind of an appeal. Each citizen service files appeals of its own type; employers
/// file reports and organisation changes, which the portal creates itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealType {
    GeneralInquiry,
    JobSearchAssistance,
    LabourMarketInfo,
    PaidPublicWorks,
    TemporaryEmployment,
    CareerGuidance,
    VocationalTraining,
    SelfEmploymentSupport,
    AppointmentBooking,
    ResumeManagement,
    SocialPaymentsInfo,
    InteractionsAndVisits,
    NotificationSubscriptions,
    ServiceQualityRating,
    OrganizationDataChange,
    ReportVacancies,
    ReportLayoffs,
    ReportStaffing,
    ReportQuota,
    ReportForeignWorkers,
    ReportTimeSheet,
    ReportInformalEmployment,
}

crate::coded_enum!(AppealType {
    GeneralInquiry => ("general_inquiry", "Обращение в центр занятости"),
    JobSearchAssistance => ("job_search_assistance", "Содействие в поиске подходящей работы"),
    LabourMarketInfo => ("labour_market_info", "Информирование о положении на рынке труда субъекта РФ"),
    PaidPublicWorks => ("paid_public_works", "Участие в оплачиваемых общественных работах"),
    TemporaryEmployment => ("temporary_employment", "Временное трудоустройство"),
    CareerGuidance => ("career_guidance", "Профессиональная ориентация"),
    VocationalTraining => ("vocational_training", "Профессиональное обучение и дополнительное профобразование"),
    SelfEmploymentSupport => ("self_employment_support", "Содействие самозанятости безработных граждан"),
    AppointmentBooking => ("appointment_booking", "Запись на прием в службу занятости"),
    ResumeManagement => ("resume_management", "Формирование и работа с резюме"),
    SocialPaymentsInfo => ("social_payments_info", "Информирование о социальных выплатах"),
    InteractionsAndVisits => ("interactions_and_visits", "Просмотр взаимодействий и назначенных посещений"),
    NotificationSubscriptions => ("notification_subscriptions", "Подписка граждан на автоматические уведомления"),
    ServiceQualityRating => ("service_quality_rating", "Оценка гражданином качества предоставления услуг"),
    OrganizationDataChange => ("organization_data_change", "Заявление на изменение сведений об организации"),
    ReportVacancies => ("report_vacancies", "Сведения о потребности в работниках (вакансии)"),
    ReportLayoffs => ("report_layoffs", "Сведения о планируемом высвобождении работников"),
    ReportStaffing => ("report_staffing", "Сведения о кадровом составе"),
    ReportQuota => ("report_quota", "Сведения о выполнении квоты для приёма на работу инвалидов"),
    ReportForeignWorkers => ("report_foreign_workers", "Уведомление о привлечении иностранных работников"),
    ReportTimeSheet => ("report_time_sheet", "Табель учёта рабочего времени"),
    ReportInformalEmployment => ("report_informal_employment", "Сведения о неформальной занятости"),
});

impl AppealType {
    /// The appeal type a service request files.
    pub fn for_service(service: Service) -> AppealType {
        use AppealType as T;
        match service {
            Service::JobSearchAssistance => T::JobSearchAssistance,
            Service::LabourMarketInfo => T::LabourMarketInfo,
            Service::PaidPublicWorks => T::PaidPublicWorks,
            Service::TemporaryEmployment => T::TemporaryEmployment,
            Service::CareerGuidance => T::CareerGuidance,
            Service::VocationalTraining => T::VocationalTraining,
            Service::SelfEmploymentSupport => T::SelfEmploymentSupport,
            Service::AppointmentBooking => T::AppointmentBooking,
            Service::ResumeManagement => T::ResumeManagement,
            Service::SocialPaymentsInfo => T::SocialPaymentsInfo,
            Service::InteractionsAndVisits => T::InteractionsAndVisits,
            Service::NotificationSubscriptions => T::NotificationSubscriptions,
            Service::ServiceQualityRating => T::ServiceQualityRating,
        }
    }

    /// The service this type requests, if it is a service request.
    pub fn service(self) -> Option<Service> {
        Service::from_code(self.code())
    }

    /// Whether an account of this role may file the type itself through `POST /appeals`.
    /// Reports and organisation changes are filed by the portal as a side effect of
    /// sending the form, so nobody files them by hand.
    pub fn filable_by(self, role: Role) -> bool {
        match role {
            Role::Citizen => self == AppealType::GeneralInquiry || self.service().is_some(),
            Role::Employer => self == AppealType::GeneralInquiry,
            Role::Staff => false,
        }
    }

    /// Calendar days the centre has to answer: 30 for a free-form appeal (the general
    /// term for citizens' appeals), 10 for a service request, 5 for an organisation's
    /// change of data; a report is delivered at once.
    pub fn processing_days(self) -> u32 {
        match self {
            AppealType::GeneralInquiry => 30,
            AppealType::OrganizationDataChange => 5,
            t if t.service().is_some() => 10,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_has_its_own_type_and_back() {
        for service in Service::ALL {
            let t = AppealType::for_service(*service);
            assert_eq!(t.service(), Some(*service));
            assert_eq!(t.title(), service.title());
            assert_eq!(t.code(), service.code());
        }
    }

    #[test]
    fn who_files_what() {
        for t in AppealType::ALL {
            let by_citizen = *t == AppealType::GeneralInquiry || t.service().is_some();
            assert_eq!(t.filable_by(Role::Citizen), by_citizen, "{t}");
            assert_eq!(
                t.filable_by(Role::Employer),
                *t == AppealType::GeneralInquiry,
                "{t}"
            );
            assert!(!t.filable_by(Role::Staff), "{t}");
        }
    }

    #[test]
    fn processing_terms() {
        assert_eq!(AppealType::GeneralInquiry.processing_days(), 30);
        assert_eq!(AppealType::VocationalTraining.processing_days(), 10);
        assert_eq!(AppealType::OrganizationDataChange.processing_days(), 5);
        assert_eq!(AppealType::ReportQuota.processing_days(), 0);
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = AppealType::ALL.iter().map(|t| t.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), AppealType::ALL.len());
    }
}
