// index.html opened in a real browser (Debian's headless Chromium, driven by playwright-core): it
// renders the verdict first and a failure's repro command, fetches nothing, and shows the fault
// timeline, latency histograms and the missed probe highlighted. No browser is a failure, not a skip:
// .ci/run installs Chromium.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignHtml } from "../../reports/html.ts";
import { fixtureReport } from "../support/report-fixture.ts";
import { tempDir } from "../support/temp-dir.ts";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  ...["--disable-background-networking", "--disable-component-update", "--disable-sync"],
];

describe("index.html in headless Chromium", () => {
  let browser: Browser;
  const dir = tempDir("kmsim-html-");
  const page = join(dir, "index.html");

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`).toBe(true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    writeFileSync(page, campaignHtml(fixtureReport()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders the verdict first and the smallest failure's repro commands, fetching nothing", async () => {
    const tab = await browser.newPage();
    const requests: string[] = [];
    tab.on("request", (r) => requests.push(r.url()));
    await tab.goto(pathToFileURL(page).href);
    const verdict = tab.locator("#verdict");
    expect(await verdict.innerText()).toBe("FAIL: 4 of 6 seeds passed · 2 failures in 1 group · 1 expected probe(s) not reached");
    expect(await verdict.isVisible()).toBe(true);
    const firstText = await tab.evaluate<string | undefined>('document.querySelector("body p")?.id');
    expect(firstText).toBe("verdict");
    const body = await tab.locator("body").innerText();
    expect(body).toContain("Re-run the seed: npx kmsim run --seed 2 --scenario default --steps 60");
    expect(body).toContain("Replay the shrunk list: npx kmsim replay repro-default-2.json");
    expect(body).toMatch(/virtual KMS answered\s*\{\s*"ok": false,\s*"error": \{\s*"name": "AccessDeniedException"/);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
    await tab.close();
  });

  it("draws a fault timeline per failure and a latency histogram per operation, and highlights what was missed", async () => {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    expect(await tab.locator('svg[aria-label="fault timeline of seed 2"] circle').count()).toBe(3);
    const histograms = await tab.locator('svg[aria-label^="latency histogram of"]').count();
    expect(histograms).toBe(Object.keys(fixtureReport().latency).length);
    expect(await tab.locator("tr.miss").allInnerTexts()).toEqual([expect.stringMatching(/^fault:az-outage\s+0\s+expected, not reached$/)]);
    const missedColour = await tab.evaluate<string>('getComputedStyle(document.querySelector("tr.miss td")).backgroundColor');
    expect(missedColour).toBe("rgb(253, 228, 228)");
    await tab.close();
  });

  it("shows how deep each operation's calls went, with the documented errors never answered", async () => {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    const rows = await tab.locator('h2:text-is("Depth per operation") + p + table tr').allInnerTexts();
    expect(rows[0]).toMatch(/^operation\s+calls\s+ok\s+deep\s+denied\s+errors answered\s+documented, never answered$/);
    const createKey = rows.find((r) => r.startsWith("CreateKey"));
    expect(createKey).toMatch(/^CreateKey\s+\d+\s+\d+%/);
    expect(createKey).toContain("KMSInternalException");
    await tab.close();
  });
});
