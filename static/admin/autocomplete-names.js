/*
 * Names the admin's search-as-you-type boxes (Select2) after their field's label. Select2 gives
 * its inner text box role="textbox" but no name, which screen readers then announce as nothing.
 * Watches the page, as the admin creates those boxes after this script has run.
 */
(function () {
  "use strict";

  function labelFor(containerId) {
    var selectId = (containerId || "").replace(/^select2-/, "").replace(/-container$/, "");
    var label = selectId && document.querySelector("label[for='" + selectId + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameBoxes() {
    document.querySelectorAll(".select2-selection__rendered[role='textbox']").forEach(function (box) {
      var name = labelFor(box.id);
      if (name && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", name);
      }
    });
    // The closed box itself (role="combobox") is named by its current choice, which is empty
    // until something is chosen: name it after the field as well.
    document.querySelectorAll(".select2-selection[role='combobox']").forEach(function (box) {
      var name = labelFor(box.getAttribute("aria-labelledby"));
      if (name && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", name);
      }
    });
  }

  // The admin builds the boxes when the page is ready, and again for each inline row added.
  document.addEventListener("DOMContentLoaded", function () {
    nameBoxes();
    new MutationObserver(nameBoxes).observe(document.body, { childList: true, subtree: true });
  });
})();
