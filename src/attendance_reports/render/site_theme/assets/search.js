/*
 * Offline site search for search.html.
 *
 * Expects, loaded before this file with a plain <script src> tag (works from
 * file://, no fetch):
 *   window.SEARCH_INDEX = [{t: "Title", u: "url/relative/to/root.html",
 *                           k: "keywords string", r: 0}, ...]
 *   (r: tie-break rank, lower first; an LA's own page before its overview)
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

  function prepare(index) {
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
    return prepared;
  }

  function wordStartsWith(words, token) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].indexOf(token) === 0) return true;
    }
    return false;
  }

  /** Score one item; 0 means no match. */
  function score(item, phrase, queryTokens) {
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
      announce(status, "Enter a local authority, region or topic in the search box.");
      return;
    }

    var index = window.SEARCH_INDEX;
    if (!Array.isArray(index)) {
      announce(status, "Sorry, the search index could not be loaded.");
      return;
    }

    var hits = search(prepare(index), query);
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
