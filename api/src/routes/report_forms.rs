//! How the document states a report's content: the request is one of seven shapes,
//! one per kind, told apart by `kind` (a `oneOf` with a discriminator), so a client
//! generated from the document types `payload` by the kind it sends; a stored report's
//! `payload` is one of the seven forms as stored (every field sent, `null` where left
//! out: `StoredVacanciesReport` where the form has optional fields). The server checks
//! a payload with the same types (`reports::validate_payload`), so the document and
//! the check cannot drift.

use std::borrow::Cow;

use domain::report::ReportKind;
use domain::Coded;
use utoipa::openapi::schema::{
    Discriminator, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::reports::{
    ForeignWorkersReport, InformalEmploymentReport, LayoffsReport, QuotaReport, ReportBody,
    StaffingReport, StoredVacanciesReport, TimeSheetReport, VacanciesReport,
};

type Schemas = Vec<(String, RefOr<Schema>)>;

/// One kind's form: the name of its payload schema and how to register it, as sent
/// and as a stored report answers it.
struct Form {
    kind: ReportKind,
    payload: Cow<'static, str>,
    register: fn(&mut Schemas),
    stored: Cow<'static, str>,
    register_stored: fn(&mut Schemas),
}

fn register<T: ToSchema>(schemas: &mut Schemas) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// A form answered as sent (its fields are all required).
fn form_of<T: ToSchema>(kind: ReportKind) -> Form {
    stored_as::<T, T>(kind)
}

/// A form with optional fields, answered as `S`, where each is sent (`null`).
fn stored_as<T: ToSchema, S: ToSchema>(kind: ReportKind) -> Form {
    Form {
        kind,
        payload: T::name(),
        register: register::<T>,
        stored: S::name(),
        register_stored: register::<S>,
    }
}

/// Every kind's form; the match is exhaustive, so a new kind needs its form here.
fn form(kind: ReportKind) -> Form {
    match kind {
        ReportKind::Vacancies => stored_as::<VacanciesReport, StoredVacanciesReport>(kind),
        ReportKind::Layoffs => form_of::<LayoffsReport>(kind),
        ReportKind::Staffing => form_of::<StaffingReport>(kind),
        ReportKind::Quota => form_of::<QuotaReport>(kind),
        ReportKind::ForeignWorkers => form_of::<ForeignWorkersReport>(kind),
        ReportKind::TimeSheet => form_of::<TimeSheetReport>(kind),
        ReportKind::InformalEmployment => form_of::<InformalEmploymentReport>(kind),
    }
}

fn forms() -> impl Iterator<Item = Form> {
    ReportKind::ALL.iter().map(|kind| form(*kind))
}

/// The name of the request shape of one kind: `LayoffsReportBody`.
fn body_name(form: &Form) -> String {
    format!("{}Body", form.payload)
}

fn optional_id(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .description(Some(description))
}

fn body_of(form: &Form) -> RefOr<Schema> {
    ObjectBuilder::new()
        .description(Some(format!(
            "A report of the kind `{}` («{}»).",
            form.kind.code(),
            form.kind.title()
        )))
        .property(
            "kind",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([form.kind.code()])),
        )
        .required("kind")
        .property("payload", Ref::from_schema_name(form.payload.clone()))
        .required("payload")
        .property(
            "based_on",
            optional_id("The earlier report this one was copied from."),
        )
        .property(
            "draft_id",
            optional_id("The draft this form was filled in; deleted when the report is sent."),
        )
        .into()
}

impl PartialSchema for ReportBody {
    fn schema() -> RefOr<Schema> {
        let mut discriminator = Discriminator::new("kind");
        let mut one_of = OneOfBuilder::new();
        for form in forms() {
            let name = body_name(&form);
            discriminator.mapping.insert(
                form.kind.code().to_owned(),
                Ref::from_schema_name(name.clone()).ref_location,
            );
            one_of = one_of.item(Ref::from_schema_name(name));
        }
        one_of
            .description(Some(
                "A report to send: `kind` names the form and `payload` fills it in, with the \
                 shape of the kind's `…Report` schema.",
            ))
            .discriminator(Some(discriminator))
            .examples([serde_json::json!({
                "kind": "layoffs",
                "payload": {"notice_date": "2026-11-24", "layoff_date": "2027-01-31", "headcount": 12,
                            "positions": ["Кладовщик", "Водитель автомобиля"], "reason": "Сокращение штата"}
            })])
            .into()
    }
}

impl ToSchema for ReportBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ReportBody")
    }
    fn schemas(schemas: &mut Schemas) {
        for form in forms() {
            schemas.push((body_name(&form), body_of(&form)));
            (form.register)(schemas);
        }
    }
}

/// A stored report's content: the form of its `kind`.
pub struct ReportPayload;

impl PartialSchema for ReportPayload {
    fn schema() -> RefOr<Schema> {
        forms()
            .fold(OneOfBuilder::new(), |one_of, form| {
                one_of.item(Ref::from_schema_name(form.stored))
            })
            .description(Some(
                "The report's form as checked and stored: the `…Report` schema of its `kind` \
                 (`StoredVacanciesReport` for `vacancies`), every field sent.",
            ))
            .into()
    }
}

impl ToSchema for ReportPayload {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ReportPayload")
    }
    fn schemas(schemas: &mut Schemas) {
        for form in forms() {
            (form.register_stored)(schemas);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_shape() {
        let mut schemas = Schemas::new();
        ReportBody::schemas(&mut schemas);
        for kind in ReportKind::ALL {
            let name = body_name(&form(*kind));
            assert!(schemas.iter().any(|(n, _)| *n == name), "{name}");
        }
        let text = serde_json::to_string(&ReportBody::schema()).unwrap_or_default();
        assert!(text.contains("\"propertyName\":\"kind\""), "{text}");
        assert!(text.contains("LayoffsReportBody"), "{text}");
    }
}
