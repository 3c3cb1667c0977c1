/* A long table of contents is a <details> box, closed so that the article starts on the first
 * screen of a phone. Where there is room beside the text it opens by itself. Without this
 * script it stays closed and opens with a tap or click. */
(function () {
  "use strict";

  var WIDE = "(min-width: 48em)";

  function openWhenWide() {
    if (!window.matchMedia || !window.matchMedia(WIDE).matches) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (details) {
      details.open = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openWhenWide);
  } else {
    openWhenWide();
  }
})();
