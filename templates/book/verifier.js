// The « Vérifier » button of the exercise cards.
//
// Served by `checker serve`, each page carries <meta name="checker-serve" content="API">
// (the API's path, with the run's token): the button asks the checker to run the
// exercise's checks on the student's Docker host and writes the verdicts into the card;
// cards and the sidebar show the exercises already done (the progress file); the card
// last checked is checked again when Docker's state changes (server-sent events).
// Opened any other way (a published copy, `mdbook build`), the button says how to start
// the server. Text from the host (expected, found) is only ever set as text.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="checker-serve"]');
  const api = meta ? meta.getAttribute("content") : null;
  const SYMBOLS = { pass: "✔", fail: "✘", cannot_check: "?", not_checked: "–" };
  const WORDS = { pass: "réussi", fail: "échoué", cannot_check: "impossible à vérifier", not_checked: "non vérifié" };
  let lastChecked = null;
  let running = new Set();

  function cardOf(id) {
    return document.querySelector('.exercise-card[data-exercise="' + CSS.escape(id) + '"]');
  }

  function status(card, text, html) {
    const box = card.querySelector(".exercise-card-status");
    if (!box) return;
    if (html) box.innerHTML = html; else box.textContent = text;
  }

  // The checker's phrases write names between backticks, as Markdown does: shown as
  // code, and every piece set as text (they quote what the host answered).
  function inline(into, value) {
    String(value).split("`").forEach((piece, i) => {
      if (i % 2 === 1) {
        const code = document.createElement("code");
        code.textContent = piece;
        into.appendChild(code);
      } else if (piece) {
        into.appendChild(document.createTextNode(piece));
      }
    });
  }

  function detail(label, value, asHtml, extraClass) {
    const frag = document.createDocumentFragment();
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    if (extraClass) dd.className = extraClass;
    if (asHtml) {
      dd.innerHTML = value;
    } else {
      inline(dd, value);
    }
    frag.append(dt, dd);
    return frag;
  }

  function markDone(card, done) {
    card.classList.toggle("exercise-card-done", done);
    const header = card.querySelector(".exercise-card-header");
    let badge = card.querySelector(".exercise-card-done-badge");
    if (done && !badge && header) {
      badge = document.createElement("span");
      badge.className = "exercise-card-done-badge";
      badge.textContent = "✔ Réussi";
      header.appendChild(badge);
    } else if (!done && badge) {
      badge.remove();
    }
  }

  function show(card, answer) {
    const titles = new Map();
    for (const check of answer.exercise.checks) titles.set(check.id, check.title);
    for (const check of answer.exercise.checks) {
      const li = card.querySelector('.exercise-card-checks li[data-check="' + CSS.escape(check.id) + '"]');
      if (!li) continue;
      li.dataset.status = check.status;
      li.querySelectorAll(".exercise-card-verdict, .exercise-card-detail").forEach((n) => n.remove());
      const mark = document.createElement("span");
      mark.className = "exercise-card-verdict";
      mark.textContent = SYMBOLS[check.status] || "?";
      mark.title = WORDS[check.status] || "";
      mark.setAttribute("aria-label", WORDS[check.status] || "");
      li.prepend(mark);
      if (check.status === "pass") continue;
      const dl = document.createElement("dl");
      dl.className = "exercise-card-detail";
      if (check.status === "not_checked" && check.blocked_by && !check.reason) {
        dl.append(detail("non vérifié :", "dépend de « " + (titles.get(check.blocked_by) || check.blocked_by).replace(/`/g, "") + " », qui ne passe pas"));
      }
      if (check.expected) dl.append(detail("attendu :", check.expected));
      if (check.found) dl.append(detail("trouvé :", check.found, false, "exercise-card-found"));
      if (check.reason) dl.append(detail("raison :", check.reason));
      if (check.status !== "not_checked" && answer.hints[check.id]) dl.append(detail("indice :", answer.hints[check.id], true));
      if (dl.childNodes.length) li.appendChild(dl);
    }
    status(card, null, answer.summary_html);
    if (answer.done) markDone(card, true);
  }

  async function verify(id, quiet) {
    const card = cardOf(id);
    if (!card || running.has(id)) return;
    const button = card.querySelector(".exercise-card-button");
    if (!api) {
      status(card, null,
        "Ce bouton a besoin du checker : lancez <code>checker serve</code> dans un terminal, " +
        "le cours s’ouvre alors avec un bouton qui vérifie votre hôte Docker. " +
        "Sinon, tapez la commande ci-dessus dans votre terminal.");
      return;
    }
    running.add(id);
    lastChecked = id;
    if (button) button.disabled = true;
    if (!quiet) status(card, "Vérification en cours sur votre hôte Docker…");
    try {
      const response = await fetch(api + "check/" + encodeURIComponent(id), { method: "POST" });
      const answer = await response.json().catch(() => null);
      if (!response.ok || !answer || !answer.exercise) {
        status(card, (answer && answer.error) || ("Le checker a refusé la vérification (HTTP " + response.status + ")."));
      } else {
        show(card, answer);
        refreshProgress();
      }
    } catch (e) {
      status(card, "Le checker ne répond plus : relancez `checker serve` dans votre terminal, puis rechargez la page.");
    } finally {
      running.delete(id);
      if (button) button.disabled = false;
    }
  }

  async function refreshProgress() {
    if (!api) return;
    let progress;
    try {
      const response = await fetch(api + "progress");
      if (!response.ok) return;
      progress = await response.json();
    } catch (e) {
      return;
    }
    const pages = new Map();
    for (const [id, x] of Object.entries(progress.exercises)) {
      const card = cardOf(id);
      if (card) markDone(card, x.mark === "done");
      if (!x.page) continue;
      const slot = pages.get(x.page) || { done: 0, total: 0 };
      slot.total++;
      if (x.mark === "done") slot.done++;
      pages.set(x.page, slot);
    }
    document.querySelectorAll(".sidebar a[href]").forEach((a) => {
      // An exercise's own entry (its heading, badged by cours.js): ✔ once done.
      const heading = a.querySelector(".exercise-card-badge");
      const own = heading && heading.textContent.match(/^Exercice (\d+\.\d+)$/);
      if (own) {
        const x = progress.exercises[own[1]];
        let mark = a.querySelector(".exercise-progress-done");
        if (x && x.mark === "done" && !mark) {
          mark = document.createElement("span");
          mark.className = "exercise-progress exercise-progress-done";
          mark.textContent = "✔";
          mark.title = "exercice réussi";
          a.appendChild(mark);
        } else if (mark && !(x && x.mark === "done")) {
          mark.remove();
        }
        return;
      }
      const href = a.getAttribute("href").split("#")[0].replace(/^(\.\.\/)+/, "");
      const slot = pages.get(href);
      let badge = a.querySelector(".exercise-progress");
      if (!slot) return;
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "exercise-progress";
        a.appendChild(badge);
      }
      badge.textContent = (slot.done === slot.total ? "✔ " : "") + slot.done + "/" + slot.total;
      badge.title = slot.done + " exercice(s) réussi(s) sur " + slot.total;
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".exercise-card-button[data-verify]");
    if (button) verify(button.getAttribute("data-verify"), false);
  });

  if (api) {
    refreshProgress();
    // The sidebar may be filled in after this script runs (mdBook's toc.js).
    window.addEventListener("load", () => {
      refreshProgress();
      setTimeout(refreshProgress, 500);
    });
    const events = new EventSource(api + "events");
    events.addEventListener("changed", () => {
      if (lastChecked) verify(lastChecked, true);
    });
  }
})();
