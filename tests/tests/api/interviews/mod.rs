//! Responses, interviews and finishing (seed 004 «Отклик на вакансию. Собеседование»):
//! the whole story from the application to the results in the centre's work list, and
//! every refusal on the way.

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use portal_tests::{spawn_app, vacancy_body, Session, TestApp};
use serde_json::{json, Value};

mod after_withdrawal;
mod races;

/// The parties of one story: an application in negotiations with one agreed vacancy.
pub(crate) struct Story {
    pub(crate) employer: Session,
    pub(crate) stranger_org: Session,
    pub(crate) citizen: Session,
    pub(crate) staff: Session,
    pub(crate) application: String,
    pub(crate) vacancy: String,
    pub(crate) other_offer: String,
}

fn resume_body() -> Value {
    json!({
        "title": "Повар", "profession_code": "16675", "category": "services",
        "region_code": "77", "salary": 75000, "experience": "from_3_to_6",
        "education": "secondary_vocational", "employment_type": "full_time",
        "schedule": "shift", "skills": [], "about": "Работал поваром", "published": true
    })
}

/// The titles of the bearer's notifications of `category`, newest first.
async fn told(app: &TestApp, who: &Session, category: &str) -> Vec<String> {
    let notes = app
        .get("/notifications?per_page=100", Some(&who.access))
        .await
        .expect(200)
        .body;
    notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["category"]["code"] == category)
        .map(|n| n["title"].as_str().unwrap().to_owned())
        .collect()
}

/// apply → accept (the visit booked inside its deadline) → matched → priorities →
/// negotiations, checking each step.
pub(crate) async fn negotiating(app: &TestApp) -> Story {
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let (stranger_org, _) = app.organization("1037739010891", "7736050003").await;
    let cook = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let mut second = vacancy_body("Повар-кондитер", "77");
    second["schedule"] = json!("flexible");
    let second = app.post_vacancy(&employer, second).await;
    let (vacancy, other_offer) = (
        cook["id"].as_str().unwrap().to_owned(),
        second["id"].as_str().unwrap().to_owned(),
    );
    let staff = app.staff("story-staff").await;
    let today = Utc::now().date_naive();
    app.post(
        "/staff/slots",
        Some(&staff.access),
        json!({"date_from": today + TimeDelta::days(1), "date_to": today + TimeDelta::days(3),
               "weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "09:00:00", "closes": "12:00:00",
               "slot_minutes": 30}),
    )
    .await
    .expect(201);
    let citizen = app.citizen("story-seeker").await;
    let resume = app
        .post("/citizen/resumes", Some(&citizen.access), resume_body())
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let filed = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume, "claims_unemployed": true}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(filed["status"]["code"], "submitted");
    let application = filed["id"].as_str().unwrap().to_owned();
    let moves = format!("/staff/job-search-applications/{application}/transitions");
    let accepted = app
        .post(&moves, Some(&staff.access), json!({"to": "accepted"}))
        .await
        .expect(200)
        .body;
    // Accepted, the portal matched both vacancies at once.
    assert_eq!(accepted["status"]["code"], "vacancies_selected");
    let deadline = today + TimeDelta::days(11);
    assert_eq!(accepted["visit_deadline"], deadline.to_string());
    let visit = accepted["visit"]["starts_at"].as_str().unwrap();
    assert!(visit[..10] <= *deadline.to_string(), "{visit}");
    assert_eq!(accepted["offers"].as_array().unwrap().len(), 2);
    assert_eq!(told(app, &employer, "suitable_candidates").await.len(), 2);
    let mine = told(app, &citizen, "application_status").await;
    assert!(mine[0].ends_with("Подобраны вакансии"), "{mine:?}");

    let order = app
        .client
        .put(app.url(&format!(
            "/citizen/job-search-applications/{application}/priorities"
        )))
        .bearer_auth(&citizen.access)
        .json(&json!({"vacancy_ids": [vacancy, other_offer]}));
    app.send(order).await.expect(200);
    let r = app
        .post(
            &moves,
            Some(&staff.access),
            json!({"to": "negotiations", "agreed_vacancy_ids": [vacancy]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "negotiations");
    let mine = told(app, &citizen, "application_status").await;
    assert!(mine[0].ends_with("Проведение переговоров"), "{mine:?}");
    Story {
        employer,
        stranger_org,
        citizen,
        staff,
        application,
        vacancy,
        other_offer,
    }
}

fn in_hours(h: i64) -> String {
    (Utc::now() + TimeDelta::hours(h))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Moves an interview's time into the past: the interview took place.
async fn time_passes(app: &TestApp, interview: &str) {
    use persistence::schema::interviews;
    let id = interview.to_owned();
    app.with_db(move |conn| {
        let past = Utc::now().naive_utc() - TimeDelta::hours(1);
        diesel::update(interviews::table.find(id))
            .set(interviews::scheduled_at.eq(past))
            .execute(conn)
            .unwrap()
    })
    .await;
}

#[tokio::test]
async fn the_whole_seed_004_story_reaches_the_centre() {
    let app = spawn_app().await;
    let s = negotiating(&app).await;
    let id = &s.application;

    // Respond («Откликнуться»): the employer hears of it, the application shows it.
    let responded = app
        .post(
            &format!("/citizen/job-search-applications/{id}/responses"),
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Готов выйти через неделю"}),
        )
        .await
        .expect(201);
    assert_eq!(
        responded.header("location"),
        Some(format!("/api/v1/citizen/job-search-applications/{id}").as_str())
    );
    let response = responded.body["id"].as_str().unwrap().to_owned();
    assert_eq!(responded.body["status"]["code"], "sent");
    assert_eq!(responded.body["candidate_name"], "Иванов Иван Иванович");
    let heard = told(&app, &s.employer, "interviews").await;
    assert_eq!(heard, ["Новый отклик на вакансию «Повар»"]);
    let listed = app
        .get("/employer/responses?status=sent", Some(&s.employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], response.as_str());
    assert_eq!(
        listed["items"][0]["cover_letter"],
        "Готов выйти через неделю"
    );
    let elsewhere = app
        .get("/employer/responses", Some(&s.stranger_org.access))
        .await
        .expect(200)
        .body;
    assert_eq!(elsewhere["total"], 0);

    // Invite: an interview opens `invited`, the citizen is told.
    let invited = app
        .post(
            &format!("/employer/responses/{response}/invite"),
            Some(&s.employer.access),
            json!({"scheduled_at": in_hours(48), "place": "ул. Арбат, 10, каб. 5",
                   "contact_person": "Петров Пётр, +7 495 000-00-00"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(invited["status"]["code"], "invited");
    let interview = invited["interview"]["id"].as_str().unwrap().to_owned();
    assert_eq!(invited["interview"]["status"]["code"], "invited");
    let heard = told(&app, &s.citizen, "interviews").await;
    assert_eq!(heard, ["Приглашение на собеседование: Повар"]);
    let mine = app
        .get("/citizen/interviews", Some(&s.citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["place"], "ул. Арбат, 10, каб. 5");

    // The citizen asks to reschedule; the employer takes the proposed time.
    let proposed = in_hours(72);
    let r = app
        .post(
            &format!("/citizen/interviews/{interview}/reschedule"),
            Some(&s.citizen.access),
            json!({"proposed_at": proposed, "comment": "Экзамен в этот день"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "reschedule_requested");
    assert_eq!(r["proposed_at"], proposed.as_str());
    let heard = told(&app, &s.employer, "interviews").await;
    assert_eq!(heard[0], "Собеседование «Повар»: Запрошен перенос");
    let r = app
        .post(
            &format!("/employer/interviews/{interview}/reschedule"),
            Some(&s.employer.access),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "rescheduled");
    assert_eq!(r["scheduled_at"], proposed.as_str());
    assert_eq!(r["proposed_at"], Value::Null);
    let heard = told(&app, &s.citizen, "interviews").await;
    assert_eq!(heard[0], "Собеседование «Повар»: Перенесено");

    // Accept («Принять» → «Подтверждено»); a second accept changes nothing.
    let accept = format!("/citizen/interviews/{interview}/accept");
    let r = app
        .post(&accept, Some(&s.citizen.access), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        r["status"],
        json!({"code": "confirmed", "title": "Подтверждено"})
    );
    let r = app
        .post(&accept, Some(&s.citizen.access), json!({}))
        .await
        .expect_problem(409, "invalid_interview_move");
    assert_eq!(r.body["reason"]["code"], "not_allowed_now");
    let heard = told(&app, &s.employer, "interviews").await;
    assert_eq!(heard[0], "Собеседование «Повар»: Подтверждено");
    assert_eq!(heard.len(), 3);

    // Finishing waits for the interview to be settled.
    let finish = format!("/citizen/job-search-applications/{id}/finish");
    let r = app
        .post(
            &finish,
            Some(&s.citizen.access),
            json!({"choice": "finish_negotiations"}),
        )
        .await
        .expect_problem(409, "interviews_unsettled");
    assert_eq!(r.body["reason"]["code"], "interviews_unsettled");

    // The result waits for the interview's time; then it is recorded.
    let result = format!("/employer/interviews/{interview}/result");
    let r = app
        .post(
            &result,
            Some(&s.employer.access),
            json!({"outcome": "hired"}),
        )
        .await
        .expect_problem(409, "invalid_interview_move");
    assert_eq!(r.body["reason"]["code"], "interview_not_held_yet");
    time_passes(&app, &interview).await;
    let r = app
        .post(
            &result,
            Some(&s.employer.access),
            json!({"outcome": "hired", "comment": "Выходит 15 декабря"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "held");
    assert_eq!(r["result"]["outcome"]["code"], "hired");
    let heard = told(&app, &s.citizen, "interviews").await;
    assert_eq!(heard[0], "Собеседование «Повар»: Проведено");
    app.post(
        &result,
        Some(&s.employer.access),
        json!({"outcome": "not_hired"}),
    )
    .await
    .expect_problem(409, "invalid_interview_move");

    // Finish: the results reach the centre's work list.
    let r = app
        .post(
            &finish,
            Some(&s.citizen.access),
            json!({"choice": "finish_negotiations"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "results_sent");
    assert_eq!(r["finish"]["code"], "finish_negotiations");
    let last = r["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"]["code"], "results_sent");
    assert_eq!(last["actor_role"], "citizen");
    let work = app
        .get(
            "/staff/job-search-applications?status=results_sent",
            Some(&s.staff.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(work["total"], 1);
    let results = &work["items"][0]["responses"][0];
    assert_eq!(results["status"]["code"], "invited");
    assert_eq!(results["interview"]["result"]["outcome"]["code"], "hired");
    assert_eq!(
        results["interview"]["result"]["comment"],
        "Выходит 15 декабря"
    );
    app.post(
        &finish,
        Some(&s.citizen.access),
        json!({"choice": "refuse_all"}),
    )
    .await
    .expect_problem(409, "invalid_transition");
    let _ = s.other_offer;
}

#[tokio::test]
async fn others_records_bad_input_and_repeated_moves_are_refused() {
    let app = spawn_app().await;
    let s = negotiating(&app).await;
    let id = &s.application;
    let respond = format!("/citizen/job-search-applications/{id}/responses");
    let nosy = app.citizen("nosy-seeker").await;

    // Someone else's application; bad input names its field.
    app.post(
        &respond,
        Some(&nosy.access),
        json!({"vacancy_id": s.vacancy, "cover_letter": "Здравствуйте"}),
    )
    .await
    .expect(404);
    let r = app
        .post(
            &respond,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "  "}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["cover_letter"]);
    // Offered but not agreed with the employer.
    let r = app
        .post(
            &respond,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.other_offer, "cover_letter": "Здравствуйте"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["vacancy_id"]);
    let r = app
        .post(
            &respond,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "resume_id": "other", "cover_letter": "Здравствуйте"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["resume_id"]);
    let first = app
        .post(
            &respond,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Здравствуйте"}),
        )
        .await
        .expect(201)
        .body;
    let response = first["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &respond,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Ещё раз"}),
        )
        .await
        .expect_problem(409, "already_responded");
    assert_eq!(r.body["existing_id"], response.as_str());

    // Another organisation cannot answer the response; bad invitations name the field.
    let invite = format!("/employer/responses/{response}/invite");
    let good = json!({"scheduled_at": in_hours(24), "link": "https://meet.example.ru/abc",
                      "contact_person": "Петров"});
    app.post(&invite, Some(&s.stranger_org.access), good.clone())
        .await
        .expect(404);
    app.post(
        &format!("/employer/responses/{response}/refuse"),
        Some(&s.stranger_org.access),
        json!({"reason": "Нет"}),
    )
    .await
    .expect(404);
    let r = app
        .post(
            &invite,
            Some(&s.employer.access),
            json!({"scheduled_at": in_hours(-1), "place": "офис", "contact_person": "Петров"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["scheduled_at"]);
    let r = app
        .post(
            &invite,
            Some(&s.employer.access),
            json!({"scheduled_at": in_hours(24), "contact_person": "Петров"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["place"]);
    let r = app
        .post(
            &format!("/employer/responses/{response}/refuse"),
            Some(&s.employer.access),
            json!({"reason": " "}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["reason"]);
    let invited = app
        .post(&invite, Some(&s.employer.access), good.clone())
        .await
        .expect(200)
        .body;
    let interview = invited["interview"]["id"].as_str().unwrap().to_owned();
    // Answered once: neither a second invitation nor a refusal.
    let r = app
        .post(&invite, Some(&s.employer.access), good)
        .await
        .expect_problem(409, "response_answered");
    assert_eq!(r.body["reason"]["code"], "invited");
    app.post(
        &format!("/employer/responses/{response}/refuse"),
        Some(&s.employer.access),
        json!({"reason": "Передумали"}),
    )
    .await
    .expect_problem(409, "response_answered");

    // Someone else's interview is not found, for either side.
    app.post(
        &format!("/citizen/interviews/{interview}/accept"),
        Some(&nosy.access),
        json!({}),
    )
    .await
    .expect(404);
    app.post(
        &format!("/employer/interviews/{interview}/cancel"),
        Some(&s.stranger_org.access),
        json!({}),
    )
    .await
    .expect(404);
    let empty = app
        .get("/employer/interviews", Some(&s.stranger_org.access))
        .await
        .expect(200)
        .body;
    assert_eq!(empty["total"], 0);
    let theirs = app
        .get(
            "/employer/interviews?status=invited",
            Some(&s.employer.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(theirs["total"], 1);
    // A proposal in the past, the employer's answer without a request, a bad status.
    let r = app
        .post(
            &format!("/citizen/interviews/{interview}/reschedule"),
            Some(&s.citizen.access),
            json!({"proposed_at": in_hours(-2)}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["proposed_at"]);
    let r = app
        .post(
            &format!("/employer/interviews/{interview}/reschedule"),
            Some(&s.employer.access),
            json!({"scheduled_at": in_hours(30)}),
        )
        .await
        .expect_problem(409, "invalid_interview_move");
    assert_eq!(r.body["reason"]["code"], "not_allowed_now");
    app.get("/citizen/interviews?status=nope", Some(&s.citizen.access))
        .await
        .expect_problem(422, "validation_failed");
    // Nothing changed by the refusals.
    let mine = app
        .get("/citizen/interviews", Some(&s.citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["items"][0]["status"]["code"], "invited");
    assert_eq!(told(&app, &s.employer, "interviews").await.len(), 1);

    // The citizen declines; the interview is over and the negotiations can end.
    let r = app
        .post(
            &format!("/citizen/interviews/{interview}/decline"),
            Some(&s.citizen.access),
            json!({"comment": "Нашёл другую работу"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "declined");
    let heard = told(&app, &s.employer, "interviews").await;
    assert_eq!(heard[0], "Собеседование «Повар»: Отказ соискателя");
    let r = app
        .post(
            &format!("/citizen/interviews/{interview}/cancel"),
            Some(&s.citizen.access),
            json!({}),
        )
        .await
        .expect_problem(409, "invalid_interview_move");
    assert_eq!(r.body["reason"]["code"], "interview_over");
    let finish = format!("/citizen/job-search-applications/{id}/finish");
    app.post(&finish, Some(&nosy.access), json!({"choice": "refuse_all"}))
        .await
        .expect(404);
    let r = app
        .post(&finish, Some(&s.citizen.access), json!({"choice": "maybe"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["choice"]);
    let r = app
        .post(
            &finish,
            Some(&s.citizen.access),
            json!({"choice": "refuse_all"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["status"]["code"], "results_sent");
    assert_eq!(r["finish"]["code"], "refuse_all");
    // Responses close with the negotiations.
    app.post(
        &respond,
        Some(&s.citizen.access),
        json!({"vacancy_id": s.vacancy, "cover_letter": "Ещё"}),
    )
    .await
    .expect_problem(409, "negotiations_closed");
    let _ = &s.staff;
}
