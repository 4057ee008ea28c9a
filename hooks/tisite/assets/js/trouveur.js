/* The national action finder (/actions/, tisite/finder.py): filters every fiche action of
   every territory by words, region, territory, priority, axis and status, from the search
   index (Pagefind's filters). The choices live in the address (?region=…&q=…), so that a
   filtered list can be shared. The page arrives with the form, the count and the first results
   already written (tisite/finder.py, first_results): with no choice in the address, the script
   takes them over as they are, and loads the index only when the visitor asks for something
   else, so that nothing moves while the page loads. Without JavaScript the form is hidden
   (assets/css/sans-js.css) and the page offers one list per facet instead. */
(function () {
  "use strict";
  var PAGE = 20;

  function setup() {
    var form = document.getElementById("ti-trouveur");
    var search = window.tiRecherche;
    if (!form || !search) return;
    var status = document.getElementById("ti-trouveur-etat");
    var list = document.getElementById("ti-trouveur-resultats");
    var more = document.getElementById("ti-trouveur-plus");
    var text = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var labels = new Map(); // the options' first labels, « Occitanie (12) »
    // a national portal: its harvested territories' actions, in an index of its own
    var harvested = form.getAttribute("data-index-recolte");
    var origins = (form.getAttribute("data-origines") || "").split(" ").filter(Boolean);
    var merging = null;
    var facets = null; // every filter's index, loaded once (see ask)
    var results = null; // the index's answer; null: the first results are the page's own
    var shown = list.children.length;
    var asked = 0;
    var timer = null;

    selects.forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        labels.set(option, option.textContent);
      });
    });

    var params = new URLSearchParams(window.location.search);
    text.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
        select.value = wanted;
      }
    });
    var chosen = text.value || selects.some(function (select) { return select.value; });
    // On a phone the filters are folded under a button (ti.css): it unfolds them, and says how
    // many are chosen; a shared address with a filter shows them unfolded.
    var fold = form.querySelector(".ti-finder__volet button");
    var told = form.querySelector(".ti-finder__choisis");
    function unfold(open) {
      form.classList.toggle("ti-finder--ouvert", open);
      if (fold) fold.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function tell() {
      var n = selects.filter(function (select) { return select.value; }).length;
      if (told) told.textContent = n ? " : " + (n > 1 ? n + " choisis" : "1 choisi") : "";
    }
    if (fold) {
      fold.addEventListener("click", function () {
        unfold(!form.classList.contains("ti-finder--ouvert"));
      });
    }
    if (selects.some(function (select) { return select.value; })) unfold(true);
    tell();
    form.hidden = false; // (a page written before the form was: shown by the script)
    list.hidden = false;
    form.dataset.pret = "1";

    function filters() {
      var out = { type: "Fiche action" };
      selects.forEach(function (select) { if (select.value) out[select.name] = select.value; });
      return out;
    }

    function remember() {
      var next = new URLSearchParams();
      if (text.value.trim()) next.set("q", text.value.trim());
      selects.forEach(function (select) { if (select.value) next.set(select.name, select.value); });
      var query = next.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    // The number of actions each choice would leave, given the words and the other lists'
    // choices: a list with no choice counts within the results; a chosen list, within the
    // results of the same question without its own choice (``own``), so that its other
    // values say what choosing them instead would give.
    function counts(found, own) {
      selects.forEach(function (select) {
        var numbers = select.value ? own[select.name] || {} : (found.filters || {})[select.name] || {};
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) return;
          // own keys only: a value named « constructor » is no count
          var n = Object.prototype.hasOwnProperty.call(numbers, option.value) ? Number(numbers[option.value]) || 0 : 0;
          option.textContent = option.value + " (" + n.toLocaleString("fr-FR") + ")";
        });
      });
    }

    function card(data) {
      var meta = data.meta || {};
      // a harvested action (an index of the portal's own): its page is on its own site
      var href = meta.lien ? search.link(meta.lien, origins) : search.link(data.url);
      if (!href) return null;
      var li = document.createElement("li");
      li.className = "ti-finder__result";
      var title = document.createElement("a");
      title.href = href;
      title.className = "ti-finder__title";
      title.textContent = meta.title || href;
      var where = document.createElement("p");
      where.className = "ti-finder__meta";
      where.textContent = [meta.territoire, meta.statut, meta.echeance].filter(Boolean).join("\u00a0· ");
      var about = document.createElement("p");
      if (text.value.trim()) search.excerpt(data.excerpt, about);
      else about.textContent = meta.resume || "";
      li.appendChild(title);
      li.appendChild(where);
      li.appendChild(about);
      return li;
    }

    function showMore(focus) {
      var ticket = asked;
      var shownMore;
      if (!results) { // the page's first results: ask the index, then show as many more
        var wanted = shown + PAGE;
        var answer = ask();
        ticket = asked;
        shownMore = answer.then(function () {
          if (ticket !== asked) return;
          shown = 0;
          list.replaceChildren();
          return showBatch(false, wanted).then(function () {
            if (ticket !== asked) return;
            shownFor(ticket); // (it answers a choice made meanwhile too)
            var next = focus && list.children[wanted - PAGE];
            if (next) next.querySelector("a").focus();
          });
        });
      } else {
        shownMore = showBatch(focus, PAGE);
      }
      return shownMore.catch(function () { failed(ticket); });
    }

    function showBatch(focus, size) {
      var batch = results.slice(shown, shown + size);
      shown += batch.length;
      var ticket = asked;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
        if (ticket !== asked) return;
        var first = null;
        all.forEach(function (data) {
          var li = card(data);
          if (li) { list.appendChild(li); first = first || li.querySelector("a"); }
        });
        more.hidden = shown >= results.length;
        if (focus && first) first.focus();
      });
    }

    // The index's answer to the current choices; resolves with its ticket (a newer question
    // makes it stale).
    function ask() {
      asked += 1;
      var ticket = asked;
      var words = text.value.trim();
      return search
        .load()
        .then(function (pagefind) {
          if (!harvested) return pagefind;
          if (!merging) {
            var path = new URL(harvested, window.location.href).pathname;
            merging = pagefind.mergeIndex(path).then(function () { return pagefind; });
            merging.catch(function () { merging = null; });
          }
          return merging;
        })
        .then(function (pagefind) {
          // Pagefind counts the values of the filters whose index it has loaded: a search
          // loads only those it is asked for, and the others would all count 0
          if (!facets) {
            facets = pagefind.filters();
            facets.catch(function () { facets = null; }); // asked again by the next search
          }
          return facets.then(function () {
            var chosen = filters();
            var questions = [pagefind.search(words || null, { filters: chosen })];
            selects.forEach(function (select) {
              if (!select.value) return;
              var without = Object.assign({}, chosen);
              delete without[select.name];
              questions.push(pagefind.search(words || null, { filters: without }).then(function (other) {
                return [select.name, (other.filters || {})[select.name] || {}];
              }));
            });
            return Promise.all(questions);
          });
        })
        .then(function (answers) {
          if (ticket !== asked) return ticket;
          var found = answers[0];
          var own = {};
          answers.slice(1).forEach(function (pair) { own[pair[0]] = pair[1]; });
          results = found.results;
          counts(found, own);
          return ticket;
        });
    }

    // The list is being updated (aria-busy) from the moment a choice is made until the
    // results of the last one are shown, the wait before a typed word's search included.
    function busy() { list.setAttribute("aria-busy", "true"); }

    var FAILED = "La recherche n'a pas pu être chargée : les listes par région, priorité, axe et statut ci-dessous restent disponibles.";

    // The results of search ``ticket`` are on the list: when it answers the last choice (no
    // newer search, none waiting: a typed word, a reset), the status says so and the list is
    // no longer busy.
    function shownFor(ticket) {
      if (ticket !== asked || timer !== null || !list.hasAttribute("aria-busy")) return;
      var words = text.value.trim();
      status.textContent = results.length
        ? search.plural(results.length, "fiche action", "fiches actions") + (words ? " pour « " + words + " »" : "")
        : "Aucune fiche action ne correspond : retirez un filtre ou essayez un autre mot.";
      list.removeAttribute("aria-busy");
    }

    // Search ``ticket`` failed: said unless a newer search (or one waiting) will answer.
    function failed(ticket) {
      if (ticket !== asked || timer !== null) return;
      status.textContent = FAILED;
      list.removeAttribute("aria-busy");
    }

    function run() {
      window.clearTimeout(timer); // a typed word waiting: this search reads it too
      timer = null;
      remember();
      busy();
      status.textContent = "Recherche en cours…";
      var answer = ask();
      var ticket = asked;
      answer
        .then(function () {
          if (ticket !== asked) return;
          shown = 0;
          list.replaceChildren();
          return showBatch(false, PAGE).then(function () { shownFor(ticket); });
        })
        .catch(function () { failed(ticket); });
    }

    text.addEventListener("input", function () {
      busy();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        timer = null;
        run();
      }, 250);
    });
    selects.forEach(function (select) {
      select.addEventListener("change", function () { tell(); run(); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    form.addEventListener("reset", function () {
      busy();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { // once the form's fields are reset
        timer = null;
        selects.forEach(function (select) {
          Array.prototype.forEach.call(select.options, function (option) {
            option.textContent = labels.get(option);
          });
        });
        tell();
        run();
      }, 0);
    });
    more.addEventListener("click", function () {
      showMore(true);
    });
    if (chosen || !list.children.length) run(); // choices from a shared address
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
