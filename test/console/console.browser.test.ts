// The console in a real browser (Debian's Chromium driven by playwright-core) against a real local
// gateway started as `npm start` starts it (test/console/gateway.mjs): sign in, the overview chart
// with data, a message and its timeline, approving a template and sending with it, a code in the
// simulator inbox, a top-up, and customer text containing <script> shown as text.
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

interface Gateway {
  base: string;
  adminToken: string;
  chromium: string;
  demo: { templates: Record<string, number>; signature: { name: string }; creds: { jpush: { credentials: { appKey: string; masterSecret: string } } } };
}

declare module "vitest" {
  export interface ProvidedContext {
    consoleGateway: Gateway | null;
  }
}

const gw = inject("consoleGateway");
const SHOTS = ".vitest";

/** A JPush call with the demo tenant's credentials (the customer side of the gateway). */
async function jpush(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const c = gw!.demo.creds.jpush.credentials;
  const res = await fetch(`${gw!.base}${path}`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${c.appKey}:${c.masterSecret}`)}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${gw!.base}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${gw!.adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const mobile = () => `139${String(Math.floor(Date.now() % 1e8)).padStart(8, "0")}`;

async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (!gw) {
  // Said on the console by the global setup too; this line names the skipped file in the report.
  console.warn("console.browser.test.ts: skipped, Chromium is not installed (apt-get install -y chromium)");
}

describe.skipIf(!gw)("operator console in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const sentTo = mobile();
  let sentId = "";

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: gw!.chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    // Data for the overview: a few notifications, delivered by the simulator within seconds.
    for (let i = 0; i < 3; i++) {
      const r = await jpush("/v1/messages", { mobile: i === 0 ? sentTo : `1380013${String(8000 + i)}`, temp_id: gw!.demo.templates.notification, temp_para: { order: `A${i}` } });
      expect(r.status).toBe(200);
      if (i === 0) sentId = r.body.msg_id;
    }
    await until(async () => (await admin("GET", `/tenants/demo/messages/${sentId}`)).status === "delivered", "the first message delivered");
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("redirects / to the console and serves it with the security headers", async () => {
    const res = await fetch(`${gw!.base}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/console/");
    const html = await fetch(`${gw!.base}/console/`);
    expect(html.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(html.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html.headers.get("x-frame-options")).toBe("DENY");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a wrong token, signs in with the right one, and keeps it out of the URL", async () => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Console errors (a CSP violation among them) fail the test; the wrong token's 401 is expected.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("status of 401")) errors.push(m.text());
    });
    await page.goto(`${gw!.base}/`);
    expect(new URL(page.url()).pathname).toBe("/console/");
    await page.fill("#token", "not-the-token");
    await page.click("#signin-form button[type=submit]");
    await expect.poll(() => page.textContent("#signin-error")).toContain("refused");
    await page.fill("#token", gw!.adminToken);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("[data-page=overview]");
    expect(page.url()).not.toContain(gw!.adminToken);
    expect(await page.evaluate("Object.values(sessionStorage)")).toContain(gw!.adminToken);
    expect(await page.evaluate("Object.values(localStorage)")).not.toContain(gw!.adminToken);
    expect(await page.evaluate("document.cookie")).toBe("");
    expect(errors).toEqual([]);
  });

  it("draws the overview charts with the messages sent", async () => {
    await page.goto(`${gw!.base}/console/#/overview?tenant=demo`);
    await page.waitForSelector("[data-page=overview] .plot canvas");
    expect(await page.locator(".plot canvas").count()).toBe(3);
    expect(Number((await page.textContent("#card-messages strong"))!.replace(/,/g, ""))).toBeGreaterThanOrEqual(3);
    expect(await page.textContent("#card-rate strong")).toMatch(/%$/);
    // The legend names the series the chart draws.
    expect(await page.locator(".u-legend").first().textContent()).toContain("Delivered");
    await page.screenshot({ path: `${SHOTS}/console-overview.png`, fullPage: false });
  });

  it("finds a message by mobile and shows its timeline", async () => {
    await page.goto(`${gw!.base}/console/#/messages?tenant=demo`);
    await page.fill("#message-search input[name=mobile]", sentTo);
    await page.click("#message-search button[type=submit]");
    await page.waitForSelector("a.open");
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.click("a.open");
    await page.waitForSelector("#timeline");
    const types = await page.locator("#timeline li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-type")));
    expect(types.slice(0, 2)).toEqual(["accepted", "submitted"]);
    expect(types).toContain("final");
    expect(await page.textContent("#message-text")).toBe("【边缘短信】您的订单A0已发货，请注意查收。");
    // Found by id too.
    await page.goto(`${gw!.base}/console/#/messages?tenant=demo&id=${sentId}`);
    await page.waitForSelector("#timeline");
    await page.screenshot({ path: `${SHOTS}/console-timeline.png` });
  });

  it("shows a template containing <script> as text, approves a template, and the tenant can send with it", async () => {
    const evil = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">{{x}}";
    const bad = await admin("POST", "/tenants/demo/templates", { kind: "marketing", content: evil, signature_id: 1 });
    // The tenant page adds a template (pending review, bound to the demo signature).
    const content = `您的工单{{no}}已受理 ${Date.now()}`;
    await page.goto(`${gw!.base}/console/#/tenant?tenant=demo`);
    await page.selectOption("#new-template select[name=kind]", "notification");
    await page.fill("#new-template input[name=content]", content);
    await page.selectOption("#new-template select[name=signature_id]", { label: "【边缘短信】" });
    await page.click("#new-template button[type=submit]");
    const good = await until(
      async () => (await admin("GET", "/tenants/demo/templates?limit=500")).items.find((x: { content: string }) => x.content === content),
      "the template added in the console",
    );
    expect(good).toMatchObject({ status: "pending", signature_id: 1 });
    await page.goto(`${gw!.base}/console/#/review`);
    await page.waitForSelector("#review-list");
    const evilItem = page.locator(`li[data-type=template][data-id="${bad.id}"]`);
    expect(await evilItem.locator(".review-text").textContent()).toBe(evil);
    expect(await page.locator("#review-list script, #review-list img").count()).toBe(0);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();

    // Refused while pending (50020), then approved in the console, then accepted.
    const before = await jpush("/v1/messages", { mobile: mobile(), temp_id: good.id, temp_para: { no: "W1" } });
    expect(before.status).not.toBe(200);
    await page.locator(`li[data-type=template][data-id="${good.id}"] button.approve`).click();
    await expect.poll(async () => (await admin("GET", `/tenants/demo/templates/${good.id}`)).status).toBe("approved");
    const after = await jpush("/v1/messages", { mobile: mobile(), temp_id: good.id, temp_para: { no: "W1" } });
    expect(after.status).toBe(200);
    expect(after.body.msg_id).toMatch(/^\d+$/);

    // Rejecting needs a reason, which the tenant then sees.
    await page.goto(`${gw!.base}/console/#/review`);
    const item = page.locator(`li[data-type=template][data-id="${bad.id}"]`);
    await item.locator("button.reject").click();
    expect(await item.locator(".notice").textContent()).toContain("reason");
    await item.locator("input[name=note]").fill("含有脚本");
    await item.locator("button.reject").click();
    await expect.poll(async () => (await admin("GET", `/tenants/demo/templates/${bad.id}`)).review_note).toBe("含有脚本");
  });

  it("reads a verification code in the simulator inbox page, and it validates", async () => {
    const to = `1371234${String(Date.now() % 10000).padStart(4, "0")}`;
    const sent = await jpush("/v1/codes", { mobile: to, temp_id: gw!.demo.templates.verification });
    expect(sent.status).toBe(200);
    await page.goto(`${gw!.base}/console/#/simulator?mobile=${to}`);
    const text = await until(async () => {
      await page.reload();
      await page.waitForSelector("[data-page=simulator]");
      const t = await page.locator(".text.sms").first().textContent({ timeout: 1000 }).catch(() => null);
      return t;
    }, "the code in the inbox");
    const code = /(\d{4,8})/.exec(text)![1]!;
    const valid = await jpush(`/v1/codes/${sent.body.msg_id}/valid`, { code });
    expect(valid.body).toEqual({ is_valid: true });
  });

  it("tops up a tenant", async () => {
    const before = (await admin("GET", "/tenants/demo")).balance;
    await page.goto(`${gw!.base}/console/#/tenant?tenant=demo`);
    await page.fill("#topup input[name=amount]", "12.5");
    await page.fill("#topup input[name=note]", "invoice 2026-017");
    await page.click("#topup button[type=submit]");
    await expect.poll(() => page.textContent("#topup + .notice")).toContain("Balance is now");
    expect((await admin("GET", "/tenants/demo")).balance).toBe(before + 12_500);
    await page.waitForSelector("text=invoice 2026-017");
    await page.screenshot({ path: `${SHOTS}/console-tenant.png`, fullPage: true });
  });

  it("creates a credential, rotates it (the new secret shown once) and blocks it", async () => {
    const name = `console test ${Date.now()}`;
    await page.goto(`${gw!.base}/console/#/apps?tenant=demo`);
    await page.selectOption("#new-app select[name=dialect]", "smsapi");
    await page.fill("#new-app input[name=name]", name);
    await page.click("#new-app button[type=submit]");
    await page.waitForSelector("#secret:not([hidden]) code");
    const oldKey = (await page.locator("#secret dd code").first().textContent())!;
    const app = (await admin("GET", "/tenants/demo/apps?limit=500")).items.find((a: { name: string }) => a.name === name);
    expect(oldKey.slice(0, app.key.length + 1)).toBe(`${app.key}.`);
    const send = (key: string) =>
      fetch(`${gw!.base}/smsapi/v1/sms/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ mobiles: "13800138000", content: "【边缘短信】会议改到三点", sendTime: 0 }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await send(oldKey)).status).toBe(200);

    const row = page.locator("tbody tr", { hasText: name });
    page.once("dialog", (d) => void d.accept());
    await row.locator("button", { hasText: "Rotate" }).click();
    // The box showed the new app's key; it shows the rotated one once the answer is in.
    await expect.poll(() => page.locator("#secret dd code").first().textContent()).not.toBe(oldKey);
    const newKey = (await page.locator("#secret dd code").first().textContent())!;
    expect(newKey.slice(0, app.key.length + 1)).toBe(`${app.key}.`);
    expect(page.url()).not.toContain(newKey);
    expect((await send(oldKey)).status).not.toBe(200);
    expect((await send(newKey)).status).toBe(200);

    await row.locator("button", { hasText: "Block" }).click();
    await page.waitForSelector(`tbody tr:has-text("${name}") .badge-blocked`);
    expect((await admin("GET", `/tenants/demo/apps/${app.id}`)).blocked).toBe(true);
    expect((await send(newKey)).status).not.toBe(200);
  });

  it("adds and removes an opt-out", async () => {
    const m = `1355555${String(Date.now() % 10000).padStart(4, "0")}`;
    await page.goto(`${gw!.base}/console/#/opt-outs?tenant=demo`);
    await page.fill("#add-opt-out input[name=mobile]", m);
    await page.click("#add-opt-out button[type=submit]");
    const row = page.locator("tbody tr", { hasText: `+86${m}` });
    await row.waitFor();
    expect(await row.textContent()).toContain("console");
    await row.locator("button", { hasText: "Remove" }).click();
    await row.waitFor({ state: "detached" });
    const res = await fetch(`${gw!.base}/admin/v1/tenants/demo/opt-outs/${m}`, { headers: { authorization: `Bearer ${gw!.adminToken}` } });
    expect(res.status).toBe(404);
  });

  it("shows carriers with their live circuit state, and the routing table", async () => {
    await page.goto(`${gw!.base}/console/#/carriers`);
    await page.waitForSelector("[data-page=carriers] table");
    const row = page.locator("tbody tr", { hasText: "simulator" }).first();
    expect(await row.locator(".badge-enabled").count()).toBe(1);
    expect(await row.locator(".badge-closed").count()).toBe(1);
    expect(await page.textContent("[data-page=carriers]")).toContain("No rules: every message goes to simulator.");
  });

  it("works at phone width (menu, tables as cards)", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(`${gw!.base}/console/`);
    await phone.evaluate(`sessionStorage.setItem("edgesms.operator-token", ${JSON.stringify(gw!.adminToken)})`);
    await phone.goto(`${gw!.base}/console/#/overview?tenant=demo`);
    await phone.waitForSelector(".plot canvas");
    expect(await phone.isVisible("#nav a[href='#/messages']")).toBe(false);
    await phone.click("#menu");
    expect(await phone.isVisible("#nav a[href='#/messages']")).toBe(true);
    // Nothing wider than the screen.
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await phone.click("#menu");
    await phone.screenshot({ path: `${SHOTS}/console-phone.png`, fullPage: true });
    for (const pg of ["messages?tenant=demo", "tenant?tenant=demo", "apps?tenant=demo", "review", "carriers", "simulator?mobile=13800138000"]) {
      await phone.goto(`${gw!.base}/console/#/${pg}`);
      await phone.waitForSelector(`[data-page=${pg.split("?")[0]}]`);
      expect(await phone.evaluate("document.documentElement.scrollWidth"), pg).toBeLessThanOrEqual(390);
    }
    await phone.goto(`${gw!.base}/console/#/messages?tenant=demo`);
    await phone.waitForSelector("tbody tr");
    await phone.screenshot({ path: `${SHOTS}/console-phone-messages.png` });
    await phone.close();
  });
});
