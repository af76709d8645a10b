// The course's additions to mdBook's page script (loaded after book.js through
// `additional-js`). Everything is keyed on classes, element names or data-* attributes:
// mdBook prefixes ids and the print page rewrites them.
"use strict";

// ---------------------------------------------------------------------------------------
// French search. The index is rebuilt at build time (checker/src/book/search.rs) with the
// `frenchFold` pipeline: lower case, accents folded, elisions cut, a few stop words, and a
// light French stemmer. The query must go through the very same function, so it is
// registered here under the name the index declares. Keep both sides identical.
// ---------------------------------------------------------------------------------------
(function frenchSearch() {
  if (typeof elasticlunr === "undefined") {
    return;
  }
  const STOP = new Set(("a au aux avec ce ces cet cette d dans de des du elle en est et il ils " +
    "l la le les leur leurs n ne nous on ou par pas pour qu que qui s sa se ses son sont sur " +
    "un une vos votre vous y").split(" "));
  const FOLD = { "à": "a", "â": "a", "ä": "a", "á": "a", "ç": "c", "é": "e", "è": "e", "ê": "e",
    "ë": "e", "î": "i", "ï": "i", "í": "i", "ô": "o", "ö": "o", "ó": "o", "ù": "u", "û": "u",
    "ü": "u", "ú": "u", "ÿ": "y", "ñ": "n", "œ": "oe", "æ": "ae", "’": "'" };

  function fold(word) {
    let out = "";
    for (const ch of word.toLowerCase()) {
      out += FOLD[ch] !== undefined ? FOLD[ch] : ch;
    }
    return out;
  }

  function isWordChar(ch) {
    return /[a-z0-9_]/.test(ch);
  }

  function stem(word) {
    let w = word;
    if (w.length <= 3) {
      return w;
    }
    if (w.endsWith("eaux")) {
      w = w.slice(0, -1);
    } else if (w.endsWith("aux") && w.length > 4) {
      w = w.slice(0, -3) + "al";
    } else if ((w.endsWith("s") || w.endsWith("x")) && !w.endsWith("ss")) {
      w = w.slice(0, -1);
    }
    for (const ending of ["er", "ez", "ee", "e"]) {
      if (w.endsWith(ending) && w.length - ending.length >= 3) {
        return w.slice(0, -ending.length);
      }
    }
    return w;
  }

  /** The pipeline function: one token in, one token (or nothing) out. */
  function frenchFold(token) {
    let w = fold(token);
    let start = 0;
    let end = w.length;
    while (start < end && !isWordChar(w[start])) start++;
    while (end > start && !isWordChar(w[end - 1])) end--;
    w = w.slice(start, end);
    const elision = w.match(/^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(.+)$/);
    if (elision) {
      w = elision[1];
    }
    if (w === "" || STOP.has(w)) {
      return undefined;
    }
    return stem(w);
  }

  elasticlunr.Pipeline.registerFunction(frenchFold, "frenchFold");
  window.coursFrenchFold = frenchFold;

  // The teaser under each result marks the words that match, through elasticlunr.stemmer:
  // with the French index, it must fold and stem the same way.
  const load = elasticlunr.Index.load;
  elasticlunr.Index.load = function (serialised) {
    if (serialised && Array.isArray(serialised.pipeline) && serialised.pipeline[0] === "frenchFold") {
      elasticlunr.stemmer = function (w) {
        return frenchFold(w) || fold(w);
      };
    }
    return load.call(this, serialised);
  };

  // The results' header, in French.
  const header = document.querySelector(".searchresults-header");
  if (header) {
    new MutationObserver(function () {
      const text = header.textContent;
      let m = text.match(/^No search results for '(.*)'\.$/);
      if (m) {
        header.textContent = "Aucun résultat pour « " + m[1] + " ».";
        return;
      }
      m = text.match(/^(\d+) search results? for '(.*)':$/);
      if (m) {
        header.textContent = m[1] + (m[1] === "1" ? " résultat" : " résultats") + " pour « " + m[2] + " » :";
      }
    }).observe(header, { childList: true, characterData: true, subtree: true });
  }
})();

// ---------------------------------------------------------------------------------------
// Copy buttons: a console block copies its commands only, without the `$ ` prompt and
// without the output, so that what is pasted runs. Other blocks copy as they are.
// The click is caught before mdBook's own handler (ClipboardJS, on the body).
// ---------------------------------------------------------------------------------------
(function copyCommands() {
  /** The commands of a console session: `$ ` lines, their `\` continuations, heredocs. */
  function commandsOf(text) {
    const out = [];
    let continued = false;
    let heredoc = null;
    for (const line of text.split("\n")) {
      if (heredoc !== null) {
        out.push(line);
        if (line.trim() === heredoc) heredoc = null;
        continue;
      }
      let command = null;
      if (continued) {
        command = line;
      } else if (line.startsWith("$ ") || line === "$") {
        command = line.slice(2);
      } else if (/^\s+\$ /.test(line)) {
        command = line.replace(/^\s+\$ /, "");
      }
      if (command === null) {
        continue;
      }
      out.push(command);
      continued = /\\\s*$/.test(command);
      const doc = command.match(/<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/);
      if (doc) heredoc = doc[1];
    }
    return out.join("\n").replace(/\n+$/, "") + "\n";
  }
  window.coursCommandsOf = commandsOf;

  function textToCopy(button) {
    const pre = button.closest("pre");
    const code = pre && pre.querySelector("code");
    if (!code) return null;
    const text = code.innerText;
    return code.classList.contains("language-console") ? commandsOf(text) : text;
  }

  function write(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http (a book opened from a local server): the older path.
    return new Promise(function (resolve, reject) {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      ok ? resolve() : reject(new Error("copy refused"));
    });
  }

  function tooltip(button, message) {
    if (button.firstChild) button.firstChild.innerText = message;
    button.className = "clip-button tooltipped";
  }

  function relabel() {
    for (const button of document.querySelectorAll(".clip-button")) {
      const console = button.closest("pre")?.querySelector("code.language-console");
      button.title = console ? "Copier les commandes (sans l'invite ni la sortie)" : "Copier dans le presse-papiers";
      button.setAttribute("aria-label", button.title);
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest(".clip-button");
    if (!button) return;
    const text = textToCopy(button);
    if (text === null) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    write(text).then(
      function () { tooltip(button, "Copié !"); },
      function () { tooltip(button, "Copie impossible"); }
    );
  }, true);

  relabel();
})();

// ---------------------------------------------------------------------------------------
// Print: hints, solutions and clean-ups are collapsible on screen; on paper (and in a
// PDF) they must all be there. The print page opens them as it loads; any page opens
// them before printing and closes again afterwards.
// ---------------------------------------------------------------------------------------
(function printOpensDetails() {
  let opened = [];
  function openAll() {
    for (const details of document.querySelectorAll("main details:not([open])")) {
      details.open = true;
      opened.push(details);
    }
  }
  window.addEventListener("beforeprint", openAll);
  window.addEventListener("afterprint", function () {
    if (/\/print\.html$/.test(window.location.pathname)) return;
    for (const details of opened) details.open = false;
    opened = [];
  });
  if (/\/print\.html$/.test(window.location.pathname)) {
    for (const details of document.querySelectorAll("main details")) details.open = true;
  }
})();

// ---------------------------------------------------------------------------------------
// Dockerfile highlighting: the highlight.js bundled with mdBook has no such grammar.
// A small one, in the highlight.js 10 format, then the Dockerfile blocks again.
// ---------------------------------------------------------------------------------------
(function dockerfileGrammar() {
  if (typeof hljs === "undefined") return;
  hljs.registerLanguage("dockerfile", function (hljs) {
    const variable = { className: "variable", begin: /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/ };
    const string = {
      className: "string",
      variants: [{ begin: /"/, end: /"/ }, { begin: /'/, end: /'/ }],
      contains: [hljs.BACKSLASH_ESCAPE, variable],
    };
    const flag = { className: "attr", begin: /--[a-z][a-z-]*(=[^\s\\]*)?/ };
    return {
      name: "Dockerfile",
      aliases: ["docker"],
      case_insensitive: true,
      contains: [
        { className: "meta", begin: /^\s*#\s*(syntax|escape|check)\s*=/, end: /$/ },
        hljs.HASH_COMMENT_MODE,
        {
          className: "keyword",
          begin: /^\s*(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\b/,
        },
        { className: "keyword", begin: /\b(AS)\b(?=\s+[a-z0-9_.-]+\s*$)/ },
        flag,
        string,
        variable,
        { className: "number", begin: /\b\d+(\/(tcp|udp))?\b/ },
      ],
    };
  });
  for (const block of document.querySelectorAll("code.language-dockerfile")) {
    block.textContent = block.textContent;
    hljs.highlightBlock(block);
  }
})();

// ---------------------------------------------------------------------------------------
// Diagrams: on a phone, a 720-unit-wide SVG shrinks its text to 5 or 6 px. Each diagram
// scrolls sideways at a readable size (CSS) and links to the full-size file.
// ---------------------------------------------------------------------------------------
(function readableDiagrams() {
  for (const img of document.querySelectorAll("main img[src$='.svg']")) {
    if (img.closest(".diagram") || img.closest(".img-wrapper")) continue;
    // mdBook wraps each image in a zoom checkbox (label.checkbox-label): keep it whole.
    const target = img.closest(".checkbox-label") || img;
    const figure = document.createElement("span");
    figure.className = "diagram";
    const scroll = document.createElement("span");
    scroll.className = "diagram-scroll";
    scroll.setAttribute("tabindex", "0");
    target.parentNode.insertBefore(figure, target);
    scroll.appendChild(target);
    figure.appendChild(scroll);
    const link = document.createElement("a");
    link.className = "diagram-open";
    link.href = img.getAttribute("src");
    link.textContent = "Ouvrir le schéma en grand";
    figure.appendChild(link);
  }
})();

// ---------------------------------------------------------------------------------------
// Sidebar: on a long page, mdBook marks the heading being read (`current-header`) but
// may leave it out of sight in the sidebar. Bring it back into view.
// ---------------------------------------------------------------------------------------
(function sidebarFollowsHeading() {
  const box = document.querySelector(".sidebar-scrollbox");
  if (!box || typeof MutationObserver === "undefined") return;
  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      const current = box.querySelector(".current-header");
      if (!current) return;
      const a = current.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      if (a.top < b.top || a.bottom > b.bottom) {
        current.scrollIntoView({ block: "nearest" });
      }
    });
  }).observe(box, { subtree: true, attributes: true, attributeFilter: ["class"] });
})();

// ---------------------------------------------------------------------------------------
// Keyboard: a code block wider than the page scrolls sideways; it must be reachable with
// the keyboard to be scrolled (WCAG 2.1.1), so each one takes the focus.
// ---------------------------------------------------------------------------------------
(function focusableCode() {
  for (const code of document.querySelectorAll("main pre > code, main .table-wrapper")) {
    if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
  }
})();

// ---------------------------------------------------------------------------------------
// Exercises still written in the chapter (no YAML card yet): their heading gets the
// card's badge, so both kinds of exercise look alike.
// ---------------------------------------------------------------------------------------
(function exerciseHeadings() {
  for (const h of document.querySelectorAll("main h3")) {
    const link = h.querySelector("a.header") || h;
    const first = link.firstChild;
    if (!first || first.nodeType !== Node.TEXT_NODE) continue;
    const m = first.textContent.match(/^Exercice (\d+\.\d+)\s*:\s*/);
    if (!m) continue;
    const badge = document.createElement("span");
    badge.className = "exercise-card-badge";
    badge.textContent = "Exercice " + m[1];
    first.textContent = first.textContent.slice(m[0].length);
    link.insertBefore(badge, first);
    h.classList.add("exercise-heading");
  }
})();
