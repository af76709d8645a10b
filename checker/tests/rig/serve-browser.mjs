// The page served by `checker serve`, in headless Chromium (playwright-core). Fails
// (exit 1) unless:
//   - « Vérifier » on 2.1, exercise not done, writes ✘ on « existe » with its expected,
//     found and hint, and a summary that is not a success;
//   - after `docker run …` (2.1's solution), the card turns ✔ by itself (Docker's event
//     reaches the page), and a click confirms it; the card and the sidebar show 2.1 done;
//   - 4.1's card shows the identifier saved with `checker progress --user alice`, never
//     VOTRE_ID;
//   - the static book's button (no server) says how to start `checker serve`;
//   - no console error on the way.
// Screenshots of the card, light and dark, in OUT_DIR.
// Usage: node serve-browser.mjs SERVED_URL STATIC_URL OUT_DIR
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const [served, staticBase, outDir] = process.argv.slice(2);
const problems = [];
const notes = [];
const fail = (what) => problems.push(what);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});

async function open(url, theme) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().includes("ERR_NETWORK_CHANGED")) fail(`${url} : console : ${msg.text()}`);
  });
  page.on("pageerror", (err) => fail(`${url} : page : ${err.message}`));
  await page.addInitScript((t) => localStorage.setItem("mdbook-theme", t), theme);
  await page.goto(url, { waitUntil: "load" });
  return page;
}

const card = (page) => page.locator('.exercise-card[data-exercise="2.1"]');
const verdicts = (page) => card(page).locator(".exercise-card-checks li").evaluateAll((lis) =>
  Object.fromEntries(lis.map((li) => [li.dataset.check, {
    status: li.dataset.status || null,
    symbol: li.querySelector(".exercise-card-verdict")?.textContent || null,
    detail: li.querySelector(".exercise-card-detail")?.innerText || "",
  }])));

// mdBook's sticky menu bar would cover the card in its screenshots.
async function shoot(page, path) {
  await page.addStyleTag({ content: "#mdbook-menu-bar, .menu-bar { visibility: hidden !important; }" });
  await card(page).screenshot({ path });
}

async function click(page) {
  const button = card(page).locator(".exercise-card-button");
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await page.waitForFunction(() => {
    const b = document.querySelector('.exercise-card[data-exercise="2.1"] .exercise-card-button');
    const s = document.querySelector('.exercise-card[data-exercise="2.1"] .exercise-card-status');
    return b && !b.disabled && s && s.textContent && !s.textContent.includes("en cours");
  }, null, { timeout: 60000 }).catch(() => fail("le bouton « Vérifier » de 2.1 n'a rien répondu en 60 s"));
}

// --- Not done: ✘ with expected, found, hint ---------------------------------------------
const page = await open(served + "ch02-conteneurs.html", "light");
await click(page);
let v = await verdicts(page);
if (v.existe?.symbol !== "✘" || v.existe?.status !== "fail") fail(`2.1 non faite : « existe » vaut ${JSON.stringify(v.existe)}`);
for (const word of ["attendu :", "trouvé :", "indice :"]) {
  if (!v.existe?.detail.includes(word)) fail(`2.1 non faite : « ${word} » absent du détail de « existe » : ${v.existe?.detail}`);
}
if (!v.existe?.detail.includes("docker run --name mon-serveur-nginx")) fail("2.1 non faite : l'indice ne donne pas la commande");
if (v["en-marche"]?.status !== "not_checked") fail(`2.1 non faite : « en-marche » vaut ${JSON.stringify(v["en-marche"])}`);
let summary = await card(page).locator(".exercise-card-status").innerText();
if (!summary.includes("✘")) fail(`2.1 non faite : résumé « ${summary} »`);
notes.push(`2.1 non faite : ${Object.entries(v).map(([id, x]) => `${id} ${x.symbol}`).join(", ")} — ${summary}`);
await shoot(page, `${outDir}/serve-2.1-echec-clair.png`);

// --- Done: the event re-checks the card by itself, then a click ------------------------
execFileSync("docker", ["run", "--name", "mon-serveur-nginx", "-p", "8080:80", "-d", "nginx:latest"], { stdio: "ignore" });
const live = await page.waitForFunction(() => {
  const lis = [...document.querySelectorAll('.exercise-card[data-exercise="2.1"] .exercise-card-checks li')];
  return lis.length > 0 && lis.every((li) => li.dataset.status === "pass");
}, null, { timeout: 30000 }).then(() => true).catch(() => false);
if (!live) fail("2.1 faite : la carte n'est pas revérifiée d'elle-même après l'événement de Docker");
await click(page);
v = await verdicts(page);
const notPassing = Object.entries(v).filter(([, x]) => x.symbol !== "✔");
if (notPassing.length) fail(`2.1 faite : ${JSON.stringify(notPassing)}`);
summary = await card(page).locator(".exercise-card-status").innerText();
if (!summary.includes("Exercice réussi")) fail(`2.1 faite : résumé « ${summary} »`);
if (!(await card(page).evaluate((c) => c.classList.contains("exercise-card-done")))) fail("2.1 faite : la carte n'est pas marquée réussie");
notes.push(`2.1 faite : ${live ? "revérifiée d'elle-même" : "pas de revérification"} — ${summary}`);
await page.waitForFunction(() => [...document.querySelectorAll(".sidebar .exercise-progress")]
  .some((b) => b.textContent.startsWith("1/")), null, { timeout: 10000 })
  .catch(() => fail("barre latérale : le chapitre 2 ne montre pas 1 exercice réussi"));
await page.waitForFunction(() => [...document.querySelectorAll(".sidebar a")]
  .some((a) => a.querySelector(".exercise-card-badge")?.textContent === "Exercice 2.1"
    && a.querySelector(".exercise-progress-done")), null, { timeout: 10000 })
  .catch(() => fail("barre latérale : l'entrée de l'exercice 2.1 n'est pas marquée ✔"));
await shoot(page, `${outDir}/serve-2.1-reussi-clair.png`);
await page.screenshot({ path: `${outDir}/serve-ch02-clair.png` });
await page.context().close();

// --- Dark theme: the same card, read from the saved progress ----------------------------
{
  const dark = await open(served + "ch02-conteneurs.html", "navy");
  await dark.waitForFunction(() => document.querySelector('.exercise-card[data-exercise="2.1"]')
    ?.classList.contains("exercise-card-done"), null, { timeout: 10000 })
    .catch(() => fail("thème sombre : 2.1 n'est pas marquée réussie au chargement (progression)"));
  await click(dark);
  await shoot(dark, `${outDir}/serve-2.1-reussi-sombre.png`);
  execFileSync("docker", ["rm", "-f", "mon-serveur-nginx"], { stdio: "ignore" });
  await click(dark);
  await shoot(dark, `${outDir}/serve-2.1-echec-sombre.png`);
  await dark.context().close();
}

// --- The saved identifier in the cards --------------------------------------------------
{
  const p = await open(served + "ch04-gestion-images.html", "light");
  const text = await p.locator('.exercise-card[data-exercise="4.1"]').innerText();
  if (!text.includes("alice/mon-app:1.0")) fail("4.1 : l'identifiant enregistré (alice) n'apparaît pas dans la carte");
  if (text.includes("VOTRE_ID")) fail("4.1 : la carte montre encore VOTRE_ID malgré l'identifiant enregistré");
  await p.context().close();
}

// --- Without the server: how to start it ------------------------------------------------
{
  const p = await open(staticBase + "ch02-conteneurs.html", "light");
  const button = card(p).locator(".exercise-card-button");
  await button.scrollIntoViewIfNeeded();
  await button.click();
  const text = await card(p).locator(".exercise-card-status").innerText();
  if (!text.includes("checker serve")) fail(`livre sans serveur : le bouton dit « ${text} »`);
  await shoot(p, `${outDir}/statique-2.1-bouton-clair.png`);
  await p.context().close();
}

await browser.close();
for (const n of notes) console.log(`  ${n}`);
console.log(`${problems.length} problème(s)`);
for (const p of problems) console.log(`  ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
