/* Warns a reader, while they type, that their text seems to hold a phone number, an email
 * address, a date of birth, a home address or a record number. A simpler copy of the rules in
 * submissions/personal_details.py: the server checks again and holds such posts for a moderator,
 * so a rule missed here only means the warning comes after posting. Nothing leaves the page.
 * The warning is an aria-live region beside the field ([data-privacy-warning-for]). */
(function () {
  "use strict";
  if (window.clinicPrivacyGuard) { return; }
  window.clinicPrivacyGuard = true;

  var MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
  var DAY = "(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?";
  var NUMERIC_DATE = "(?:0?[1-9]|[12]\\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\\d{4}|\\d{2})";
  var ANY_DATE = "(?:" + NUMERIC_DATE + "|" + DAY + "\\s+(?:of\\s+)?" + MONTH + "|" + MONTH + "\\s+" + DAY + ")";
  var STREET = "(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Crescent|Court|Ct|Place|Terrace|Grove|Gardens|Boulevard|Blvd|Square|Mews)";

  var RULES = [
    ["email", /[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
    ["recordNumber", /\b(?:MRN|insurance\s+(?:id|no\.?|number)|NHS\s*(?:no\.?|number)?|hospital\s+(?:no\.?|number)|patient\s+(?:id|number)|policy\s*(?:no\.?|number)?|member(?:ship)?\s*(?:id|number))\s*(?:is\s+|:|#)?\s*[A-Z]{0,4}-?\d[\d\s-]{4,}/i],
    ["dateOfBirth", new RegExp("\\b(?:born|d\\.?o\\.?b\\.?|date\\s+of\\s+birth|birth\\s*day)(?:\\s+\\w+){0,3}?[\\s:,-]*" + ANY_DATE, "i")],
    ["dateOfBirth", new RegExp("(?:^|[^\\w/.-])(?:(?:0?[1-9]|[12]\\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-]|" + DAY + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+)(?:19\\d\\d|200\\d)(?![\\w/])", "i")],
    ["phone", /(?:\+|\b00)\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}/],
    ["phone", /(?:^|[^\w/.-])\(?0\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\d/])/],
    ["phone", /(?:^|[^\w/.-])(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d/])/],
    ["address", new RegExp("\\b\\d{1,5}[A-Za-z]?,?\\s+(?:[A-Z][a-z']+\\s+){1,3}" + STREET + "\\b")],
    ["address", new RegExp("\\b(?:live|living|lives)\\s+at\\s+\\d{1,5}[A-Za-z]?\\s+(?:[\\w']+\\s+){0,3}" + STREET + "\\b", "i")],
    ["address", /\b(?:postcode|post code|address|zip)\b[^.]{0,40}\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{5}(?:-\d{4})?)\b/i]
  ];

  function digitCount(text) { return (text.match(/\d/g) || []).length; }

  function kindsIn(text) {
    var kinds = [];
    RULES.forEach(function (rule) {
      var match = rule[1].exec(text);
      if (!match || kinds.indexOf(rule[0]) !== -1) { return; }
      if (rule[0] === "phone" && digitCount(match[0]) < (/^\D*(\+|00)/.test(match[0]) ? 8 : 10)) { return; }
      kinds.push(rule[0]);
    });
    return kinds;
  }

  function listOf(labels, and) {
    if (labels.length < 2) { return labels.join(""); }
    return labels.slice(0, -1).join(", ") + " " + and + " " + labels[labels.length - 1];
  }

  function watch(region) {
    var field = document.getElementById(region.getAttribute("data-privacy-warning-for"));
    if (!field) { return; }
    var shown = "";
    var timer = null;
    var check = function () {
      var kinds = kindsIn(field.value);
      var text = "";
      if (kinds.length) {
        var labels = kinds.map(function (kind) { return region.dataset[kind]; });
        text = region.getAttribute("data-privacy-text").replace("%(found)s", listOf(labels, region.dataset.and));
      }
      if (text === shown) { return; }
      shown = text;
      region.textContent = text;
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== region.id;
      });
      if (text) { described.push(region.id); }
      field.setAttribute("aria-describedby", described.join(" "));
    };
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 500);
    });
    field.addEventListener("blur", check);
    if (field.value) { check(); }
  }

  document.querySelectorAll("[data-privacy-warning-for]").forEach(watch);
}());
