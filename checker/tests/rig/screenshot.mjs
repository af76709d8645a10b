// Opens a chapter of the built book in headless Chromium, fails on any console error or
// page error, checks that its exercise cards are visible, and saves a screenshot.
// Usage: node screenshot.mjs URL OUTPUT.png
import { chromium } from "playwright-core";

const [url, output] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
page.on("pageerror", (err) => problems.push(`page: ${err.message}`));
page.on("requestfailed", (req) => problems.push(`request: ${req.url()} ${req.failure()?.errorText}`));
await page.goto(url, { waitUntil: "networkidle" });
const cards = await page.locator(".exercise-card").count();
if (cards === 0) problems.push("no .exercise-card on the page");
const card = page.locator(".exercise-card").first();
await card.scrollIntoViewIfNeeded();
if (!(await card.isVisible())) problems.push("the first card is not visible");
await card.locator("summary").first().click();
await page.screenshot({ path: output });
// The dark theme too (chosen the way the theme menu does): the card must stay readable.
await page.evaluate(() => localStorage.setItem("mdbook-theme", "navy"));
await page.reload({ waitUntil: "networkidle" });
await page.locator(".exercise-card").first().scrollIntoViewIfNeeded();
await page.screenshot({ path: output.replace(/\.png$/, "-sombre.png") });
await browser.close();
console.log(`${cards} carte(s), ${problems.length} problème(s)`);
for (const p of problems) console.log(`  ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
