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

/* A code block wider than the page (the guide's examples on a phone) scrolls inside its box,
   like a wide table: it takes the keyboard focus, with a name (a group « Exemple de code,
   défilant »). The theme's script may make it focusable too, without a name; this does not
   depend on it. Blocks that fit are left alone. */
(function () {
  "use strict";
  function mark() {
    var blocks = document.querySelectorAll(".md-typeset pre > code");
    for (var i = 0; i < blocks.length; i++) {
      var code = blocks[i];
      var wraps = code.scrollWidth > code.clientWidth + 1;
      if (wraps && !code.hasAttribute("data-ti-scroll")) {
        var named = !code.hasAttribute("aria-label");
        code.setAttribute("data-ti-scroll", named ? "nomme" : "");
        code.setAttribute("tabindex", "0");
        code.setAttribute("role", "group");
        if (named) code.setAttribute("aria-label", "Exemple de code, défilant");
      } else if (!wraps && code.hasAttribute("data-ti-scroll")) {
        if (code.getAttribute("data-ti-scroll") === "nomme") code.removeAttribute("aria-label");
        code.removeAttribute("data-ti-scroll");
        code.removeAttribute("tabindex");
        code.removeAttribute("role");
      }
    }
  }
  function setup() { mark(); window.addEventListener("resize", mark); }
  if (document.readyState === "complete") setup();
  else window.addEventListener("load", setup);
})();

/* The side menu of a phone or tablet (Material's drawer, moved off screen while closed). The
   « Menu » button of the header opens it from the keyboard (the theme's control is a <label>,
   which takes no focus: it stays for browsers without script); while the menu is closed, it is
   inert (no Tab stop off screen); open, the rest of the page is inert, the focus goes to its
   first link and comes back to the button when it closes (Échap, the button, the overlay).
   Inside the menu, a section's level slides over the level above it: only the level shown
   takes the focus, and a « Retour » button (over the theme's arrow, a <label> too) goes up.
   On a wide screen the menu is a column of the page: nothing changes there. */
(function () {
  "use strict";
  var WIDE = window.matchMedia("(min-width: 76.25em)");  // Material's breakpoint
  var FOCUSABLE = "a[href], button:not([hidden]), input:not(.md-toggle), select, textarea, [tabindex]:not([tabindex='-1'])";
  function setup() {
    var toggle = document.getElementById("__drawer");
    var drawer = document.querySelector(".md-sidebar--primary");
    var root = drawer && drawer.querySelector("nav.md-nav--primary");
    var button = document.querySelector(".ti-menu");
    var label = document.querySelector('.md-header__button[for="__drawer"]');
    if (!toggle || !drawer || !root || !button) return;
    var made = [];  // what this script made inert while the menu is open
    drawer.id = drawer.id || "ti-menu";
    button.setAttribute("aria-controls", drawer.id);
    button.hidden = false;
    if (label) label.hidden = true;
    toggle.checked = false;  // a browser may restore the box when a visitor comes back

    // the box that shows a level of the menu (an <input> beside its <nav>), if it has one
    function boxOf(nav) {
      return nav.parentElement && nav.parentElement.querySelector(":scope > input.md-nav__toggle");
    }
    function shown(nav) {
      for (var n = nav; n && n !== root; n = n.parentElement.closest("nav.md-nav")) {
        var box = boxOf(n);
        if (!box || !box.checked) return false;
      }
      return true;
    }
    // the deepest level shown: it covers the levels above it
    function panel() {
      var navs = root.querySelectorAll("nav.md-nav");
      var best = root;
      for (var i = 0; i < navs.length; i++) if (best.contains(navs[i]) && shown(navs[i])) best = navs[i];
      return best;
    }
    function makeInert(el) {
      if (el.inert || el.matches(".md-toggle, .md-overlay, script")) return;
      el.inert = true;
      made.push(el);
    }
    function siblingsInert(from, top) {
      for (var node = from; node && node !== top; node = node.parentElement) {
        var siblings = node.parentElement ? node.parentElement.children : [];
        for (var i = 0; i < siblings.length; i++) if (siblings[i] !== node) makeInert(siblings[i]);
      }
    }
    function release() {
      made.forEach(function (el) { el.inert = false; });
      made = [];
    }
    function backButton(nav) {
      var title = nav.querySelector(":scope > label.md-nav__title[for]");
      if (!title || nav === root) return null;
      var back = nav.querySelector(":scope > .ti-menu-retour");
      if (!back) {
        back = document.createElement("button");
        back.type = "button";
        back.className = "ti-menu-retour";
        var up = nav.parentElement.closest("nav.md-nav");
        var name = up && up.querySelector(":scope > .md-nav__title");
        var span = document.createElement("span");
        span.className = "ti-sr";
        span.textContent = "Retour" + (name ? "\u00a0: " + name.textContent.trim() : "");
        back.appendChild(span);
        back.addEventListener("click", function () { title.click(); });
        nav.insertBefore(back, title);
      }
      return back;
    }
    function sync() {
      var open = toggle.checked && !WIDE.matches;
      drawer.inert = !WIDE.matches && !toggle.checked;
      release();
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) return null;
      siblingsInert(drawer, document.body);  // the page behind the menu
      var level = panel();
      siblingsInert(level, drawer);  // the levels it covers
      var hidden = level.querySelectorAll("nav.md-nav");  // the levels still to open
      for (var i = 0; i < hidden.length; i++) if (!shown(hidden[i])) makeInert(hidden[i]);
      backButton(level);
      return level;
    }
    function focusIn(level) {
      var target = level.querySelector(FOCUSABLE);
      if (target) target.focus();
    }
    function set(open) {
      if (toggle.checked === open) return;
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));  // the theme listens too
    }
    toggle.addEventListener("change", function () {
      var wasInside = drawer.contains(document.activeElement);
      var level = sync();
      if (level) focusIn(level);
      else if (wasInside || document.activeElement === document.body) button.focus();
    });
    // a level opened or closed inside the menu: the focus goes to the level now shown
    root.addEventListener("change", function (event) {
      if (!event.target.matches("input.md-nav__toggle") || !toggle.checked) return;
      var opener = event.target.checked ? null : document.querySelector('label[for="' + event.target.id + '"][tabindex]');
      var level = sync();
      if (opener && !opener.closest("[inert]")) opener.focus();
      else if (level) focusIn(level);
    });
    // the theme's control that opens a section's level is a <label> with a tab stop, and no
    // name: Entrée or Espace open the level, the section's name is given
    var openers = root.querySelectorAll("label.md-nav__link[for][tabindex]");
    for (var i = 0; i < openers.length; i++) {
      var opener = openers[i];
      var link = opener.parentElement.querySelector(":scope > a.md-nav__link");
      if (link && !opener.textContent.trim()) {
        var name = document.createElement("span");
        name.className = "ti-sr";
        name.textContent = link.textContent.trim();
        opener.appendChild(name);
      }
      opener.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();  // the theme's own handler of Entrée would open it twice
        event.currentTarget.click();
      });
    }
    button.addEventListener("click", function () { set(!toggle.checked); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked && !WIDE.matches) {
        event.preventDefault();
        set(false);
      }
    });
    WIDE.addEventListener("change", sync);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) set(false);  // back to a page kept in memory: menu closed
    });
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
