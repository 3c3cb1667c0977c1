// Once a new passkey is saved, reload the security page so it is listed with the others.
const status = document.getElementById("passkey-register-status-message");
const watch = (target) =>
  new MutationObserver(() => {
    if (target.getAttribute("data-status-enum") === "success") window.location.reload();
  }).observe(target, { attributes: true, attributeFilter: ["data-status-enum"] });
if (status) {
  watch(status);
} else {
  new MutationObserver((_records, observer) => {
    const added = document.getElementById("passkey-register-status-message");
    if (added) {
      observer.disconnect();
      watch(added);
    }
  }).observe(document.body, { childList: true, subtree: true });
}
