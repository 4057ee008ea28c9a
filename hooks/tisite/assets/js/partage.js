/* Copy buttons of the share box: hidden without JavaScript (the link and the text stay
   readable and selectable), shown and wired when the Clipboard API is available. */
(function () {
  "use strict";

  function copyText(text, status) {
    var done = function (ok) {
      if (status) status.textContent = ok ? "Copié dans le presse-papiers." : "Copie impossible : sélectionnez le texte.";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  function setup() {
    var buttons = document.querySelectorAll("button.ti-copy");
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var box = button.closest(".ti-share");
        var status = box ? box.querySelector(".ti-copy-status") : null;
        var target = button.getAttribute("data-copy-target");
        var text = target ? document.getElementById(target).value : button.getAttribute("data-copy");
        copyText(text, status);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
