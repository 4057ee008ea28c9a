/* Site search, with the index Pagefind writes after the build (tisite/searchindex.py).

   Nothing of the index is fetched before the visitor types or picks a filter: then the
   Pagefind script of the site (pagefind/pagefind.js), its WebAssembly module and only the index
   chunks the words need. The dialog opens with the header's button or the « / » and « s » keys;
   the arrow keys walk the results; Échap closes it.

   Texts of results come from the content: they are written as text, never as HTML. The only
   markup kept is the highlighting of the excerpt, rebuilt from Pagefind's <mark> tags.

   window.tiRecherche (load, excerpt, link) is shared with the action finder (trouveur.js). */
(function () {
  "use strict";
  var FILTERS = [
    ["type", "Type de page"],
    ["region", "Région"],
    ["territoire", "Territoire"],
    ["priorite", "Priorité"],
    ["axe", "Axe"],
    ["statut", "Statut"]
  ];
  var PAGE = 10;
  var GUIDE = "Guide de contribution"; // the guide's type (tisite.publish.searchindex.GUIDE)
  var loading = null;

  function siteRoot() {
    var dialog = document.getElementById("ti-recherche");
    var racine = (dialog && dialog.getAttribute("data-racine")) || ".";
    return new URL(racine.replace(/\/?$/, "/"), window.location.href);
  }

  function load() {
    if (!loading) {
      var root = siteRoot();
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        // noWorker: the search runs in the page; a worker would download Pagefind's code twice
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true }).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Pagefind's excerpt: the page's text with < and > escaped (nothing else) and <mark> around
  // the words found. Those two are decoded here; nothing of it is ever parsed as HTML.
  function decode(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }
  function excerpt(text, into) {
    var marked = false;
    String(text || "").split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      var plain = decode(part);
      if (!plain) return;
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = plain;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(plain));
      }
    });
  }

  // A result's address, if it is one of the site's pages: a path of this site (a name such as
  // « /\\autre.example » would be read by the browser as another host). On a national portal,
  // the action finder also gives ``origins``: the sites of its harvested territories, whose
  // actions are linked there by absolute address.
  function link(url, origins) {
    if (origins && typeof url === "string" && /^https?:\/\//.test(url)) {
      try {
        var away = new URL(url);
        return origins.indexOf(away.origin) >= 0 ? away.href : null;
      } catch (e) {
        return null;
      }
    }
    if (typeof url !== "string" || !/^\/(?![\/\\])/.test(url)) return null;
    try {
      var target = new URL(url, window.location.href);
      return target.origin === window.location.origin ? target.href : null;
    } catch (e) {
      return null;
    }
  }

  function plural(n, one, many) {
    return n.toLocaleString("fr-FR") + "\u00a0" + (n > 1 ? many : one);
  }

  window.tiRecherche = { load: load, excerpt: excerpt, link: link, plural: plural };

  function setup() {
    var dialog = document.getElementById("ti-recherche");
    var opener = document.querySelector(".ti-recherche__ouvrir");
    if (!dialog || !opener || typeof dialog.showModal !== "function") return;
    var form = dialog.querySelector("form");
    var input = dialog.querySelector(".ti-recherche__texte");
    var status = dialog.querySelector(".ti-recherche__etat");
    var list = dialog.querySelector(".ti-recherche__resultats");
    var filtersBox = dialog.querySelector(".ti-recherche__filtres");
    var filtersGrid = filtersBox.querySelector("div");
    var selects = {};
    var results = [];
    var shown = 0;
    var more = null;
    var asked = 0;

    // where the focus was when the search opened (the button, or a link the « / » key was
    // pressed from): it goes back there when the search closes
    var before = opener;

    function open() {
      if (dialog.open) return;
      var active = document.activeElement;
      before = active && active !== document.body && active.focus ? active : opener;
      dialog.showModal();
      input.focus();
      input.select();
    }
    function back() {
      var target = before && before.isConnected ? before : opener;
      target.focus();
    }
    // the focus goes back at once (the dialog's close event comes a task later)
    function close() {
      if (!dialog.open) return;
      dialog.close();
      back();
    }

    opener.addEventListener("click", open);
    dialog.querySelector(".ti-recherche__fermer").addEventListener("click", close);
    dialog.addEventListener("close", back);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) close(); // a click on the backdrop
    });
    // The « / » and « s » keys open the search; a box of the dialog turns them off (kept in
    // this browser only), for those whose tools type single letters (WCAG 2.1.4).
    var shortcuts = dialog.querySelector(".ti-recherche__raccourcis input");
    var STORE = "ti-recherche-raccourcis";
    try { shortcuts.checked = window.localStorage.getItem(STORE) !== "non"; } catch (e) { /* private mode */ }
    shortcuts.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, shortcuts.checked ? "oui" : "non"); } catch (e) { /* private mode */ }
    });
    document.addEventListener("keydown", function (event) {
      if (!shortcuts.checked || dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== "/" && event.key !== "s") return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      open();
    });

    function chosen() {
      var filters = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) filters[name] = selects[name].value;
      });
      return filters;
    }

    var filtersReady = null;
    function buildFilters(pagefind) {
      if (!filtersReady) filtersReady = pagefind.filters().then(function (all) {
        FILTERS.forEach(function (pair) {
          var values = Object.keys(all[pair[0]] || {}).sort(function (a, b) { return a.localeCompare(b, "fr"); });
          if (values.length < 2) return;
          var label = document.createElement("label");
          label.textContent = pair[1];
          var select = document.createElement("select");
          select.name = pair[0];
          var any = document.createElement("option");
          any.value = "";
          any.textContent = "Tout";
          select.appendChild(any);
          values.forEach(function (value) {
            var option = document.createElement("option");
            option.value = value;
            option.textContent = value;
            select.appendChild(option);
          });
          select.addEventListener("change", run);
          label.appendChild(select);
          filtersGrid.appendChild(label);
          selects[pair[0]] = select;
        });
        filtersBox.hidden = !filtersGrid.childElementCount;
      });
      return filtersReady;
    }

    function item(data) {
      // a portal's harvested action (merged by the action finder): not a page of this site
      if (data.meta && data.meta.lien) return null;
      var href = link(data.url);
      if (!href) return null;
      var meta = data.meta || {};
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href;
      var kind = document.createElement("span");
      kind.className = "ti-recherche__genre";
      kind.textContent = [meta.type, meta.territoire].filter(Boolean).join("\u00a0· ");
      var name = document.createElement("span");
      name.className = "ti-recherche__nom";
      name.textContent = meta.title || href;
      var text = document.createElement("span");
      text.className = "ti-recherche__extrait";
      excerpt(data.excerpt, text);
      a.appendChild(kind);
      a.appendChild(name);
      a.appendChild(text);
      li.appendChild(a);
      return li;
    }

    function showMore() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      var ticket = asked;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
        if (ticket !== asked) return;
        var first = null;
        all.forEach(function (data) {
          var li = item(data);
          if (li) { list.appendChild(li); first = first || li.querySelector("a"); }
        });
        if (more) { more.remove(); more = null; }
        if (shown < results.length) {
          more = document.createElement("button");
          more.type = "button";
          more.className = "md-button ti-recherche__plus";
          more.textContent = "Afficher plus de résultats";
          more.addEventListener("click", function () {
            showMore().then(function (firstNew) { if (firstNew) firstNew.focus(); });
          });
          list.after(more);
        }
        return first;
      });
    }

    function run() {
      var text = input.value.trim();
      var filters = chosen();
      asked += 1;
      var ticket = asked;
      if (!text && !Object.keys(filters).length) {
        list.replaceChildren();
        if (more) { more.remove(); more = null; }
        status.textContent = "";
        return;
      }
      status.textContent = "Recherche en cours…";
      load()
        .then(function (pagefind) {
          return buildFilters(pagefind).then(function () {
            if (filters.type) return pagefind.debouncedSearch(text || null, { filters: filters }, 200);
            // the contributors' guide after every page for visitors (its long reference of the
            // fields names every subject), unless its type is the one asked for
            var visitors = Object.assign({}, filters, { not: { type: GUIDE } });
            var guide = Object.assign({}, filters, { type: GUIDE });
            return pagefind.debouncedSearch(text || null, { filters: visitors }, 200).then(function (search) {
              if (search === null) return null;
              return pagefind.search(text || null, { filters: guide }).then(function (more) {
                return { results: search.results.concat(more.results) };
              });
            });
          });
        })
        .then(function (search) {
          if (search === null || ticket !== asked) return; // a newer search replaced it
          results = search.results;
          shown = 0;
          list.replaceChildren();
          // the count is announced once the results it counts are there
          return showMore().then(function () {
            if (ticket !== asked) return;
            status.textContent = results.length
              ? plural(results.length, "résultat", "résultats") + (text ? " pour « " + text + " »" : "")
              : "Aucun résultat" + (text ? " pour « " + text + " »" : "") + ". Essayez un autre mot ou retirez un filtre.";
          });
        })
        .catch(function () {
          status.textContent = "La recherche n'a pas pu être chargée : vérifiez votre connexion, puis rechargez la page.";
        });
    }

    input.addEventListener("input", run);
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // Entrée : ouvre le premier résultat
      var first = list.querySelector("a");
      if (first) first.click();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { // even from the search field, which would only clear itself
        event.preventDefault();
        close();
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) return;
      var index = links.indexOf(document.activeElement);
      if (document.activeElement === input) index = -1;
      else if (index < 0) return; // a select keeps its own arrows
      var next = index + (event.key === "ArrowDown" ? 1 : -1);
      event.preventDefault();
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    });
    // last: the button shows once the search works, its keys listened to
    opener.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
