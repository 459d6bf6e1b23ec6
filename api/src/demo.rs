//! `portal serve --demo`: a centre and one account per role, created only if absent,
//! so that a new user can sign in and try every screen at once.

use chrono::NaiveDate;
use domain::personal_case::{CaseStatus, Goal};
use domain::role::Role;
use persistence::accounts::{self, Actor, User};
use persistence::centres::{self, Centre};
use persistence::citizens::{self, Citizen};
use persistence::organizations::{self, Organization};
use persistence::{new_id, Database, StoreError};

use crate::auth::passwords;
use crate::state::now;

/// The password of every demo account.
pub const PASSWORD: &str = "Demo-password-1";
pub const CITIZEN: &str = "demo.citizen";
pub const EMPLOYER: &str = "demo.employer";
pub const STAFF: &str = "demo.staff";

const CENTRE_CODE: &str = "770";

/// Seeds what is missing; running it twice changes nothing.
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
            u
        }
    };

    if accounts::find_by_login(conn, CITIZEN)?.is_none() {
        let mut citizen = Citizen {
            user_id: String::new(),
            last_name: "Петрова".into(),
            first_name: "Анна".into(),
            middle_name: Some("Сергеевна".into()),
            birth_date: NaiveDate::from_ymd_opt(1988, 3, 14),
            snils: Some("11223344595".into()),
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
        citizen.user_id = user.id.clone();
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
        };
        citizens::open_case(
            conn,
            &as_staff,
            &user.id,
            CaseStatus::JobSeeker,
            &[Goal::JobSearch],
            None,
            at,
        )?;
    }

    if accounts::find_by_login(conn, EMPLOYER)?.is_none() {
        let org = Organization {
            id: new_id(),
            name: "ООО «Демо-Работодатель»".into(),
            full_name: "Общество с ограниченной ответственностью «Демо-Работодатель»".into(),
            ogrn: "1027700132195".into(),
            inn: "7707083893".into(),
            kpp: Some("773601001".into()),
            legal_address: Some("г. Москва, ул. Вавилова, д. 19".into()),
            actual_address: Some("г. Москва, ул. Вавилова, д. 19".into()),
            email: Some("hr@demo-employer.example.ru".into()),
            centre_id: Some(centre.id.clone()),
            created_at: at,
            updated_at: at,
            rating: 4.5,
        };
        let admin = User::new(
            Role::Employer,
            EMPLOYER,
            Some(hash),
            Some("hr@demo-employer.example.ru".into()),
            "Кузнецов Дмитрий Андреевич".into(),
            Some(centre.id.clone()),
            at,
        );
        organizations::register(conn, &org, &admin)?;
    }
    Ok(())
}
