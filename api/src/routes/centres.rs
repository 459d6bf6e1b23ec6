//! Employment centres: the directory and the nearest-centre search (SPEC §4).

use actix_web::{get, web};
use domain::reference;
use persistence::centres::{self, Centre};
use persistence::citizens;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::extract::ValidQuery;
use crate::problem::ApiError;
use crate::routes::vacancies::{known_region, region_label};
use crate::state::AppState;
use crate::views::{Labelled, PageQuery, PageView};

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-0000-7000-8000-000000000001",
    "code": "770",
    "name": "ГКУ «Центр занятости населения города Москвы», отдел «Центральный»",
    "region": {"code": "77", "title": "Москва"},
    "address": "г. Москва, ул. Ивановская, д. 1",
    "phone": "+7 (495) 000-00-00",
    "email": "czn-central@example.ru",
    "latitude": 55.7558,
    "longitude": 37.6173,
    "distance_km": null
}))]
pub struct CentreView {
    #[schema(format = Uuid)]
    pub id: String,
    pub code: String,
    pub name: String,
    pub region: Labelled,
    pub address: String,
    #[schema(required)]
    pub phone: Option<String>,
    #[schema(required)]
    pub email: Option<String>,
    #[schema(required)]
    pub latitude: Option<f64>,
    #[schema(required)]
    pub longitude: Option<f64>,
    /// Only in the nearest-centre answer: kilometres from the searched point.
    #[schema(required)]
    pub distance_km: Option<f64>,
}

impl CentreView {
    fn new(c: Centre, distance_km: Option<f64>) -> CentreView {
        CentreView {
            region: region_label(&c.region_code),
            id: c.id,
            code: c.code,
            name: c.name,
            address: c.address,
            phone: c.phone,
            email: c.email,
            latitude: c.latitude,
            longitude: c.longitude,
            distance_km: distance_km.map(|d| (d * 10.0).round() / 10.0),
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CentreQuery {
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: Option<String>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// Employment centres
#[utoipa::path(
    tag = "centres",
    operation_id = "list_centres",
    description = "The directory of employment centres, optionally of one region. Public.",
    params(CentreQuery),
    responses(
        (status = 200, description = "A page of centres", body = PageView<CentreView>),
    ),
    security(()),
)]
#[get("/centres")]
pub async fn list(
    state: web::Data<AppState>,
    query: ValidQuery<CentreQuery>,
) -> Result<web::Json<PageView<CentreView>>, ApiError> {
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let found = state
        .run(move |conn| centres::list(conn, q.region.as_deref(), page))
        .await?;
    Ok(web::Json(PageView::from_page(found, |c| {
        CentreView::new(c, None)
    })))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "both_or_neither", skip_on_field_errors = false))]
pub struct NearestQuery {
    /// Latitude of the point, with `longitude`.
    #[validate(custom(function = "valid_latitude"))]
    pub latitude: Option<f64>,
    /// Longitude of the point, with `latitude`.
    #[validate(custom(function = "valid_longitude"))]
    pub longitude: Option<f64>,
    /// An address to search from instead of coordinates, e.g. `г. Казань, ул. Баумана, 1`.
    #[validate(length(min = 2, max = 500))]
    pub address: Option<String>,
    /// How many centres, nearest first (default 5).
    #[validate(range(min = 1, max = 20))]
    pub limit: Option<usize>,
}

fn valid_latitude(value: f64) -> Result<(), validator::ValidationError> {
    coordinate(value, 90.0)
}

fn valid_longitude(value: f64) -> Result<(), validator::ValidationError> {
    coordinate(value, 180.0)
}

/// A finite number within ±`limit` (NaN passes a plain range check).
fn coordinate(value: f64, limit: f64) -> Result<(), validator::ValidationError> {
    if value.is_finite() && value.abs() <= limit {
        Ok(())
    } else {
        Err(validator::ValidationError::new("coordinate")
            .with_message("Координата вне допустимого диапазона".into()))
    }
}

fn both_or_neither(q: &NearestQuery) -> Result<(), validator::ValidationError> {
    if q.latitude.is_some() != q.longitude.is_some() {
        return Err(validator::ValidationError::new("coordinates")
            .with_message("Укажите и широту, и долготу".into()));
    }
    Ok(())
}

/// Where to search from.
enum Origin {
    Point(f64, f64),
    Address(String),
    Registration,
}

/// The nearest centres
#[utoipa::path(
    tag = "centres",
    operation_id = "nearest_centres",
    description = "Centres nearest to a point (`latitude`, `longitude`), to an `address`, or — by default — to the \
signed-in citizen's registration address. Addresses are placed by the town they name; an address that names no \
known town is a 422.",
    params(NearestQuery),
    responses(
        (status = 200, description = "Nearest first, with distances", body = Vec<CentreView>),
    ),
    security((), ("bearer" = [])),
)]
#[get("/centres/nearest")]
pub async fn nearest(
    state: web::Data<AppState>,
    bearer: crate::extract::MaybeBearer,
    query: ValidQuery<NearestQuery>,
) -> Result<web::Json<Vec<CentreView>>, ApiError> {
    let q = query.0;
    let limit = q.limit.unwrap_or(5);
    let origin = match (q.latitude, q.longitude, q.address) {
        (Some(lat), Some(lon), _) => Origin::Point(lat, lon),
        (_, _, Some(address)) => Origin::Address(address),
        _ => Origin::Registration,
    };
    let address = match origin {
        Origin::Point(lat, lon) => return ranked(&state, (lat, lon), limit).await,
        Origin::Address(a) => a,
        Origin::Registration => {
            let bearer = bearer.0.ok_or(ApiError::field(
                "address",
                "required",
                "Укажите адрес или координаты, или войдите: тогда поиск идёт от адреса регистрации",
            ))?;
            let citizen = state
                .as_actor(&bearer, |conn, actor| citizens::get(conn, &actor.user_id))
                .await
                .map_err(|e| match e {
                    ApiError::NotFound => {
                        ApiError::field("address", "required", "Укажите адрес или координаты")
                    }
                    other => other,
                })?;
            citizen.registration_address.ok_or(ApiError::field(
                "address",
                "required",
                "Адрес регистрации не указан: укажите адрес",
            ))?
        }
    };
    let town = reference::locate(&address).ok_or(ApiError::field(
        "address",
        "unknown_place",
        "Не удалось определить населённый пункт по адресу",
    ))?;
    ranked(&state, (town.latitude, town.longitude), limit).await
}

async fn ranked(
    state: &AppState,
    point: (f64, f64),
    limit: usize,
) -> Result<web::Json<Vec<CentreView>>, ApiError> {
    let found = state
        .run(move |conn| centres::nearest(conn, point, limit))
        .await?;
    Ok(web::Json(
        found
            .into_iter()
            .map(|(c, d)| CentreView::new(c, Some(d)))
            .collect(),
    ))
}
