// Swagger UI as a newcomer meets it, in the system's headless Chromium: the page loads
// the spec, shows the introduction of info.description, and «Try it out» on sign-in
// (POST /api/v1/auth/login) with a demo account answers 200 with an access token.
// A screenshot of the sign-in operation is kept (the CI artifact); on a failure, one of
// the page as it stood.
//
// PORTAL_URL: the server (e.g. http://127.0.0.1:40123); SCREENSHOT: where to save the
// picture; CHROMIUM: the browser (default /usr/bin/chromium).
import puppeteer from "puppeteer-core";

const base = process.env.PORTAL_URL;
const screenshot = process.env.SCREENSHOT ?? "swagger-ui.png";
const failureShot = screenshot.replace(/\.png$/, "-failure.png");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = 30_000;
// Swagger UI names an operation's block after its tag and operation id.
const LOGIN = "#operations-auth-login";
const ACCOUNT = { login: "demo.citizen", password: "Demo-password-1" };

if (!base) {
  console.error("swagger-ui: PORTAL_URL is not set");
  process.exit(2);
}

let current = "starting Chromium";
const passed = [];

/** Runs one step; a failure names the step. */
async function step(name, action) {
  current = name;
  const result = await action();
  passed.push(name);
  return result;
}

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  // As root in CI the sandbox cannot start; /dev/shm may be small in containers.
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  defaultViewport: { width: 1400, height: 1000 },
  timeout: TIMEOUT,
});
let page;
let status = 0;
try {
  page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  await step("opening /swagger-ui/", async () => {
    const answer = await page.goto(`${base}/swagger-ui/`, { waitUntil: "domcontentloaded" });
    if (!answer || answer.status() !== 200) {
      throw new Error(`/swagger-ui/ answered ${answer ? answer.status() : "nothing"}`);
    }
  });

  await step("loading the spec", async () => {
    // Either the document's title appears, or Swagger UI reports it could not load it.
    const outcome = await page.waitForFunction(
      () => {
        const title = document.querySelector(".swagger-ui .info .title");
        if (title) return "loaded";
        const error = document.querySelector(".swagger-ui .errors-wrapper, .swagger-ui .loading-container .errors");
        if (error && error.textContent.trim()) return `error: ${error.textContent.trim()}`;
        return false;
      },
      { timeout: TIMEOUT },
    );
    const value = await outcome.jsonValue();
    if (value !== "loaded") throw new Error(`Swagger UI did not load the spec (${value})`);
    const title = await page.$eval(".swagger-ui .info .title", (e) => e.textContent ?? "");
    if (!title.includes("Личный кабинет службы занятости")) {
      throw new Error(`unexpected title «${title}»`);
    }
  });

  await step("showing the introduction", async () => {
    const intro = await page.$eval(".swagger-ui .info .description", (e) => e.textContent ?? "");
    for (const expected of ["Getting started", "Authorize", "demo.citizen"]) {
      if (!intro.includes(expected)) {
        throw new Error(`the introduction lacks «${expected}»: ${intro.slice(0, 300)}`);
      }
    }
  });

  await step("expanding POST /api/v1/auth/login", async () => {
    const summary = await page.waitForSelector(`${LOGIN} .opblock-summary-control, ${LOGIN} .opblock-summary`);
    await summary.scrollIntoView();
    await summary.click();
    await page.waitForSelector(`${LOGIN} .opblock-body`);
  });

  await step("pressing «Try it out»", async () => {
    const button = await page.waitForSelector(`${LOGIN} button.try-out__btn`);
    await button.click();
    await page.waitForSelector(`${LOGIN} textarea.body-param__text`);
  });

  await step("filling a demo account's body", async () => {
    const body = await page.waitForSelector(`${LOGIN} textarea.body-param__text`);
    await body.click();
    // Select what the example put there and type over it, as a person would.
    await page.keyboard.down("Control");
    await page.keyboard.press("KeyA");
    await page.keyboard.up("Control");
    await page.keyboard.press("Backspace");
    await body.type(JSON.stringify(ACCOUNT));
    const typed = await body.evaluate((e) => e.value);
    if (JSON.stringify(JSON.parse(typed)) !== JSON.stringify(ACCOUNT)) {
      throw new Error(`the body reads ${typed}`);
    }
  });

  const answer = await step("executing the request", async () => {
    const button = await page.waitForSelector(`${LOGIN} button.execute`);
    await button.click();
    const row = `${LOGIN} .live-responses-table tbody tr.response`;
    await page.waitForSelector(`${row} .response-col_status`);
    return page.$eval(row, (response) => {
      // The answer's body is the code block under the «Response body» heading.
      const heading = [...response.querySelectorAll("h5")].find((h) => h.textContent?.includes("Response body"));
      return {
        status: response.querySelector(".response-col_status")?.textContent?.trim() ?? "",
        body: heading?.parentElement?.querySelector("pre")?.textContent ?? "",
      };
    });
  });

  await step("checking the answer is 200 with an access token", async () => {
    if (!answer.status.startsWith("200")) {
      throw new Error(`the answer shown is ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    let tokens;
    try {
      tokens = JSON.parse(answer.body);
    } catch {
      throw new Error(`the body shown is not JSON: ${answer.body.slice(0, 300)}`);
    }
    if (typeof tokens.access_token !== "string" || tokens.access_token.length < 20) {
      throw new Error(`no access_token in ${answer.body.slice(0, 300)}`);
    }
  });

  await step("saving the screenshot", async () => {
    const block = await page.$(LOGIN);
    await block.screenshot({ path: screenshot });
  });

  if (pageErrors.length > 0) {
    console.error(`swagger-ui: the page reported errors:\n${pageErrors.join("\n")}`);
    status = 1;
  }
  for (const name of passed) console.log(`ok: ${name}`);
  console.log(`swagger-ui: ${passed.length} steps passed; screenshot ${screenshot}`);
} catch (e) {
  for (const name of passed) console.log(`ok: ${name}`);
  console.error(`swagger-ui: failed at «${current}»: ${e instanceof Error ? e.message : e}`);
  if (page) {
    await page.screenshot({ path: failureShot, fullPage: false }).catch(() => {});
    console.error(`swagger-ui: the page as it stood: ${failureShot}`);
  }
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
