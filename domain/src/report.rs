//! The seven kinds of employer reports (предоставление сведений, SPEC §3).

use serde::{Deserialize, Serialize};

use crate::appeal_type::AppealType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Vacancies,
    Layoffs,
    Staffing,
    Quota,
    ForeignWorkers,
    TimeSheet,
    InformalEmployment,
}

crate::coded_enum!(ReportKind {
    Vacancies => ("vacancies", "Сведения о потребности в работниках (вакансии)"),
    Layoffs => ("layoffs", "Сведения о планируемом высвобождении работников"),
    Staffing => ("staffing", "Сведения о кадровом составе"),
    Quota => ("quota", "Сведения о выполнении квоты для приёма на работу инвалидов"),
    ForeignWorkers => ("foreign_workers", "Уведомление о привлечении иностранных работников"),
    TimeSheet => ("time_sheet", "Табель учёта рабочего времени"),
    InformalEmployment => ("informal_employment", "Сведения о неформальной занятости"),
});

impl ReportKind {
    /// The appeal a report of this kind files.
    pub fn appeal_type(self) -> AppealType {
        match self {
            ReportKind::Vacancies => AppealType::ReportVacancies,
            ReportKind::Layoffs => AppealType::ReportLayoffs,
            ReportKind::Staffing => AppealType::ReportStaffing,
            ReportKind::Quota => AppealType::ReportQuota,
            ReportKind::ForeignWorkers => AppealType::ReportForeignWorkers,
            ReportKind::TimeSheet => AppealType::ReportTimeSheet,
            ReportKind::InformalEmployment => AppealType::ReportInformalEmployment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn each_kind_files_its_own_appeal_type_with_the_same_title() {
        let mut types: Vec<_> = ReportKind::ALL.iter().map(|k| k.appeal_type()).collect();
        for k in ReportKind::ALL {
            assert_eq!(k.appeal_type().title(), k.title());
            assert_eq!(k.appeal_type().code(), format!("report_{}", k.code()));
        }
        types.dedup();
        assert_eq!(types.len(), 7);
    }
}
