/* Filter panels (<details data-wide-open>) open on wide screens, where the filters sit beside
   the results; on phones they stay folded behind their summary, which shows the result count.
   Without this script the panel simply starts folded. */
(function () {
  var wide = window.matchMedia("(min-width: 48rem)");
  function openWhenWide() {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-wide-open]").forEach(function (panel) {
      panel.open = true;
    });
  }
  document.addEventListener("DOMContentLoaded", openWhenWide);
  wide.addEventListener("change", openWhenWide);
})();
