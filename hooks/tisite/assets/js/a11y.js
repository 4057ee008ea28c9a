/* Accessibility fix for the theme: Material's search overlay has role="dialog" without an
   accessible name; give it one. */
(function () {
  "use strict";
  function setup() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Recherche dans le site");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

/* Identifiers written by contributors carry the "uc-" prefix (see tisite/sanitize.py) so that
   they can't replace an element of the theme. Links written without it, and addresses shared
   before, still reach their section. */
(function () {
  "use strict";
  function follow() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!id || document.getElementById(id)) return;
    var target = document.getElementById("uc-" + id);
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", follow);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
  else follow();
})();

/* A table wider than the page scrolls inside its box (the theme makes the table the scrolling
   element): it becomes reachable with the keyboard, named after its caption, and a visible
   line says it scrolls. Tables that fit are left alone. */
(function () {
  "use strict";
  function mark() {
    var tables = document.querySelectorAll(".md-typeset table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var wraps = table.scrollWidth > table.clientWidth + 1;
      var hint = table.previousElementSibling;
      var hasHint = hint && hint.classList.contains("ti-scroll-hint");
      if (wraps && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-ti-scroll", "");
        var caption = table.querySelector("caption");
        if (!table.hasAttribute("aria-label") && !caption) table.setAttribute("aria-label", "Tableau défilant");
        if (!hasHint) {
          var p = document.createElement("p");
          p.className = "ti-scroll-hint";
          p.textContent = "Tableau plus large que l'écran : faites-le défiler horizontalement.";
          table.parentNode.insertBefore(p, table);
        }
      } else if (!wraps && table.hasAttribute("data-ti-scroll")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-ti-scroll");
        if (hasHint) hint.remove();
      }
    }
  }
  function setup() { mark(); window.addEventListener("resize", mark); }
  if (document.readyState === "complete") setup();
  else window.addEventListener("load", setup);
})();
