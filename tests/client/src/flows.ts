// The main flows of every role, through a client generated from openapi.yaml, as an
// integrator would write them: no casts, no `any`, no non-null assertions. If the spec
// leaves a field optional, untyped or loosely typed where the server is precise, this
// file stops compiling; if the server answers otherwise than the spec says, it throws.
//
// Run by tests/client/run.sh against `portal serve --demo` (PORTAL_URL).

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type Client = ReturnType<typeof createClient<paths>>;

const baseUrl = process.env.PORTAL_URL ?? "";
if (baseUrl === "") throw new Error("PORTAL_URL is not set");
const PASSWORD = "Demo-password-1";
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let checks = 0;

/** The body of an answer with the expected status, or an error naming what came. */
function expect<T>(
  answer: { data?: T; error?: unknown; response: Response },
  status: number,
  what: string,
): T {
  if (answer.response.status !== status || answer.data === undefined) {
    throw new Error(
      `${what}: expected ${status}, got ${answer.response.status} ${JSON.stringify(answer.error)}`,
    );
  }
  checks += 1;
  return answer.data;
}

/** An answer with no body (204). */
function expectEmpty(answer: { error?: unknown; response: Response }, what: string): void {
  if (answer.response.status !== 204) {
    throw new Error(`${what}: expected 204, got ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  checks += 1;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
  checks += 1;
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`not found: ${what}`);
  checks += 1;
  return value;
}

function client(token?: string): Client {
  return createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

const anonymous = client();

async function signIn(login: string): Promise<Client> {
  const tokens = expect(
    await anonymous.POST("/api/v1/auth/login", { body: { login, password: PASSWORD } }),
    200,
    `sign-in as ${login}`,
  );
  check(tokens.token_type === "Bearer" && tokens.expires_in > 0, "a bearer token");
  return client(tokens.access_token);
}

// Exhaustive switches: they compile only while the spec types these codes as enums.
function appealStatusWord(status: Schemas["AppealStatusCode"]): string {
  switch (status) {
    case "registered":
      return "new";
    case "in_progress":
      return "working";
    case "clarification_required":
      return "asked";
    case "completed":
    case "rejected":
      return "done";
  }
}

function reportSummary(report: Schemas["ReportBody"]): string {
  switch (report.kind) {
    case "quota":
      return `quota ${report.payload.period}: ${report.payload.employed_disabled}/${report.payload.quota_size}`;
    case "layoffs":
      return `layoffs of ${report.payload.headcount} on ${report.payload.layoff_date}`;
    case "staffing":
      return `staff ${report.payload.employees_total}`;
    case "vacancies":
      return `${report.payload.positions.length} positions`;
    case "foreign_workers":
      return `${report.payload.workers.length} foreign workers`;
    case "time_sheet":
      return `time sheet ${report.payload.month}`;
    case "informal_employment":
      return `${report.payload.persons} informally employed`;
  }
}

function isoDate(daysAhead: number): string {
  return new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  // --- Reference data, as an anonymous visitor.
  const centres = expect(await anonymous.GET("/api/v1/centres", { params: { query: { per_page: 100 } } }), 200, "centres");
  const centre = found(centres.items.find((c) => c.code === "770"), "the demo centre");
  const centreId: string = centre.id;

  // --- Citizen: self-registration and profile.
  const login = `client.${run}`;
  const registered = expect(
    await anonymous.POST("/api/v1/auth/register", {
      body: {
        login,
        password: PASSWORD,
        email: `${login}@example.ru`,
        last_name: "Клиентова",
        first_name: "Ольга",
        middle_name: "Петровна",
        birth_date: "1991-04-12",
        phone: "+7 (916) 555-01-02",
        region_code: "77",
        centre_id: centreId,
      },
    }),
    201,
    "registration",
  );
  const citizenId: string = registered.user_id;
  const citizen = client(registered.access_token);
  const me = expect(await citizen.GET("/api/v1/me"), 200, "the citizen's profile");
  const role: Schemas["RoleCode"] = me.role.code;
  check(role === "citizen" && me.id === citizenId, "signed in as the new citizen");
  const profile: Schemas["CitizenProfile"] | null = me.citizen;
  check(profile !== null && profile.last_name === "Клиентова", "the citizen's card");
  const email: string | null = me.email;
  check(email === `${login}@example.ru`, "the e-mail");

  const method: Schemas["AuthMethodCode"] = me.auth_method;
  check(method === "password", "signed in with a password");

  // --- Citizen: a draft, then the appeal filed from it.
  const draft = expect(
    await citizen.POST("/api/v1/drafts", {
      body: { kind: "appeal", payload: { type: "general_inquiry", body: "Прошу разъяснить" } },
    }),
    201,
    "saving a draft",
  );
  const draftKind: Schemas["DraftKindCode"] = draft.kind.code;
  check(draftKind === "appeal" && draft.payload["type"] === "general_inquiry", "the draft as saved");
  const filed = expect(
    await citizen.POST("/api/v1/appeals", {
      params: { header: { "Idempotency-Key": `appeal-${run}` } },
      body: {
        type: "general_inquiry",
        body: "Прошу разъяснить порядок постановки на учёт",
        draft_id: draft.id,
      },
    }),
    201,
    "filing an appeal",
  );
  check(appealStatusWord(filed.status.code) === "new", "a new appeal is registered");
  const appealType: Schemas["AppealTypeCode"] = filed.type.code;
  check(appealType === "general_inquiry", "the appeal's type");
  const channel: Schemas["AppealChannelCode"] = filed.channel.code;
  check(channel === "portal", "the appeal came in through the portal");
  const organizationId: string | null = filed.organization_id;
  check(organizationId === null, "a citizen's appeal has no organisation");
  const mine = expect(await citizen.GET("/api/v1/appeals", { params: { query: { per_page: 100 } } }), 200, "my appeals");
  found(mine.items.find((a) => a.id === filed.id), "the appeal in my list");
  const opened = expect(
    await citizen.GET("/api/v1/appeals/{id}", { params: { path: { id: filed.id } } }),
    200,
    "opening the appeal",
  );
  check(opened.number === filed.number, "the same appeal");
  const gone = await citizen.GET("/api/v1/drafts/{id}", { params: { path: { id: draft.id } } });
  check(gone.response.status === 404, "filing the appeal removed its draft");
  const history = expect(
    await citizen.GET("/api/v1/appeals/{id}/history", { params: { path: { id: filed.id } } }),
    200,
    "the appeal's history",
  );
  const first = found(history[0], "the first step");
  const from: Schemas["Labelled_AppealStatusCode"] | null = first.from;
  check(from === null && first.to.code === "registered", "the history starts at registration");

  // --- Citizen: a service request, with the path typed by the listed code.
  const services = expect(await citizen.GET("/api/v1/citizen/services"), 200, "services");
  const service = found(services.find((s) => s.available), "an available service");
  const serviceCode: Schemas["ServiceCode"] = service.code;
  const requested = expect(
    await citizen.POST("/api/v1/citizen/services/{code}/requests", {
      params: { path: { code: serviceCode } },
      body: { body: "Прошу оказать услугу" },
    }),
    201,
    "requesting a service",
  );
  check(requested.status.code === "registered", "the service request is an appeal");

  // --- Citizen: vacancy search and a resume.
  const search = expect(
    await citizen.GET("/api/v1/vacancies", {
      params: { query: { text: "повар", employment_type: "full_time", per_page: 5 } },
    }),
    200,
    "vacancy search",
  );
  for (const v of search.items) {
    const employment: Schemas["EmploymentTypeCode"] = v.employment_type.code;
    check(employment === "full_time", "the filter holds");
  }
  const resume = expect(
    await citizen.POST("/api/v1/citizen/resumes", {
      body: {
        title: "Повар",
        profession_code: "16675",
        category: "services",
        region_code: "77",
        salary: 75000,
        experience: "from_3_to_6",
        education: "secondary_vocational",
        employment_type: "full_time",
        schedule: "shift",
        skills: ["Горячий цех"],
        about: "Работаю поваром шесть лет",
        published: true,
      },
    }),
    201,
    "creating a resume",
  );
  const experience: Schemas["ExperienceCode"] = resume.experience.code;
  check(experience === "from_3_to_6", "the resume's experience");
  const salary: number | null = resume.salary;
  check(salary === 75000, "the resume's salary");

  // --- Employer: organisation, vacancy, report.
  const employer = await signIn("demo.employer");
  const orgAnswer = await employer.GET("/api/v1/employer/organization");
  const organization = expect(orgAnswer, 200, "the organisation");
  const version = orgAnswer.response.headers.get("ETag");
  check(version === `"v${organization.version}"`, "the organisation's ETag is its version");
  const site: string | null = organization.site;
  const verification: Schemas["VerificationCode"] = organization.verification;
  check(organization.inn === "7707083893" && site === null && verification === "verified", "the demo organisation");
  const changed = expect(
    await employer.PATCH("/api/v1/employer/organization", {
      params: { header: { "If-Match": version } },
      body: { site: "https://demo-employer.example.ru" },
    }),
    200,
    "editing the organisation",
  );
  const newSite: string | null = changed.organization.site;
  check(newSite === "https://demo-employer.example.ru", "the site is kept");
  const submitted = expect(
    await employer.POST("/api/v1/employer/vacancies", {
      body: {
        title: "Повар горячего цеха",
        profession_code: "16675",
        category: "services",
        region_code: "77",
        address: "г. Москва, ул. Арбат, д. 10",
        employment_type: "full_time",
        schedule: "shift",
        experience: "from_1_to_3",
        education: "secondary_vocational",
        salary_from: 60000,
        salary_to: 80000,
        benefits: ["meals"],
        description: "Официальное трудоустройство, питание",
      },
    }),
    201,
    "submitting a vacancy",
  );
  const vacancyId: string = submitted.vacancy.id;
  const vacancyStatus: Schemas["VacancyStatusCode"] = submitted.vacancy.status;
  check(vacancyStatus === "published", "a confirmed organisation publishes at once");
  const benefit: Schemas["BenefitCode"] | undefined = submitted.vacancy.benefits[0]?.code;
  check(benefit === "meals", "the vacancy's benefits");
  const report: Schemas["ReportBody"] = {
    kind: "layoffs",
    payload: {
      notice_date: isoDate(1),
      layoff_date: isoDate(70),
      headcount: 2,
      positions: ["Кладовщик"],
      reason: "Сокращение штата",
    },
  };
  const sent = expect(
    await employer.POST("/api/v1/employer/reports", {
      params: { header: { "Idempotency-Key": `report-${run}` } },
      body: report,
    }),
    201,
    "sending a report",
  );
  check(reportSummary(report).startsWith("layoffs of 2"), "the report as sent");
  const reportKind: Schemas["ReportKindCode"] = sent.report.kind.code;
  check(reportKind === "layoffs" && sent.appeal.status.code === "completed", "the report's appeal");
  const reports = expect(await employer.GET("/api/v1/employer/reports"), 200, "the reports");
  const listed = found(reports.items.find((r) => r.id === sent.report.id), "the report in the list");
  const stored = listed.payload;
  check("layoff_date" in stored && stored.headcount === 2, "the stored payload is the layoffs form");

  // --- Staff: the work list, an appeal moved, a personal case.
  const staff = await signIn("demo.staff");
  const work = expect(
    await staff.GET("/api/v1/staff/appeals", { params: { query: { status: "registered", per_page: 100 } } }),
    200,
    "the work list",
  );
  const waiting = found(work.items.find((a) => a.id === filed.id), "the citizen's appeal in the work list");
  const moved = expect(
    await staff.POST("/api/v1/appeals/{id}/transitions", {
      params: { path: { id: waiting.id } },
      body: { to: "in_progress", comment: "Взято в работу" },
    }),
    200,
    "moving the appeal",
  );
  check(appealStatusWord(moved.status.code) === "working", "the appeal is in progress");
  const applicant: string = moved.applicant.id;
  const opened_case = expect(
    await staff.POST("/api/v1/staff/citizens/{id}/personal-cases", {
      params: { path: { id: applicant } },
      body: { status: "job_seeker", goals: ["job_search"] },
    }),
    201,
    "opening a personal case",
  );
  const caseStatus: Schemas["CaseStatusCode"] = opened_case.status.code;
  const closedAt: string | null = opened_case.closed_at;
  check(caseStatus === "job_seeker" && closedAt === null && opened_case.open, "an open case");
  const cases = expect(await citizen.GET("/api/v1/citizen/personal-cases"), 200, "the citizen's cases");
  found(cases.find((c) => c.id === opened_case.id), "the citizen sees the case");

  // --- Citizen: notifications about the move.
  const notes = expect(
    await citizen.GET("/api/v1/notifications", { params: { query: { status: "new" } } }),
    200,
    "notifications",
  );
  const note = found(notes.items.find((n) => n.category.code === "application_status"), "the status notification");
  const noteStatus: Schemas["ReadFilter"] = note.status;
  check(noteStatus === "new", "an unread notification is new");
  const link: string | null = note.link;
  check(link !== null, "the notification links to the appeal");
  expectEmpty(
    await citizen.POST("/api/v1/notifications/{id}/read", { params: { path: { id: note.id } } }),
    "reading the notification",
  );

  // --- A job response: the application, the centre's offers, the response.
  const slots = expect(
    await staff.POST("/api/v1/staff/slots", {
      body: {
        date_from: isoDate(1),
        date_to: isoDate(3),
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        opens: "09:00:00",
        closes: "12:00:00",
        slot_minutes: 30,
      },
    }),
    201,
    "publishing slots",
  );
  check(slots.created > 0, "slots published");
  const application = expect(
    await citizen.POST("/api/v1/citizen/job-search-applications", {
      body: { resume_id: resume.id, claims_unemployed: true },
    }),
    201,
    "filing a job-search application",
  );
  const applicationStatus: Schemas["ApplicationStatusCode"] = application.status.code;
  check(applicationStatus === "submitted", "the application is submitted");
  const path = { params: { path: { id: application.id } } };
  let accepted = expect(
    await staff.POST("/api/v1/staff/job-search-applications/{id}/transitions", {
      ...path,
      body: { to: "accepted" },
    }),
    200,
    "accepting the application",
  );
  if (!accepted.offers.some((o) => o.vacancy.id === vacancyId)) {
    accepted = expect(
      await staff.POST("/api/v1/staff/job-search-applications/{id}/vacancies", {
        ...path,
        body: { add: [vacancyId] },
      }),
      200,
      "offering the employer's vacancy",
    );
  }
  check(accepted.status.code === "vacancies_selected", "vacancies are selected");
  const visit: Schemas["AppointmentView"] | null = accepted.visit;
  check(visit !== null, "the personal visit is booked");
  expect(
    await citizen.PUT("/api/v1/citizen/job-search-applications/{id}/priorities", {
      ...path,
      body: { vacancy_ids: accepted.offers.map((o) => o.vacancy.id) },
    }),
    200,
    "ordering the offers",
  );
  const negotiating = expect(
    await staff.POST("/api/v1/staff/job-search-applications/{id}/transitions", {
      ...path,
      body: { to: "negotiations", agreed_vacancy_ids: [vacancyId] },
    }),
    200,
    "agreeing the candidacy",
  );
  check(negotiating.status.code === "negotiations", "in negotiations");
  const response = expect(
    await citizen.POST("/api/v1/citizen/job-search-applications/{id}/responses", {
      ...path,
      params: { ...path.params, header: { "Idempotency-Key": `response-${run}` } },
      body: { vacancy_id: vacancyId, cover_letter: "Готова выйти через неделю" },
    }),
    201,
    "responding to the vacancy",
  );
  const responseStatus: Schemas["ResponseStatusCode"] = response.status.code;
  check(responseStatus === "sent", "the response is sent");

  // --- Employer: the response arrives.
  const responses = expect(
    await employer.GET("/api/v1/employer/responses", { params: { query: { vacancy_id: vacancyId } } }),
    200,
    "the employer's responses",
  );
  const arrived = found(responses.items.find((r) => r.id === response.id), "the response at the employer");
  const interview: Schemas["InterviewView"] | null = arrived.interview;
  check(arrived.cover_letter === "Готова выйти через неделю" && interview === null, "the response as sent");

  console.log(`client: ${checks} passed, 0 failed`);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`client: ${checks} passed, 1 failed`);
  process.exit(1);
});
