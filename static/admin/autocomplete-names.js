/*
 * Names the admin's search-as-you-type boxes (Select2) after their field's label. Select2 gives
 * its inner text box role="textbox" but no name, which screen readers then announce as nothing.
 * Watches the page, as the admin creates those boxes after this script has run.
 */
(function () {
  "use strict";

  function nameBoxes() {
    document.querySelectorAll(".select2-selection__rendered[role='textbox']").forEach(function (box) {
      var selectId = box.id.replace(/^select2-/, "").replace(/-container$/, "");
      var label = document.querySelector("label[for='" + selectId + "']");
      if (label && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }

  // The admin builds the boxes when the page is ready, and again for each inline row added.
  document.addEventListener("DOMContentLoaded", function () {
    nameBoxes();
    new MutationObserver(nameBoxes).observe(document.body, { childList: true, subtree: true });
  });
})();
