/* Filters of the action-plan index. Progressive enhancement: without JavaScript the form stays
   hidden and every action is listed. Filter state is mirrored in the URL query string so that a
   filtered view can be shared. */
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector("form.ti-filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var cards = Array.prototype.slice.call(document.querySelectorAll(".ti-action-card"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
    var count = document.querySelector(".ti-filter-count");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var labels = new Map(); // each choice's own label, before its count
    selects.forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) { labels.set(o, o.textContent); });
    });

    function matches(card, name, value) {
      if (!value) return true;
      var raw = card.getAttribute("data-" + name) || "";
      if (name === "epci" && raw === "*") return true; // concerns the whole territory
      return raw.split(" ").indexOf(value) !== -1 || raw === value;
    }

    // How many actions each choice would leave, given the other filters' choices.
    function counts() {
      selects.forEach(function (s) {
        Array.prototype.forEach.call(s.options, function (o) {
          if (!o.value) return;
          var n = cards.filter(function (card) {
            return selects.every(function (other) {
              return matches(card, other.name, other === s ? o.value : other.value);
            });
          }).length;
          o.textContent = labels.get(o) + " (" + n.toLocaleString("fr-FR") + ")";
        });
      });
    }

    function apply(updateUrl) {
      var shown = 0;
      cards.forEach(function (card) {
        var ok = selects.every(function (s) { return matches(card, s.name, s.value); });
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      counts();
      groups.forEach(function (group) {
        var all = group.querySelectorAll(".ti-action-card").length;
        var left = group.querySelectorAll(".ti-action-card:not([hidden])").length;
        group.hidden = !left;
        // the heading's count follows the filters (« 1 action sur 2 »), its own when all show
        var small = group.querySelector("h3 small");
        if (small) {
          if (!small.dataset.total) small.dataset.total = small.textContent;
          small.textContent = left === all
            ? small.dataset.total
            : "(" + left + (left > 1 ? " actions" : " action") + " sur " + all + ")";
        }
      });
      if (count) {
        count.textContent = shown
          ? shown + (shown > 1 ? " actions affichées" : " action affichée") + " sur " + cards.length + "."
          : (cards.length > 1 ? "Aucune des " + cards.length + " actions ne correspond" : "L'action ne correspond pas") +
            " à ces filtres : retirez-en un, ou « Réinitialiser les filtres ».";
      }
      if (updateUrl && window.history && window.history.replaceState) {
        var params = new URLSearchParams();
        selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
        var query = params.toString();
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      }
    }

    var initial = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var wanted = initial.get(s.name);
      if (wanted && s.querySelector('option[value="' + CSS.escape(wanted) + '"]')) s.value = wanted;
      s.addEventListener("change", function () { apply(true); });
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(true); }, 0);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // open on a desktop; on a phone, folded unless the address carries a filter
    var folded = form.querySelector("details.ti-filters__volet");
    if (folded) {
      folded.open = !window.matchMedia("(max-width: 44.9375em)").matches ||
        selects.some(function (s) { return s.value; });
    }
    form.hidden = false;
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
