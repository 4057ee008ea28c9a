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
