//! Diesel's view of the tables in `migrations/{sqlite,postgres}`: the two migration
//! sets create the same tables with the same column types, so one schema serves both.

diesel::table! {
    centres (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        region_code -> Text,
        address -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        role -> Text,
        login -> Text,
        password_hash -> Nullable<Text>,
        email -> Nullable<Text>,
        display_name -> Text,
        centre_id -> Nullable<Text>,
        blocked_at -> Nullable<Timestamp>,
        blocked_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        is_supervisor -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        auth_method -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    citizens (user_id) {
        user_id -> Text,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        snils -> Nullable<Text>,
        phone -> Nullable<Text>,
        registration_address -> Nullable<Text>,
        region_code -> Nullable<Text>,
        snils_claim -> Nullable<Text>,
    }
}

diesel::table! {
    personal_cases (id) {
        id -> Text,
        citizen_id -> Text,
        centre_id -> Text,
        status -> Text,
        goals -> Text,
        personal_account -> Nullable<Text>,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        full_name -> Text,
        ogrn -> Text,
        inn -> Text,
        kpp -> Nullable<Text>,
        legal_address -> Nullable<Text>,
        actual_address -> Nullable<Text>,
        email -> Nullable<Text>,
        centre_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        rating -> Double,
        legal_form -> Nullable<Text>,
        site -> Nullable<Text>,
        okved -> Nullable<Text>,
        ownership_form -> Nullable<Text>,
        headcount -> Nullable<Integer>,
        transport -> Nullable<Text>,
        social_guarantees -> Nullable<Text>,
        quota_account_number -> Nullable<Text>,
        quota_account_date -> Nullable<Date>,
        version -> Integer,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
    }
}

diesel::table! {
    employer_accounts (user_id) {
        user_id -> Text,
        organization_id -> Text,
        is_admin -> Bool,
    }
}

diesel::table! {
    appeal_counters (centre_id, year) {
        centre_id -> Text,
        year -> Integer,
        last_value -> BigInt,
    }
}

diesel::table! {
    appeals (id) {
        id -> Text,
        number -> Text,
        appeal_type -> Text,
        channel -> Text,
        applicant_id -> Text,
        organization_id -> Nullable<Text>,
        centre_id -> Text,
        status -> Text,
        subject -> Text,
        body -> Text,
        deadline -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        staff_deleted_at -> Nullable<Timestamp>,
        staff_deleted_by -> Nullable<Text>,
    }
}

diesel::table! {
    appeal_history (id) {
        id -> Text,
        appeal_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        comment -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    appeal_reads (appeal_id, user_id) {
        appeal_id -> Text,
        user_id -> Text,
        read_at -> Timestamp,
    }
}

diesel::table! {
    vacancies (id) {
        id -> Text,
        organization_id -> Nullable<Text>,
        employer_name -> Text,
        employer_rating -> Double,
        title -> Text,
        profession_code -> Nullable<Text>,
        category -> Text,
        region_code -> Text,
        address -> Nullable<Text>,
        employment_type -> Text,
        schedule -> Text,
        experience -> Text,
        education -> Nullable<Text>,
        salary_from -> Nullable<BigInt>,
        salary_to -> Nullable<BigInt>,
        salary_sort -> BigInt,
        benefits -> Text,
        description -> Text,
        search_text -> Text,
        status -> Text,
        published_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmation_reminded_at -> Nullable<Timestamp>,
        search_body -> Text,
        search_seq -> BigInt,
    }
}

diesel::table! {
    search_suggestions (phrase) {
        phrase -> Text,
        uses -> BigInt,
    }
}

diesel::table! {
    favourite_vacancies (user_id, vacancy_id) {
        user_id -> Text,
        vacancy_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    resumes (id) {
        id -> Text,
        user_id -> Text,
        title -> Text,
        profession_code -> Nullable<Text>,
        category -> Text,
        region_code -> Text,
        salary -> Nullable<BigInt>,
        experience -> Text,
        education -> Text,
        employment_type -> Text,
        schedule -> Text,
        skills -> Text,
        about -> Text,
        published -> Bool,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    saved_searches (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        filter -> Text,
        created_at -> Timestamp,
        region_code -> Nullable<Text>,
    }
}

diesel::table! {
    drafts (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        payload -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        category -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        seq -> BigInt,
    }
}

diesel::table! {
    notification_counters (user_id) {
        user_id -> Text,
        last_value -> BigInt,
    }
}

diesel::table! {
    stream_tickets (digest) {
        digest -> Text,
        user_id -> Text,
        session_id -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (user_id, category, channel) {
        user_id -> Text,
        category -> Text,
        channel -> Text,
        enabled -> Bool,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        channel -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        claimed_until -> Nullable<Timestamp>,
        dead_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    vacancy_fanouts (vacancy_id) {
        vacancy_id -> Text,
        created_at -> Timestamp,
        told_through -> Nullable<Text>,
    }
}

diesel::table! {
    news_broadcasts (id) {
        id -> Text,
        centre_id -> Text,
        organization_id -> Nullable<Text>,
        title -> Text,
        body -> Text,
        created_at -> Timestamp,
        told_through -> Nullable<Text>,
    }
}

diesel::table! {
    job_runs (name) {
        name -> Text,
        due_at -> Timestamp,
        started_at -> Timestamp,
        runs -> BigInt,
        runner -> Text,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        organization_id -> Text,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        position -> Nullable<Text>,
        phones -> Text,
        email -> Nullable<Text>,
        esia_registered -> Bool,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        organization_id -> Text,
        author_id -> Text,
        kind -> Text,
        payload -> Text,
        appeal_id -> Text,
        based_on -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    favourite_resumes (user_id, resume_id) {
        user_id -> Text,
        resume_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(citizens -> users (user_id));
diesel::joinable!(personal_cases -> citizens (citizen_id));
diesel::joinable!(employer_accounts -> users (user_id));
diesel::joinable!(employer_accounts -> organizations (organization_id));
diesel::joinable!(appeals -> centres (centre_id));
diesel::joinable!(appeal_history -> appeals (appeal_id));
diesel::joinable!(favourite_vacancies -> vacancies (vacancy_id));
diesel::joinable!(favourite_resumes -> resumes (resume_id));

diesel::table! {
    esia_logins (state_digest) {
        state_digest -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        account_id -> Nullable<Text>,
    }
}

diesel::table! {
    esia_identities (subject) {
        subject -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(esia_identities -> users (user_id));

diesel::table! {
    throttle_budgets (bucket, key) {
        bucket -> Text,
        key -> Text,
        full_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    centres,
    esia_logins,
    esia_identities,
    users,
    sessions,
    refresh_tokens,
    citizens,
    personal_cases,
    organizations,
    employer_accounts,
    appeal_counters,
    appeals,
    appeal_history,
    appeal_reads,
    vacancies,
    search_suggestions,
    favourite_vacancies,
    resumes,
    saved_searches,
    drafts,
    notifications,
    notification_counters,
    stream_tickets,
    subscriptions,
    outbox,
    vacancy_fanouts,
    news_broadcasts,
    job_runs,
    contacts,
    reports,
    favourite_resumes,
    job_search_applications,
    job_search_history,
    job_search_found_vacancies,
    centre_slots,
    appointments,
    job_search_offers,
    files,
    documents,
    appeal_attachments,
    benefit_applications,
    benefit_application_history,
    payments,
    payment_operations,
    training_courses,
    training_enrolments,
    payout_details,
    instance_marks,
    password_resets,
    job_search_responses,
    interviews,
    audit_events,
    idempotency_keys,
    throttle_budgets,
);

diesel::joinable!(appeals -> users (applicant_id));

diesel::table! {
    job_search_applications (id) {
        id -> Text,
        citizen_id -> Text,
        centre_id -> Text,
        resume_id -> Text,
        claims_unemployed -> Bool,
        profession_code -> Nullable<Text>,
        category -> Text,
        region_code -> Text,
        salary_from -> Nullable<BigInt>,
        employment_types -> Text,
        schedules -> Text,
        status -> Text,
        attention -> Nullable<Text>,
        consultant_id -> Nullable<Text>,
        accepted_at -> Nullable<Timestamp>,
        visit_deadline -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finish_choice -> Nullable<Text>,
    }
}

diesel::table! {
    job_search_history (id) {
        id -> Text,
        application_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        comment -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_search_found_vacancies (application_id, vacancy_id) {
        application_id -> Text,
        vacancy_id -> Text,
    }
}

diesel::table! {
    centre_slots (id) {
        id -> Text,
        centre_id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Text,
        slot_id -> Text,
        user_id -> Text,
        purpose -> Text,
        application_id -> Nullable<Text>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(job_search_history -> job_search_applications (application_id));
diesel::joinable!(job_search_found_vacancies -> job_search_applications (application_id));
diesel::joinable!(job_search_found_vacancies -> vacancies (vacancy_id));
diesel::joinable!(appointments -> centre_slots (slot_id));
diesel::joinable!(centre_slots -> centres (centre_id));

diesel::table! {
    job_search_offers (application_id, vacancy_id) {
        application_id -> Text,
        vacancy_id -> Text,
        source -> Text,
        score -> Integer,
        matched -> Text,
        relaxed -> Text,
        priority -> Nullable<Integer>,
        agreed -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(job_search_offers -> job_search_applications (application_id));
diesel::joinable!(job_search_offers -> vacancies (vacancy_id));

diesel::table! {
    files (id) {
        id -> Text,
        owner_id -> Text,
        storage_key -> Text,
        purpose -> Text,
        name -> Text,
        file_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        citizen_id -> Text,
        kind -> Text,
        file_id -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        replaces_id -> Nullable<Text>,
        replaced_by_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appeal_attachments (id) {
        id -> Text,
        appeal_id -> Text,
        file_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(documents -> files (file_id));
diesel::joinable!(appeal_attachments -> files (file_id));
diesel::joinable!(appeal_attachments -> appeals (appeal_id));

diesel::table! {
    benefit_applications (id) {
        id -> Text,
        citizen_id -> Text,
        centre_id -> Text,
        status -> Text,
        payout_kind -> Text,
        bik -> Nullable<Text>,
        account -> Nullable<Text>,
        card_number -> Nullable<Text>,
        document_ids -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    benefit_application_history (id) {
        id -> Text,
        application_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        comment -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payments (id) {
        id -> Text,
        citizen_id -> Text,
        application_id -> Nullable<Text>,
        kind -> Text,
        amount_kopecks -> BigInt,
        period_from -> Date,
        period_to -> Date,
        pay_date -> Date,
        status -> Text,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    payment_operations (id) {
        id -> Text,
        payment_id -> Text,
        operation -> Text,
        comment -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(benefit_application_history -> benefit_applications (application_id));
diesel::joinable!(payment_operations -> payments (payment_id));

diesel::table! {
    training_courses (id) {
        id -> Text,
        centre_id -> Text,
        title -> Text,
        description -> Text,
        provider -> Text,
        theme -> Text,
        level -> Text,
        format -> Text,
        region_code -> Text,
        address -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        hours -> Integer,
        cost_kopecks -> BigInt,
        capacity -> Integer,
        taken -> Integer,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    training_enrolments (id) {
        id -> Text,
        course_id -> Text,
        citizen_id -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(training_enrolments -> training_courses (course_id));

diesel::table! {
    payout_details (citizen_id) {
        citizen_id -> Text,
        payout_kind -> Text,
        bik -> Nullable<Text>,
        account -> Nullable<Text>,
        card_number -> Nullable<Text>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    instance_marks (name) {
        name -> Text,
        set_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_search_responses (id) {
        id -> Text,
        application_id -> Text,
        vacancy_id -> Text,
        organization_id -> Nullable<Text>,
        citizen_id -> Text,
        resume_id -> Text,
        cover_letter -> Text,
        status -> Text,
        refusal_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interviews (id) {
        id -> Text,
        response_id -> Text,
        application_id -> Text,
        vacancy_id -> Text,
        organization_id -> Nullable<Text>,
        citizen_id -> Text,
        status -> Text,
        scheduled_at -> Timestamp,
        place -> Nullable<Text>,
        link -> Nullable<Text>,
        contact_person -> Text,
        proposed_at -> Nullable<Timestamp>,
        comment -> Nullable<Text>,
        outcome -> Nullable<Text>,
        result_comment -> Nullable<Text>,
        result_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(job_search_responses -> job_search_applications (application_id));
diesel::joinable!(job_search_responses -> vacancies (vacancy_id));
diesel::joinable!(interviews -> job_search_responses (response_id));

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        kind -> Text,
        action -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        actor_name -> Nullable<Text>,
        actor_centre_id -> Nullable<Text>,
        actor_organization_id -> Nullable<Text>,
        actor_unit_name -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        subject_centre_id -> Nullable<Text>,
        record_type -> Text,
        record_id -> Text,
        request_id -> Nullable<Text>,
        client_addr -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (user_id, idem_key) {
        user_id -> Text,
        idem_key -> Text,
        request_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        status_code -> Nullable<Integer>,
        location -> Nullable<Text>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        organization_id -> Text,
        url -> Text,
        secret -> Text,
        events -> Text,
        description -> Nullable<Text>,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_id -> Text,
        event_type -> Text,
        body -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        dead_at -> Nullable<Timestamp>,
        claimed_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::allow_tables_to_appear_in_same_query!(webhook_subscriptions, webhook_deliveries);
