//! `portal serve --demo`: a centre and one account per role, created only if absent,
//! so that a new user can sign in and try every screen at once.

use chrono::NaiveDate;
use domain::actor::Actor;
use domain::identifiers::{IdentifierError, Inn, Kpp, Ogrn, Snils};
use domain::organization::Details;
use domain::personal_case::{CaseStatus, Goal};
use domain::report::ReportKind;
use domain::role::Role;
use domain::Coded;
use persistence::accounts::{self, User};
use persistence::centres::{self, Centre};
use persistence::citizens::{self, NewCitizen};
use persistence::employer::{self, ContactInput};
use persistence::instance::{self, Contents};
use persistence::organizations::NewOrganization;
use persistence::reports;
use persistence::vacancies::{self, NewVacancy};
use persistence::{new_id, Backend, Database, StoreError};

use crate::auth::passwords;
use crate::state::now;

/// The password of every demo account.
pub const PASSWORD: &str = "Demo-password-1";
pub const CITIZEN: &str = "demo.citizen";
pub const EMPLOYER: &str = "demo.employer";
pub const STAFF: &str = "demo.staff";
/// An ordinary (non-admin) account of the demo organisation.
pub const EMPLOYER_MEMBER: &str = "demo.employer2";

const CENTRE_CODE: &str = "770";

/// Why `serve --demo` refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "--demo on PostgreSQL needs PORTAL_ALLOW_DEMO=1: the demo accounts' password is published"
    )]
    Postgres,
    #[error(
        "--demo refuses this database: it holds data that demo mode did not create, and \
         the demo accounts' password is published; start without --demo"
    )]
    NotDemo,
    #[error("cannot seed demo data: {0}")]
    Store(#[from] StoreError),
}

/// Seeds demo data for `serve --demo`, only into a database demo mode made: one that
/// is empty now (it is marked as demo mode's own) or was marked before. PostgreSQL,
/// the production engine, also needs the explicit `allow_postgres`.
pub fn prepare(db: &Database, allow_postgres: bool) -> Result<(), Refusal> {
    if db.backend() == Backend::Postgres && !allow_postgres {
        return Err(Refusal::Postgres);
    }
    match instance::claim_for_demo(&mut *db.conn()?, now())? {
        Contents::Empty | Contents::Demo => Ok(seed(db)?),
        Contents::Other => Err(Refusal::NotDemo),
    }
}

/// Creates the demo centre, accounts and data that are absent; running it twice
/// changes nothing.
pub fn seed(db: &Database) -> Result<(), StoreError> {
    let mut conn = db.conn()?;
    let conn = &mut *conn;
    let hash = passwords::hash(PASSWORD).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let at = now();
    let centre = match centres::find_by_code(conn, CENTRE_CODE)? {
        Some(c) => c,
        None => {
            let c = Centre {
                id: new_id(),
                code: CENTRE_CODE.into(),
                name: "ГКУ «Центр занятости населения города Москвы», отдел «Центральный»".into(),
                region_code: "77".into(),
                address: "г. Москва, ул. Ивановская, д. 1".into(),
                phone: Some("+7 (495) 000-00-00".into()),
                email: Some("czn-central@example.ru".into()),
                latitude: Some(55.7558),
                longitude: Some(37.6173),
                created_at: at,
            };
            centres::insert(conn, &c)?;
            c
        }
    };

    let staff = match accounts::find_by_login(conn, STAFF)? {
        Some(u) => u,
        None => {
            let u = User::new(
                Role::Staff,
                STAFF,
                Some(hash.clone()),
                Some("staff@example.ru".into()),
                "Смирнова Ольга Викторовна".into(),
                Some(centre.id.clone()),
                at,
            );
            accounts::insert_user(conn, &u)?;
            // The demo centre's supervisor reads its audit journal (`GET /staff/audit`).
            persistence::audit::set_supervisor(conn, &u.id, true)?;
            u
        }
    };

    if accounts::find_by_login(conn, CITIZEN)?.is_none() {
        let citizen = NewCitizen {
            last_name: "Петрова".into(),
            first_name: "Анна".into(),
            middle_name: Some("Сергеевна".into()),
            birth_date: NaiveDate::from_ymd_opt(1988, 3, 14),
            snils: Some(demo_identifier(Snils::parse("11223344595"))?),
            phone: Some("+7 (916) 123-45-67".into()),
            registration_address: Some("г. Москва, ул. Тверская, д. 7, кв. 12".into()),
            region_code: Some("77".into()),
        };
        let user = User::new(
            Role::Citizen,
            CITIZEN,
            Some(hash.clone()),
            Some("citizen@example.ru".into()),
            citizen.full_name(),
            Some(centre.id.clone()),
            at,
        );
        citizens::register(conn, &user, &citizen)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let as_staff = Actor {
            user_id: staff.id.clone(),
            session_id: String::new(),
            role: Role::Staff,
            centre_id: Some(centre.id.clone()),
            organization_id: None,
            is_admin: false,
            auth_method: "password".into(),
            session_expires_at: at,
        };
        citizens::open_case(
            conn,
            &as_staff,
            &domain::audit::AuditContext::default(),
            &user.id,
            citizens::NewCase {
                status: CaseStatus::JobSeeker,
                goals: vec![Goal::JobSearch],
                personal_account: None,
            },
            at,
        )?;
    }

    if accounts::find_by_login(conn, EMPLOYER)?.is_none() {
        let org = NewOrganization {
            details: Details {
                name: "ООО «Демо-Работодатель»".into(),
                full_name: "Общество с ограниченной ответственностью «Демо-Работодатель»".into(),
                ogrn: demo_identifier(Ogrn::parse("1027700132195"))?,
                inn: demo_identifier(Inn::parse("7707083893"))?,
                kpp: Some(demo_identifier(Kpp::parse("773601001"))?),
                legal_address: Some("г. Москва, ул. Вавилова, д. 19".into()),
                actual_address: Some("г. Москва, ул. Вавилова, д. 19".into()),
                legal_form: Some("Общество с ограниченной ответственностью".into()),
                email: Some("hr@demo-employer.example.ru".into()),
                site: None,
                okved: Some("56.10".into()),
                ownership_form: None,
                headcount: Some(120),
                transport: None,
                social_guarantees: None,
                quota_account_number: None,
                quota_account_date: None,
            },
            centre_id: Some(centre.id.clone()),
            rating: 4.5,
        };
        let admin = User::new(
            Role::Employer,
            EMPLOYER,
            Some(hash.clone()),
            Some("hr@demo-employer.example.ru".into()),
            "Кузнецов Дмитрий Андреевич".into(),
            Some(centre.id.clone()),
            at,
        );
        let card = ContactInput {
            last_name: "Кузнецов".into(),
            first_name: "Дмитрий".into(),
            middle_name: Some("Андреевич".into()),
            position: Some("Директор по персоналу".into()),
            phones: vec!["+7 (495) 100-20-30".into()],
            email: Some("hr@demo-employer.example.ru".into()),
            esia_registered: false,
        };
        let organization_id = employer::register(conn, &org, &admin, &card, at)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // The demo organisation publishes and reports: it counts as confirmed.
        persistence::organizations::mark_verified(conn, &organization_id, "demo", at)?;
        let as_admin = Actor {
            user_id: admin.id.clone(),
            session_id: String::new(),
            role: Role::Employer,
            centre_id: Some(centre.id.clone()),
            organization_id: Some(organization_id),
            is_admin: true,
            auth_method: "password".into(),
            session_expires_at: at,
        };
        seed_employer_extras(conn, &as_admin, &hash, at)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }

    for (code, name, region, address, lat, lon) in CENTRES {
        if centres::find_by_code(conn, code)?.is_none() {
            centres::insert(
                conn,
                &Centre {
                    id: new_id(),
                    code: (*code).into(),
                    name: (*name).into(),
                    region_code: (*region).into(),
                    address: (*address).into(),
                    phone: None,
                    email: None,
                    latitude: Some(*lat),
                    longitude: Some(*lon),
                    created_at: at,
                },
            )?;
        }
    }

    let published =
        persistence::vacancy_totals::count(conn, &domain::vacancy::VacancyFilter::default(), at)?;
    if published.count == 0 {
        vacancies::publish_quietly(conn, &generate_vacancies(DEMO_VACANCIES, 2026, at))?;
    }

    let catalogue = persistence::training::list(
        conn,
        &Default::default(),
        Default::default(),
        persistence::paging::PageRequest {
            page: 1,
            per_page: 1,
        },
    )?;
    if catalogue.total == 0 {
        persistence::db::write(conn, |conn| {
            for course in training_catalogue(at.date()) {
                persistence::training::insert(conn, &new_id(), &centre.id, &course, at)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(())
}

/// A realistic vocational-training catalogue starting in the weeks after `today`:
/// every format, level and theme, free and paid courses.
pub fn training_catalogue(today: NaiveDate) -> Vec<persistence::training::CourseDetails> {
    use domain::payment::Kopecks;
    use domain::training::{CourseFormat as F, CourseLevel as L, CourseTheme as T};
    /// Title, provider, theme, level, format, region, starts in days, hours, cost in
    /// rubles, places.
    type DemoCourse = (
        &'static str,
        &'static str,
        T,
        L,
        F,
        &'static str,
        i64,
        i32,
        i64,
        i32,
    );
    #[rustfmt::skip]
    const COURSES: &[DemoCourse] = &[
        ("Оператор электронно-вычислительных машин", "Колледж информатики и программирования", T::It, L::Basic, F::Blended, "77", 14, 144, 0, 20),
        ("Основы программирования на Python", "Университет «Синергия»", T::It, L::Retraining, F::Online, "77", 21, 256, 0, 30),
        ("1С: Бухгалтерия 8.3", "Учебный центр «Специалист»", T::Office, L::Advanced, F::InPerson, "77", 10, 72, 18_500, 15),
        ("Кадровое делопроизводство", "Московский финансово-юридический университет", T::Office, L::Advanced, F::Online, "77", 30, 72, 0, 25),
        ("Электрогазосварщик", "Колледж архитектуры и строительства № 7", T::Construction, L::Basic, F::InPerson, "77", 18, 320, 0, 12),
        ("Мастер отделочных строительных работ", "Колледж архитектуры и строительства № 7", T::Construction, L::Basic, F::InPerson, "50", 45, 240, 0, 15),
        ("Оператор станков с ЧПУ", "Технопарк «Станкин»", T::Industry, L::Retraining, F::Blended, "77", 25, 288, 35_000, 10),
        ("Водитель погрузчика", "Автошкола «Профи»", T::Transport, L::Basic, F::InPerson, "50", 12, 120, 12_000, 16),
        ("Логист: управление цепями поставок", "РАНХиГС", T::Transport, L::Retraining, F::Online, "77", 40, 252, 0, 40),
        ("Младшая медицинская сестра по уходу за больными", "Медицинский колледж № 1", T::Healthcare, L::Basic, F::InPerson, "77", 20, 200, 0, 20),
        ("Продавец-кассир", "Колледж сферы услуг № 3", T::Trade, L::Basic, F::Blended, "77", 7, 80, 0, 25),
        ("Повар", "Колледж индустрии гостеприимства", T::Services, L::Basic, F::InPerson, "77", 28, 280, 0, 14),
        ("Парикмахер", "Колледж сферы услуг № 3", T::Services, L::Basic, F::InPerson, "50", 35, 300, 24_000, 12),
        ("Тракторист-машинист сельскохозяйственного производства", "Аграрный техникум", T::Agriculture, L::Basic, F::InPerson, "50", 60, 360, 0, 10),
    ];
    COURSES
        .iter()
        .map(|&(title, provider, theme, level, format, region, days, hours, rubles, capacity)| {
            let starts_on = today + chrono::TimeDelta::days(days);
            persistence::training::CourseDetails {
                title: title.into(),
                description: format!(
                    "Программа «{title}»: {hours} академических часов, {}. По окончании — документ установленного образца.",
                    format.title().to_lowercase()
                ),
                provider: provider.into(),
                theme,
                level,
                format,
                region_code: region.into(),
                address: (format != F::Online).then(|| "г. Москва, ул. Образцова, д. 9".to_owned()),
                starts_on,
                ends_on: starts_on + chrono::TimeDelta::days(i64::from(hours) / 4),
                hours,
                cost: Kopecks(rubles * 100),
                capacity,
            }
        })
        .collect()
}

/// An identifier written into the demo data, which parses unless the data is edited
/// wrong.
fn demo_identifier<T>(parsed: Result<T, IdentifierError>) -> Result<T, StoreError> {
    parsed.map_err(|e| StoreError::Corrupt(format!("a demo identifier: {e}")))
}

/// The demo organisation's second, ordinary account and a few sent reports.
fn seed_employer_extras(
    conn: &mut persistence::DbConnection,
    admin: &Actor,
    hash: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), employer::EmployerError> {
    let card = ContactInput {
        last_name: "Соколова".into(),
        first_name: "Мария".into(),
        middle_name: Some("Игоревна".into()),
        position: Some("Специалист по кадрам".into()),
        phones: vec!["+7 (495) 100-20-31".into()],
        email: Some("sokolova@demo-employer.example.ru".into()),
        esia_registered: true,
    };
    let contact = employer::add_contact(conn, admin, &card, at)?;
    let user = User::new(
        Role::Employer,
        EMPLOYER_MEMBER,
        Some(hash.to_owned()),
        card.email.clone(),
        "Соколова Мария".into(),
        admin.centre_id.clone(),
        at,
    );
    let setup = domain::audit::AuditContext::default();
    employer::open_cabinet(conn, admin, &setup, &contact.row.id, &user, at)?;
    let samples = [
        (
            ReportKind::Quota,
            serde_json::json!({"period": "2026-10", "average_headcount": 120, "quota_size": 3, "employed_disabled": 3}),
        ),
        (
            ReportKind::Staffing,
            serde_json::json!({"report_date": "2026-11-01", "employees_total": 120, "women": 54, "disabled": 3, "under_30": 31}),
        ),
    ];
    for (kind, payload) in samples {
        // Before the server starts: no totals to drop yet.
        let payload = payload.to_string();
        let outgoing = reports::Outgoing {
            kind,
            payload: &payload,
            based_on: None,
            draft_id: None,
        };
        reports::send(conn, admin, outgoing, at)?;
    }
    Ok(())
}

/// How many vacancies the demo bank holds.
const DEMO_VACANCIES: usize = 300;

/// More centres in several regions, so that the directory and the nearest-centre
/// search have something to show.
const CENTRES: &[(&str, &str, &str, &str, f64, f64)] = &[
    (
        "771",
        "ГКУ ЦЗН города Москвы, филиал «Зеленоградский»",
        "77",
        "г. Зеленоград, Центральный пр., д. 1",
        55.9825,
        37.1814,
    ),
    (
        "780",
        "СПб ГАУ «Центр занятости населения Санкт-Петербурга»",
        "78",
        "г. Санкт-Петербург, ул. Гороховая, д. 5",
        59.9343,
        30.3351,
    ),
    (
        "500",
        "ГКУ МО «Подольский центр занятости населения»",
        "50",
        "г. Подольск, ул. Кирова, д. 10",
        55.4242,
        37.5547,
    ),
    (
        "160",
        "ГКУ «Центр занятости населения города Казани»",
        "16",
        "г. Казань, ул. Баумана, д. 3",
        55.7903,
        49.1144,
    ),
    (
        "660",
        "ГКУ «Екатеринбургский центр занятости»",
        "66",
        "г. Екатеринбург, ул. Ленина, д. 20",
        56.8389,
        60.6057,
    ),
    (
        "540",
        "ГКУ НСО «Центр занятости населения города Новосибирска»",
        "54",
        "г. Новосибирск, Красный пр., д. 25",
        55.0302,
        82.9204,
    ),
    (
        "520",
        "ГКУ НО «Нижегородский центр занятости населения»",
        "52",
        "г. Нижний Новгород, ул. Минина, д. 2",
        56.3269,
        44.0059,
    ),
    (
        "230",
        "ГКУ КК «Центр занятости населения города Краснодара»",
        "23",
        "г. Краснодар, ул. Красная, д. 30",
        45.0355,
        38.9753,
    ),
];

/// Deterministic, varied vacancies for the demo bank and benchmarks: every employment
/// type, schedule, experience, category and a spread of salaries and ages.
pub fn generate_vacancies(
    count: usize,
    seed: u64,
    now: chrono::NaiveDateTime,
) -> Vec<(NewVacancy, chrono::NaiveDateTime)> {
    use domain::reference::{PROFESSIONS, TOWNS};
    use domain::vacancy::{Benefit, EducationLevel, EmploymentType, Experience, Schedule};
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    const EMPLOYERS: &[(&str, f64)] = &[
        ("ООО «Демо-Работодатель»", 4.5),
        ("АО «Городские перевозки»", 3.9),
        ("ООО «Вкусная кухня»", 4.2),
        ("ГБУЗ «Городская поликлиника № 5»", 4.7),
        ("ООО «СтройМонтаж»", 3.4),
        ("ПАО «Завод точного машиностроения»", 4.1),
        ("ООО «Торговый дом „Северный“»", 3.7),
        ("МБДОУ «Детский сад № 12»", 4.8),
    ];
    (0..count)
        .map(|i| {
            let profession = &PROFESSIONS[rng.gen_range(0..PROFESSIONS.len())];
            let town = &TOWNS[rng.gen_range(0..TOWNS.len())];
            let (employer, rating) = EMPLOYERS[rng.gen_range(0..EMPLOYERS.len())];
            let base: i64 = rng.gen_range(25..=180) * 1000;
            let (salary_from, salary_to) = match i % 5 {
                0 => (Some(base), None),
                1 => (None, Some(base)),
                4 => (None, None),
                _ => (Some(base), Some(base + rng.gen_range(5..=60) * 1000)),
            };
            let benefits: Vec<Benefit> = Benefit::ALL.iter().copied().filter(|_| rng.gen_bool(0.25)).collect();
            let published = now - chrono::TimeDelta::minutes(rng.gen_range(0..60 * 24 * 45));
            let vacancy = NewVacancy {
                organization_id: None,
                employer_name: employer.into(),
                employer_rating: rating,
                title: profession.title.into(),
                profession_code: Some(profession.code.into()),
                category: profession.category.into(),
                region_code: town.region_code.into(),
                address: Some(format!("г. {}", town.name)),
                employment_type: EmploymentType::ALL[i % EmploymentType::ALL.len()],
                schedule: Schedule::ALL[(i / 6) % Schedule::ALL.len()],
                experience: Experience::ALL[rng.gen_range(0..Experience::ALL.len())],
                education: Some(EducationLevel::ALL[rng.gen_range(0..EducationLevel::ALL.len())]),
                salary_from,
                salary_to,
                benefits,
                description: format!(
                    "{employer} приглашает на должность «{}». Официальное трудоустройство, оплачиваемый отпуск.",
                    profession.title
                ),
            };
            (vacancy, published)
        })
        .collect()
}
