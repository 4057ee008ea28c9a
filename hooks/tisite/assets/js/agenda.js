/* The agenda moves by itself: entries whose last day has passed since the site was built go
   from « À venir » to « Passés » (newest first), and the page says today's date. Without
   script, the split made at the build (rebuilt every night) stays. */
(function () {
  "use strict";
  function isoToday() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function refreshEmpty(list) {
    var empty = list.nextElementSibling;
    if (empty && empty.classList.contains("ti-agenda-vide")) empty.hidden = list.children.length > 0;
  }
  function setup() {
    var upcoming = document.getElementById("ti-a-venir");
    var past = document.getElementById("ti-passes");
    if (!upcoming || !past) return;
    var today = isoToday();
    var items = Array.prototype.slice.call(upcoming.children);
    for (var i = 0; i < items.length; i++) {
      var fin = items[i].getAttribute("data-fin");
      if (fin && fin < today) past.insertBefore(items[i], past.firstChild);
    }
    refreshEmpty(upcoming);
    refreshEmpty(past);
    var day = document.querySelector(".ti-agenda-jour");
    if (day) {
      var now = new Date();
      var text = now.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" });
      // the first of a month is written « 1er » (as the build writes it)
      day.textContent = now.getDate() === 1 ? text.replace(/^1(?=\s)/, "1er") : text;
      day.setAttribute("datetime", today);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
