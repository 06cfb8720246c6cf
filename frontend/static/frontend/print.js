/* The invoice page's print button: shown only when this script runs (no inline handlers, so a
   strict Content-Security-Policy holds). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
