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
