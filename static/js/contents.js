/* A long table of contents is a <details> box, closed so that the article starts on the first
 * screen of a phone. Where there is room beside the text it opens by itself. Without this
 * script it stays closed and opens with a tap or click. Loaded with defer: the page is parsed
 * when it runs. */
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(min-width: 48em)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }
}());
