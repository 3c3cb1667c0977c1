/* Reader forms (comments, topic suggestions): reCAPTCHA v3 on demand, remembered name and
 * email, focus on the error summary. Works on any <form data-recaptcha-action="...">.
 * Google's script loads only when a reader starts a form, and the token is fetched at
 * submit time (tokens expire after two minutes). If Google cannot be reached in 4 seconds
 * the form is sent without a token and the clinic reviews it by hand. */
(function () {
  "use strict";

  var STORAGE_KEY = "clinic.reader";
  var LOAD_TIMEOUT_MS = 4000;
  var scriptState = null; // null, "loading", "ready" or "failed"
  var waiting = [];

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function loadRecaptcha(siteKey) {
    if (scriptState) { return; }
    scriptState = "loading";
    var script = document.createElement("script");
    script.src = "https://www.google.com/recaptcha/api.js?render=" + encodeURIComponent(siteKey);
    script.async = true;
    script.onload = function () {
      window.grecaptcha.ready(function () { scriptState = "ready"; flush(); });
    };
    script.onerror = function () { scriptState = "failed"; flush(); };
    document.head.appendChild(script);
  }

  function flush() {
    var callbacks = waiting;
    waiting = [];
    callbacks.forEach(function (callback) { callback(); });
  }

  function whenRecaptchaSettles(callback) {
    if (scriptState === "ready" || scriptState === "failed") { callback(); return; }
    waiting.push(callback);
  }

  function rememberReader(form) {
    var store = storage();
    var toggle = form.querySelector("[data-remember-toggle]");
    if (!store || !toggle) { return; }
    var fields = form.querySelectorAll("[data-remember]");
    if (toggle.checked) {
      var saved = {};
      fields.forEach(function (field) { saved[field.getAttribute("data-remember")] = field.value; });
      store.setItem(STORAGE_KEY, JSON.stringify(saved));
    } else {
      store.removeItem(STORAGE_KEY);
    }
  }

  function restoreReader(form) {
    var store = storage();
    var toggle = form.querySelector("[data-remember-toggle]");
    if (!store || !toggle) { return; }
    var saved;
    try { saved = JSON.parse(store.getItem(STORAGE_KEY) || "null"); } catch (error) { saved = null; }
    if (!saved) { return; }
    form.querySelectorAll("[data-remember]").forEach(function (field) {
      var value = saved[field.getAttribute("data-remember")];
      if (value && !field.value) { field.value = value; }
    });
    toggle.checked = true;
  }

  function setUp(form) {
    // Several forms may each include this script (article page: comment form and topic call-to-action).
    if (form.hasAttribute("data-form-ready")) { return; }
    form.setAttribute("data-form-ready", "");
    var action = form.getAttribute("data-recaptcha-action");
    var siteKey = form.getAttribute("data-recaptcha-sitekey");
    var tokenInput = form.querySelector("[data-recaptcha-token]");
    var sending = false;

    restoreReader(form);

    if (siteKey) {
      var start = function () { loadRecaptcha(siteKey); };
      form.addEventListener("focusin", start, { once: true });
      form.addEventListener("input", start, { once: true });
    }

    form.addEventListener("submit", function (event) {
      rememberReader(form);
      if (!siteKey || !tokenInput) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      var sent = false;
      var send = function () {
        if (sent) { return; }
        sent = true;
        HTMLFormElement.prototype.submit.call(form);
      };
      var timer = window.setTimeout(send, LOAD_TIMEOUT_MS);
      loadRecaptcha(siteKey);
      whenRecaptchaSettles(function () {
        if (scriptState !== "ready") { window.clearTimeout(timer); send(); return; }
        window.grecaptcha.execute(siteKey, { action: action }).then(function (token) {
          tokenInput.value = token;
          window.clearTimeout(timer);
          send();
        }, function () { window.clearTimeout(timer); send(); });
      });
    });

    var summary = form.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.querySelectorAll("form[data-recaptcha-action]").forEach(setUp);
}());
