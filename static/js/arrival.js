/* After a form is sent, focus goes where the reader is sent: the confirmation or the reader's
 * own held comment (elements marked data-arrival, with tabindex="-1"). The address's fragment
 * already scrolls there without JavaScript; focus also brings screen readers there. */
(function () {
  "use strict";
  var id = window.location.hash.slice(1);
  var named = null;
  try { named = id ? document.getElementById(decodeURIComponent(id)) : null; } catch (error) { named = null; }
  var target = named && named.matches("[data-arrival]") ? named : null;
  if (!target && named) { target = named.querySelector("[data-arrival]"); }
  if (!target) { target = document.querySelector("[data-arrival]"); }
  if (target && !document.querySelector("[data-error-summary]")) { target.focus(); }
}());
