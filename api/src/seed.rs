//! `portal seed`: a realistic data set for benchmarks — citizens, a centre's appeals
//! with history, a vacancy bank, a job-search application to match over it, and three
//! months of the centre's calendar to book — written straight through `persistence`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use domain::actor::Actor;
use domain::calendar::OpeningHours;
use domain::job_search::WishesInput;
use domain::role::Role;
use domain::vacancy::{EducationLevel, EmploymentType, Experience, Schedule};
use persistence::accounts::{self, User};
use persistence::centres::{self, Centre};
use persistence::citizens::{self, NewCitizen};
use persistence::job_search::{self, NewApplication};
use persistence::resumes::{self, ResumeInput};
use persistence::{appeals, new_id, slots, vacancy_bulk, Database, DbConnection};

use crate::auth::passwords;
use crate::state::now;

/// The password of every seeded account.
pub const PASSWORD: &str = "Bench-password-1";
/// The centre every seeded citizen and appeal belongs to.
pub const CENTRE_CODE: &str = "900";

/// How much to create.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub citizens: usize,
    pub appeals: usize,
    pub vacancies: usize,
    pub payments_per_citizen: usize,
}

/// Seeds an empty database; logins are `bench.staff` and `bench.citizen.{n}`.
pub fn run(db: &Database, volume: Volume, mut progress: impl FnMut(&str)) -> Result<(), String> {
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let conn = &mut *conn;
    Database::prepare_bulk_load(conn).map_err(|e| e.to_string())?;
    let at = now();
    if centres::find_by_code(conn, CENTRE_CODE)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!(
            "centre {CENTRE_CODE} exists: seed an empty database"
        ));
    }
    let centre = Centre {
        id: new_id(),
        code: CENTRE_CODE.into(),
        name: "ГКУ «Центр занятости населения» (нагрузочный стенд)".into(),
        region_code: "77".into(),
        address: "г. Москва, ул. Тестовая, д. 1".into(),
        phone: None,
        email: None,
        latitude: Some(55.75),
        longitude: Some(37.62),
        created_at: at,
    };
    centres::insert(conn, &centre).map_err(|e| e.to_string())?;
    // One hash for everyone: Argon2 is slow on purpose, and the bench measures sign-in
    // separately.
    let hash = passwords::hash(PASSWORD).map_err(|e| e.to_string())?;
    let staff = User::new(
        Role::Staff,
        "bench.staff",
        Some(hash.clone()),
        None,
        "Нагрузочный сотрудник".into(),
        Some(centre.id.clone()),
        at,
    );
    accounts::insert_user(conn, &staff).map_err(|e| e.to_string())?;

    let mut applicants = Vec::with_capacity(volume.citizens);
    for n in 0..volume.citizens {
        let login = format!("bench.citizen.{n}");
        let user = User::new(
            Role::Citizen,
            &login,
            Some(hash.clone()),
            Some(format!("{login}@example.ru")),
            format!("Гражданин {n}"),
            Some(centre.id.clone()),
            at,
        );
        let citizen = NewCitizen {
            last_name: "Гражданин".into(),
            first_name: format!("{n}"),
            middle_name: None,
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
            snils: None,
            phone: None,
            registration_address: Some("г. Москва".into()),
            region_code: Some("77".into()),
        };
        citizens::register(conn, &user, &citizen).map_err(|e| e.to_string())?;
        applicants.push(user.id);
        if (n + 1) % 2000 == 0 {
            progress(&format!("{} citizens", n + 1));
        }
    }
    progress(&format!("{} citizens", volume.citizens));

    let bulk = appeals::bench_seed::BulkAppeals {
        centre_id: &centre.id,
        centre_code: &centre.code,
        staff_id: &staff.id,
        applicants: &applicants,
        count: volume.appeals,
        body: &|i| format!("Обращение № {i}"),
        rejection_comment: "Не относится к компетенции центра",
    };
    appeals::bench_seed::seed(conn, &bulk, at).map_err(|e| e.to_string())?;
    progress(&format!("{} appeals with history", volume.appeals));

    seed_payments(conn, &applicants, volume.payments_per_citizen, at.date())
        .map_err(|e| e.to_string())?;
    progress(&format!(
        "{} payments",
        applicants.len() * volume.payments_per_citizen
    ));

    let bank = crate::demo::generate_vacancies(volume.vacancies, 7, at);
    vacancy_bulk::publish_quietly(conn, &bank).map_err(|e| e.to_string())?;
    progress(&format!("{} vacancies", volume.vacancies));

    if let Some(citizen) = applicants.first() {
        job_search(conn, citizen, &centre.id, at)?;
        progress("a job-search application of bench.citizen.0");
    }
    let slots = calendar(conn, &staff.id, &centre.id, at)?;
    progress(&format!("{slots} slots of the centre's calendar"));
    db.analyze().map_err(|e| e.to_string())?;
    Ok(())
}

/// An actor of a seeded account, as a signed-in session would give it.
fn actor(user_id: &str, role: Role, centre_id: &str, at: NaiveDateTime) -> Actor {
    Actor {
        user_id: user_id.to_owned(),
        session_id: String::new(),
        role,
        centre_id: Some(centre_id.to_owned()),
        organization_id: None,
        is_admin: false,
        auth_method: "password".into(),
        session_expires_at: at + TimeDelta::hours(1),
    }
}

/// A cook's resume in Moscow and a job-search application filed with it: the bench
/// matches it over the vacancy bank.
fn job_search(
    conn: &mut DbConnection,
    citizen: &str,
    centre_id: &str,
    at: NaiveDateTime,
) -> Result<(), String> {
    let resume = resumes::create(
        conn,
        citizen,
        &ResumeInput {
            title: "Повар".into(),
            profession_code: Some("16675".into()),
            category: "services".into(),
            region_code: "77".into(),
            salary: Some(60_000),
            experience: Experience::From3To6,
            education: EducationLevel::SecondaryVocational,
            employment_type: EmploymentType::FullTime,
            schedule: Schedule::Shift,
            skills: Vec::new(),
            about: String::new(),
            published: true,
        },
        at,
    )
    .map_err(|e| e.to_string())?;
    let new = NewApplication {
        resume_id: resume.id,
        claims_unemployed: true,
        centre_id: Some(centre_id.to_owned()),
        wishes: WishesInput::default(),
        found_vacancy_ids: Vec::new(),
        draft_id: None,
    };
    job_search::file(conn, &actor(citizen, Role::Citizen, centre_id, at), new, at)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Every five minutes of the next 91 days, round the clock: slots enough for a
/// booking bench to find free ones throughout.
fn calendar(
    conn: &mut DbConnection,
    staff: &str,
    centre_id: &str,
    at: NaiveDateTime,
) -> Result<usize, String> {
    let hours = OpeningHours {
        weekdays: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ],
        opens: NaiveTime::MIN,
        closes: NaiveTime::from_hms_opt(23, 55, 0).unwrap_or(NaiveTime::MIN),
        break_from: None,
        break_to: None,
        slot_minutes: 5,
    };
    let today = at.date();
    let spans = hours
        .slots(
            today + TimeDelta::days(1),
            today + TimeDelta::days(91),
            today,
        )
        .map_err(|e| e.to_string())?;
    slots::publish(conn, &actor(staff, Role::Staff, centre_id, at), &spans, at)
        .map_err(|e| e.to_string())
}

/// Monthly benefit payments for each citizen, ending with the current month: the
/// latest awaits transfer, the earlier ones are paid (with their history).
fn seed_payments(
    conn: &mut persistence::DbConnection,
    citizens: &[String],
    per_citizen: usize,
    today: NaiveDate,
) -> Result<(), persistence::StoreError> {
    use chrono::{Datelike, Months};
    use domain::payment::{Kopecks, PaymentKind, PaymentStatus};
    use persistence::payments::{self, NewPayment};
    let at = now();
    let month_start = today.with_day(1).unwrap_or(today);
    for chunk in citizens.chunks(500) {
        persistence::db::write(conn, |conn| {
            for (n, citizen) in chunk.iter().enumerate() {
                for m in 0..per_citizen {
                    let months_ago = u32::try_from(m).unwrap_or(u32::MAX);
                    let from = month_start - Months::new(months_ago);
                    let to = (from + Months::new(1)).pred_opt().unwrap_or(from);
                    let payment = NewPayment {
                        citizen_id: citizen.clone(),
                        application_id: None,
                        kind: PaymentKind::UnemploymentBenefit,
                        amount: Kopecks(1_500_000 + i64::try_from(n % 100).unwrap_or(0) * 1_000),
                        period_from: from,
                        period_to: to,
                        pay_date: to + chrono::TimeDelta::days(15),
                        status: if m == 0 {
                            PaymentStatus::INITIAL
                        } else {
                            PaymentStatus::Paid
                        },
                        comment: None,
                    };
                    payments::insert(conn, &payment, None, at)?;
                }
            }
            Ok::<_, persistence::StoreError>(())
        })?;
    }
    Ok(())
}
