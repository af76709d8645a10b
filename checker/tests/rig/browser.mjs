// The book in a real browser (headless Chromium through playwright-core): what a reader
// meets and a test can hold. Fails (exit 1) on any of:
//   - a console error, a page error or a failed request on the pages opened;
//   - a console block whose copy button puts a `$ ` prompt or command output on the
//     clipboard;
//   - a hint, a solution or a clean-up hidden on the print page;
//   - an unaccented search (« reseau », « creer »…) that does not find the accented page;
//   - a Dockerfile block without highlighting;
//   - a serious or critical axe-core violation in the course's own markup;
// and saves screenshots (light and dark theme, 375 and 1280 px wide, print) in OUT_DIR.
// Usage: node browser.mjs BASE_URL OUT_DIR AXE_PATH
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [base, outDir, axePath] = process.argv.slice(2);
const axeSource = readFileSync(axePath, "utf8");
const problems = [];
const notes = [];
const fail = (what) => problems.push(what);
// Containers that other tests start and stop add and remove network interfaces on this
// machine; Chromium then aborts requests in flight with ERR_NETWORK_CHANGED. Not the
// book's fault: noted, and the page is checked again.
let networkChanged = 0;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });

async function open(path, options = {}) {
  const page = await (options.context || context).newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().includes("ERR_NETWORK_CHANGED")) fail(`${path}: console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => fail(`${path}: page: ${err.message}`));
  page.on("requestfailed", (req) => {
    const why = req.failure()?.errorText || "";
    if (why.includes("ERR_NETWORK_CHANGED")) networkChanged++;
    else fail(`${path}: request: ${req.url()} ${why}`);
  });
  if (options.theme) {
    await page.addInitScript((t) => localStorage.setItem("mdbook-theme", t), options.theme);
  }
  const before = networkChanged;
  await page.goto(base + path, { waitUntil: "networkidle" });
  if (networkChanged > before) await page.reload({ waitUntil: "networkidle" });
  return page;
}

// --- Copy: commands only -------------------------------------------------------------
{
  const page = await open("ch02-conteneurs.html");
  const blocks = page.locator("pre:has(code.language-console)");
  const count = await blocks.count();
  let withOutput = 0;
  for (let i = 0; i < count; i++) {
    const block = blocks.nth(i);
    const text = await block.locator("code").innerText();
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const hasOutput = lines.some((l) => !l.startsWith("$ ") && !l.startsWith(" "));
    if (!hasOutput && i > 2) continue; // a few plain ones, and every one with output
    if (hasOutput) withOutput++;
    // mdBook shows the buttons only under the mouse; a click dispatched on the button
    // reaches the same handlers without depending on the pointer's position.
    await block.scrollIntoViewIfNeeded();
    await block.hover();
    await block.locator(".clip-button").dispatchEvent("click");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const expected = lines.filter((l) => l.startsWith("$ ")).map((l) => l.slice(2));
    const got = copied.split("\n").filter((l) => l.trim() !== "");
    if (got.some((l) => l.startsWith("$ "))) fail(`copie du bloc console ${i} : invite « $ » copiée`);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      fail(`copie du bloc console ${i} : attendu ${JSON.stringify(expected)}, copié ${JSON.stringify(got)}`);
    }
    const tip = await block.locator(".clip-button .tooltiptext").innerText();
    if (tip !== "Copié !") fail(`copie du bloc console ${i} : infobulle « ${tip} »`);
  }
  if (withOutput === 0) fail("ch02 : aucun bloc console avec sortie à copier (le test ne prouve rien)");
  // Continuations and heredocs belong to their command; output does not.
  const sample = "$ docker run -d \\\n    --name web nginx\nabc123\n$ cat > .env << 'EOF'\nPORT=3004\nEOF\n$ ls\n.env\n";
  const want = "docker run -d \\\n    --name web nginx\ncat > .env << 'EOF'\nPORT=3004\nEOF\nls\n";
  const commands = await page.evaluate((t) => window.coursCommandsOf(t), sample);
  if (commands !== want) fail(`commandes extraites : ${JSON.stringify(commands)} au lieu de ${JSON.stringify(want)}`);
  notes.push(`copie : ${count} blocs console sur ch02, dont ${withOutput} avec sortie`);
  await page.close();
}

// --- Print: everything open ----------------------------------------------------------
{
  const page = await open("print.html");
  await page.emulateMedia({ media: "print" });
  const total = await page.locator("main details").count();
  const closed = await page.locator("main details:not([open])").count();
  if (total < 20) fail(`print.html : seulement ${total} blocs repliables (cartes absentes ?)`);
  if (closed > 0) fail(`print.html : ${closed} blocs repliables sur ${total} restent fermés`);
  for (const kind of ["hints", "solution", "cleanup"]) {
    const inner = page.locator(`.exercise-card-${kind} > :not(summary)`).first();
    if (!(await inner.isVisible())) fail(`print.html : le contenu de .exercise-card-${kind} est invisible`);
  }
  notes.push(`impression : ${total} blocs repliables, tous ouverts`);
  await page.locator(".exercise-card-solution").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${outDir}/impression.png` });
  await page.close();
  // Any other page: printing opens the blocks too (beforeprint).
  const chapter = await open("ch02-conteneurs.html");
  await chapter.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const stillClosed = await chapter.locator("main details:not([open])").count();
  if (stillClosed > 0) fail(`ch02 : ${stillClosed} blocs restent fermés à l'impression`);
  await chapter.close();
}

// --- Search: French, without accents -------------------------------------------------
{
  const page = await open("index.html");
  const cases = [
    ["reseau", "ch06-reseau.html"], ["réseau", "ch06-reseau.html"],
    ["creer", null], ["etape", null], ["hote", null], ["securite", null],
    ["conteneur", "ch02-conteneurs.html"], ["journaux", "ch05-logs.html"],
    ["publie", "ch04-gestion-images.html"],
    // An error message the course explains: its « Dépannage » entry comes up.
    ["port is already allocated", "ch02-conteneurs.html"],
  ];
  await page.keyboard.press("s");
  const bar = page.locator("input[type=search]");
  await bar.waitFor();
  for (const [query, expected] of cases) {
    await bar.fill("");
    await bar.pressSequentially(query); // mdBook searches on keyup
    await page.waitForFunction(
      (q) => document.querySelector(".searchresults-header")?.textContent.includes(q), query,
      { timeout: 15000 }).catch(() => fail(`recherche « ${query} » : pas de réponse`));
    const links = await page.locator(".searchresults-outer li a").evaluateAll(
      (as) => as.map((a) => a.getAttribute("href")));
    if (links.length === 0) fail(`recherche « ${query} » : aucun résultat`);
    if (expected && !links.some((h) => h.startsWith(expected))) {
      fail(`recherche « ${query} » : ${expected} absent des résultats (${links.slice(0, 5).join(", ")})`);
    }
    notes.push(`recherche « ${query} » : ${links.length} résultat(s)`);
  }
  const header = await page.locator(".searchresults-header").innerText();
  if (!/résultat/.test(header)) fail(`en-tête des résultats en anglais : « ${header} »`);
  await page.screenshot({ path: `${outDir}/recherche.png` });
  await page.close();
}

// --- Sidebar: the heading being read stays in view on a long page ---------------------
{
  const page = await open("ch13-docker-avance.html");
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(800);
  const inView = await page.evaluate(() => {
    const box = document.querySelector(".sidebar-scrollbox");
    const current = box && box.querySelector(".current-header");
    if (!current) return null;
    const a = current.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  });
  if (inView === null) fail("ch13 : aucun titre courant marqué dans la barre latérale");
  else if (!inView) fail("ch13 : le titre courant sort de la barre latérale");
  await page.close();
}

// --- Dockerfile highlighting ---------------------------------------------------------
{
  const page = await open("ch03-images.html");
  const blocks = await page.locator("code.language-dockerfile").count();
  const plain = await page.locator("code.language-dockerfile:not(:has(.hljs-keyword))").count();
  if (blocks === 0) fail("ch03 : aucun bloc Dockerfile");
  if (plain > 0) fail(`ch03 : ${plain} bloc(s) Dockerfile sur ${blocks} sans coloration`);
  notes.push(`Dockerfile : ${blocks} blocs colorés sur ch03`);
  await page.close();
}

// --- Accessibility (axe-core) and screenshots, light and dark, phone and desktop -------
const pages = ["ch02-conteneurs.html", "ch06-reseau.html", "ch13-docker-avance.html", "introduction.html",
               "glossaire.html"];
for (const [theme, suffix] of [["light", "clair"], ["navy", "sombre"]]) {
  for (const width of [375, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 800 : 900 } });
    for (const path of pages) {
      const page = await open(path, { context: ctx, theme });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160) })),
        }));
      });
      for (const v of result) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        // Ours: the chapter text, the cards, the callouts, the diagrams, and the page
        // chrome that templates/book/index.hbs and cours.css override.
        for (const n of v.nodes) {
          const line = `${path} (${theme}, ${width}px) : axe ${v.id} [${v.impact}] ${n.target} — ${n.html}`;
          fail(line);
        }
      }
      const slug = path.replace(/\.html$/, "");
      if (path !== "introduction.html") {
        const card = page.locator(".exercise-card").first();
        if (await card.count()) {
          await card.scrollIntoViewIfNeeded();
          await card.locator("summary").first().click();
        } else {
          const callout = page.locator(".blockquote-tag").first();
          if (await callout.count()) await callout.scrollIntoViewIfNeeded();
        }
      }
      await page.screenshot({ path: `${outDir}/${slug}-${width}-${suffix}.png` });
      if (width === 375 && path === "ch06-reseau.html") {
        const diagram = page.locator(".diagram").first();
        if (await diagram.count()) {
          await diagram.scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${outDir}/schema-375-${suffix}.png` });
        } else {
          fail("ch06 : aucun schéma enveloppé (.diagram)");
        }
      }
      await page.close();
    }
    await ctx.close();
  }
}

// mdBook's other themes, on the desktop: the overrides of cours.css hold there too.
for (const theme of ["ayu", "coal", "rust"]) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const path of ["ch02-conteneurs.html", "ch13-docker-avance.html"]) {
    const page = await open(path, { context: ctx, theme });
    await page.addScriptTag({ content: axeSource });
    const serious = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .flatMap((v) => v.nodes.map((n) => `${v.id} [${v.impact}] ${n.target.join(" ")} — ${n.html.slice(0, 120)}`));
    });
    for (const s of serious) fail(`${path} (${theme}, 1280px) : axe ${s}`);
    await page.close();
  }
  await ctx.close();
}

await browser.close();
if (networkChanged) notes.push(`${networkChanged} requête(s) interrompue(s) par ERR_NETWORK_CHANGED, pages rechargées`);
for (const n of notes) console.log(`  ${n}`);
console.log(`${problems.length} problème(s)`);
for (const p of problems) console.log(`  ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
