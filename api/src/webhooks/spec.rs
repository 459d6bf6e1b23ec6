//! The deliveries as the OpenAPI 3.1 document describes them: a top-level `webhooks`
//! entry per event type (utoipa has no field for it, so [`add`] writes it beside the
//! paths), with the signature headers and a schema per event body.

use chrono::{DateTime, Utc};
use domain::webhook::EventType;
use domain::Coded;
use serde_json::{json, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::docs::{AppealStatusCode, AppealTypeCode, ReportKindCode};

/// `data` of `response.created`: a citizen responded to a vacancy of the organisation
/// (read it with `GET /api/v1/employer/responses`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ResponseCreatedData {
    pub response_id: Uuid,
    pub vacancy_id: Uuid,
    #[schema(example = "Повар")]
    pub vacancy_title: String,
}

/// `data` of `report.accepted`: a report the organisation sent was accepted; its
/// appeal is completed at once.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportAcceptedData {
    pub report_id: Uuid,
    #[schema(value_type = ReportKindCode)]
    pub kind: String,
    pub appeal_id: Uuid,
    #[schema(example = "22800123/26СЗН")]
    pub appeal_number: String,
}

/// `data` of `appeal.status_changed`: an appeal filed by one of the organisation's
/// accounts moved from one status to another.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AppealStatusChangedData {
    pub appeal_id: Uuid,
    #[schema(example = "22800123/26СЗН")]
    pub appeal_number: String,
    #[schema(value_type = AppealTypeCode)]
    pub appeal_type: String,
    #[schema(value_type = AppealStatusCode)]
    pub from: String,
    #[schema(value_type = AppealStatusCode)]
    pub to: String,
}

/// Declares the body schema of one event type: the envelope every delivery shares.
macro_rules! event_body {
    ($($(#[$doc:meta])* $name:ident { type: $code:literal, pattern: $pattern:literal, data: $data:ty })+) => {$(
        $(#[$doc])*
        #[derive(ToSchema)]
        #[allow(dead_code)]
        pub struct $name {
            /// The event's id, also sent as `webhook-id`: the same on every attempt, so
            /// a receiver drops an event it has already handled.
            pub id: Uuid,
            /// The event type: always this one for this body.
            #[schema(rename = "type", value_type = String, pattern = $pattern, example = $code)]
            pub kind: String,
            /// When it happened (UTC).
            pub occurred_at: DateTime<Utc>,
            /// The organisation the event belongs to.
            pub organization_id: Uuid,
            pub data: $data,
        }
    )+};
}

event_body! {
    /// The body of a `response.created` delivery.
    ResponseCreatedEvent { type: "response.created", pattern: "^response\\.created$", data: ResponseCreatedData }
    /// The body of a `report.accepted` delivery.
    ReportAcceptedEvent { type: "report.accepted", pattern: "^report\\.accepted$", data: ReportAcceptedData }
    /// The body of an `appeal.status_changed` delivery.
    AppealStatusChangedEvent { type: "appeal.status_changed", pattern: "^appeal\\.status_changed$", data: AppealStatusChangedData }
}

/// What every delivery's description says about its transport.
const DELIVERY: &str = "Sent as `POST` with a JSON body to each URL of the organisation subscribed to this event \
(`POST /api/v1/employer/webhooks`), once the change that caused it is committed.\n\n\
**Signature** (Standard Webhooks, <https://www.standardwebhooks.com>): `webhook-signature` is `v1,` followed by \
the base64 of HMAC-SHA256 over the string `{webhook-id}.{webhook-timestamp}.{body}`, where `body` is the exact bytes \
received and the key is the subscription's secret decoded from base64 after its `whsec_` prefix. Compare in constant \
time, and refuse a `webhook-timestamp` more than five minutes from your clock.\n\n\
**Delivery**: any 2xx answer within 5 seconds counts as delivered; the answer's body is ignored. Anything else \
(another status, a redirect, which is not followed, or no answer) is retried after 1, 2, 4 … minutes, at most 6 hours \
apart; after the tenth failed attempt the delivery is given up (`dead`). Deliveries of one event may arrive more than \
once and out of order: drop repeats by `webhook-id` (the body's `id`). The state of each delivery is at \
`GET /api/v1/employer/webhooks/{id}/deliveries`.";

fn header(name: &str, description: &str, schema: Value, example: Value) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": true,
        "description": description,
        "schema": schema,
        "example": example,
    })
}

fn operation(event: EventType, schema: &str, example: Value) -> Value {
    let code = event.code();
    json!({
        "post": {
            "tags": ["webhooks"],
            "summary": event.title(),
            "description": format!("Event `{code}`.\n\n{DELIVERY}"),
            "operationId": format!("webhook_{}", code.replace('.', "_")),
            "parameters": [
                header("webhook-id", "The event's id (the body's `id`): the same on every attempt.",
                    json!({"type": "string", "format": "uuid"}), example["id"].clone()),
                header("webhook-timestamp", "When this attempt was made, in seconds since the Unix epoch.",
                    json!({"type": "integer", "format": "int64"}), json!(1796400000)),
                header("webhook-signature", "`v1,` and the base64 of HMAC-SHA256(secret, `{webhook-id}.{webhook-timestamp}.{body}`).",
                    json!({"type": "string", "pattern": "^v1,[A-Za-z0-9+/]+={0,2}$"}),
                    json!("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")),
            ],
            "requestBody": {
                "required": true,
                "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{schema}")},
                    "example": example,
                }},
            },
            "responses": {
                "2XX": {"description": "Received: the delivery is done."},
                "default": {"description": "Not received: the delivery is retried with backoff."},
            },
            "security": [],
        }
    })
}

fn envelope(id: &str, code: &str, data: Value) -> Value {
    json!({
        "id": id,
        "type": code,
        "occurred_at": "2026-12-18T09:30:00.000000Z",
        "organization_id": "0193a5a4-1c2b-7d3e-8f40-5a6b7c8d9e0f",
        "data": data,
    })
}

/// Adds the `webhooks` section to the document.
pub fn add(openapi: &mut utoipa::openapi::OpenApi) {
    let webhooks = json!({
        EventType::ResponseCreated.code(): operation(
            EventType::ResponseCreated,
            "ResponseCreatedEvent",
            envelope("6f1c2a9e-4b7d-4e21-9a3c-2d8e5f6a7b10", EventType::ResponseCreated.code(), json!({
                "response_id": "0193a5b0-7e11-7c22-9d33-4e55f6a7b8c9",
                "vacancy_id": "0193a5a9-2b3c-7d4e-8f50-6a7b8c9d0e1f",
                "vacancy_title": "Повар",
            })),
        ),
        EventType::ReportAccepted.code(): operation(
            EventType::ReportAccepted,
            "ReportAcceptedEvent",
            envelope("a3e9d2c1-5f6b-4a7c-8d9e-0f1a2b3c4d5e", EventType::ReportAccepted.code(), json!({
                "report_id": "0193a5c2-1d2e-7f30-8a41-5b6c7d8e9f00",
                "kind": "vacancies",
                "appeal_id": "0193a5c2-1d2e-7f30-8a41-5b6c7d8e9f01",
                "appeal_number": "22800123/26СЗН",
            })),
        ),
        EventType::AppealStatusChanged.code(): operation(
            EventType::AppealStatusChanged,
            "AppealStatusChangedEvent",
            envelope("c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d", EventType::AppealStatusChanged.code(), json!({
                "appeal_id": "0193a5d3-2e3f-7a40-9b51-6c7d8e9f0a1b",
                "appeal_number": "22800124/26СЗН",
                "appeal_type": "organization_data_change",
                "from": "registered",
                "to": "in_progress",
            })),
        ),
    });
    openapi
        .extensions
        .get_or_insert_with(Default::default)
        .insert("webhooks".into(), webhooks);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_a_webhook_whose_schema_is_in_the_document() {
        let doc = serde_json::to_value(crate::openapi::document()).unwrap();
        for event in EventType::ALL {
            let op = &doc["webhooks"][event.code()]["post"];
            let schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_default();
            let name = schema.trim_start_matches("#/components/schemas/");
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{event}: {schema}"
            );
            assert!(op["summary"].is_string() && op["description"].is_string());
        }
    }
}
