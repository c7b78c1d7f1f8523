/*
 * Offline site search for search.html.
 *
 * Expects, loaded before this file with a plain <script src> tag (works from
 * file://, no fetch):
 *   window.SEARCH_INDEX = [{t: "Title", u: "url/relative/to/root.html",
 *                           k: "keywords string", r: 0}, ...]
 *   (r: tie-break rank, lower first; an LA's own page before its overview;
 *    d: an optional line shown under the title)
 * and, optionally, the schools in a compact list (a national site has 21,000):
 *   window.SEARCH_SCHOOLS = {a: ["LA name", ...], p: ["phase", ...],
 *                            s: [[urn, name, town, la, phase, "URNs LAESTABs"], ...]}
 *   (la and phase are positions in a and p; rows in URN order). A school is found by its
 *   URN or LAESTAB (exactly, also earlier ones), its name, its town, or words of its name,
 *   town, LA and phase; results show "Name, Town (URN n)" and "Town, LA, phase". Schools
 *   scoring the same keep URN order (a town lists its schools oldest URN first).
 * and in the page:
 *   <p id="search-status" role="status" aria-live="polite"></p>
 *   <ol id="search-results"></ol>
 *
 * Reads ?q=, matches case- and accent-insensitively (whole-phrase substring
 * and all-tokens matching), renders results with createElement/textContent
 * only, announces the result count, and pre-fills the search input(s).
 * Plain ES2017, no dependencies.
 */
(function () {
  "use strict";

  var MAX_QUERY_LENGTH = 200;
  var MAX_RESULTS = 100;

  /** Lower-case, strip accents and punctuation, collapse whitespace. */
  function normalise(value) {
    return String(value == null ? "" : value)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/['\u2018\u2019\u02bc`]/g, "") // King's Lynn == Kings Lynn
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  function tokens(normalised) {
    return normalised ? normalised.split(" ") : [];
  }

  /** Only allow relative links or http(s): never javascript:, data: etc. */
  function safeHref(url) {
    var u = String(url == null ? "" : url).trim();
    if (!u) return null;
    var scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u);
    if (scheme && !/^https?$/i.test(scheme[1])) return null;
    return u;
  }

  /** "Townley Primary School, Wisbech (URN 110630)": the town only when the name lacks it. */
  function schoolLabel(urn, name, town) {
    var place = town && normalise(name).indexOf(normalise(town)) === -1 ? ", " + town : "";
    return name + place + " (URN " + urn + ")";
  }

  function prepareSchools(schools) {
    var prepared = [];
    if (!schools || typeof schools !== "object" || !Array.isArray(schools.s)) return prepared;
    var las = Array.isArray(schools.a) ? schools.a : [];
    var phases = Array.isArray(schools.p) ? schools.p : [];
    for (var i = 0; i < schools.s.length; i++) {
      var row = schools.s[i];
      if (!Array.isArray(row) || row.length < 6) continue;
      var urn = String(row[0]), name = String(row[1]), town = String(row[2] || "");
      if (!/^[0-9]+$/.test(urn) || !name) continue;
      var la = String(las[row[3]] || ""), phase = String(phases[row[4]] || "");
      var numbers = String(row[5] || "").split(" ").filter(Boolean);
      var title = normalise(schoolLabel(urn, name, town));
      var keywords = normalise([town, la, phase].join(" "));
      prepared.push({
        entry: {
          t: schoolLabel(urn, name, town),
          u: "school/" + urn + ".html",
          d: [town, la, phase.toLowerCase()].filter(Boolean).join(", "),
          r: 0
        },
        href: "school/" + urn + ".html",
        title: title,
        titleWords: tokens(title),
        all: title + " " + keywords + " " + numbers.join(" "),
        allWords: tokens(title + " " + keywords),
        school: {
          order: i,
          name: normalise(name),
          town: normalise(town),
          numbers: [urn].concat(numbers)
        }
      });
    }
    return prepared;
  }

  function prepare(index, schools) {
    var prepared = [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      if (!entry || typeof entry !== "object") continue;
      var href = safeHref(entry.u);
      if (!href || !entry.t) continue;
      var title = normalise(entry.t);
      var keywords = normalise(entry.k);
      prepared.push({
        entry: entry,
        href: href,
        title: title,
        titleWords: tokens(title),
        all: title + " " + keywords,
        allWords: tokens(title + " " + keywords)
      });
    }
    return prepared.concat(prepareSchools(schools));
  }

  function wordStartsWith(words, token) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].indexOf(token) === 0) return true;
    }
    return false;
  }

  /** Score a school: the best of its fields (not their sum), so that every school of a
   *  town scores the same for the town's name; 0 means no match. */
  function schoolScore(item, phrase, queryTokens) {
    var school = item.school;
    if (school.numbers.indexOf(phrase) !== -1) return 2000;
    var best = 0;
    if (school.name === phrase) best = 1000;
    else if (school.name.indexOf(phrase) === 0 || school.town === phrase) best = 500;
    else if (school.name.indexOf(phrase) !== -1) best = 300;
    else if (school.town.indexOf(phrase) === 0) best = 250;
    else if (item.all.indexOf(phrase) !== -1) best = 100;
    var allTokensMatch = true;
    for (var i = 0; i < queryTokens.length; i++) {
      if (item.all.indexOf(queryTokens[i]) === -1) {
        allTokensMatch = false;
        break;
      }
    }
    if (!allTokensMatch && best < 100) return 0;
    return best || 50;
  }

  /** Score one item; 0 means no match. */
  function score(item, phrase, queryTokens) {
    if (item.school) return schoolScore(item, phrase, queryTokens);
    var s = 0;
    if (item.title === phrase) s += 1000;
    else if (item.title.indexOf(phrase) === 0) s += 500;
    else if (item.title.indexOf(phrase) !== -1) s += 300;
    else if (item.all.indexOf(phrase) !== -1) s += 100;

    var allTokensMatch = true;
    for (var i = 0; i < queryTokens.length; i++) {
      var tok = queryTokens[i];
      if (item.all.indexOf(tok) === -1) {
        allTokensMatch = false;
        break;
      }
      if (wordStartsWith(item.titleWords, tok)) s += 20;
      else if (item.title.indexOf(tok) !== -1) s += 10;
      else if (wordStartsWith(item.allWords, tok)) s += 5;
      else s += 1;
    }
    if (!allTokensMatch && s < 100) return 0;
    return s;
  }

  function search(prepared, query) {
    var phrase = normalise(query);
    if (!phrase) return [];
    var queryTokens = tokens(phrase);
    var hits = [];
    for (var i = 0; i < prepared.length; i++) {
      var sc = score(prepared[i], phrase, queryTokens);
      if (sc > 0) hits.push({ item: prepared[i], score: sc });
    }
    hits.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      if (a.item.school && b.item.school) return a.item.school.order - b.item.school.order;
      var ra = Number(a.item.entry.r) || 0;
      var rb = Number(b.item.entry.r) || 0;
      if (ra !== rb) return ra - rb;
      return String(a.item.entry.t).localeCompare(String(b.item.entry.t), "en-GB");
    });
    return hits;
  }

  function readQuery() {
    var q = "";
    try {
      q = new URLSearchParams(window.location.search).get("q") || "";
    } catch (e) {
      q = "";
    }
    q = q.replace(/\s+/g, " ").trim();
    if (q.length > MAX_QUERY_LENGTH) q = q.slice(0, MAX_QUERY_LENGTH);
    return q;
  }

  function prefill(query) {
    var inputs = document.querySelectorAll('form[role="search"] input[name="q"]');
    for (var i = 0; i < inputs.length; i++) inputs[i].value = query;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function renderResults(list, hits) {
    clear(list);
    var shown = Math.min(hits.length, MAX_RESULTS);
    for (var i = 0; i < shown; i++) {
      var entry = hits[i].item.entry;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hits[i].item.href;
      a.textContent = String(entry.t);
      li.appendChild(a);
      if (entry.d) {
        var meta = document.createElement("p");
        meta.className = "search-result-meta";
        meta.textContent = String(entry.d);
        li.appendChild(meta);
      }
      list.appendChild(li);
    }
    return shown;
  }

  function announce(status, text) {
    // Change the live region after load so screen readers pick it up.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 150);
  }

  function run() {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!status || !list) return;

    var query = readQuery();
    prefill(query);

    var baseTitle = document.title;

    if (!query) {
      announce(
        status,
        "Enter a local authority, school (name, town, URN or LAESTAB), trust or topic in the search box."
      );
      return;
    }

    var index = window.SEARCH_INDEX;
    if (!Array.isArray(index)) {
      announce(status, "Sorry, the search index could not be loaded.");
      return;
    }

    var hits = search(prepare(index, window.SEARCH_SCHOOLS), query);
    var shown = renderResults(list, hits);
    var quoted = "\u2018" + query + "\u2019";
    var message;
    if (hits.length === 0) {
      message = "No results for " + quoted + ". Check the spelling or try a shorter search.";
    } else if (hits.length === 1) {
      message = "1 result for " + quoted + ".";
    } else if (shown < hits.length) {
      message = hits.length + " results for " + quoted + ". Showing the first " + shown + ".";
    } else {
      message = hits.length + " results for " + quoted + ".";
    }
    document.title = (hits.length === 1 ? "1 result" : hits.length + " results") +
      " for " + quoted + " \u2013 " + baseTitle;
    announce(status, message);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
