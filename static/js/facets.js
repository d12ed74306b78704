/* The search page's filters: folded on phones, where they sit above the results; open beside
 * them on wider screens. Loaded (not deferred) right after the panel, so it folds before the
 * first paint; without JavaScript the panel stays open. */
(function () {
  "use strict";
  var panel = document.currentScript && document.currentScript.previousElementSibling;
  if (panel && panel.tagName === "DETAILS" && matchMedia("(max-width: 48rem)").matches) panel.open = false;
})();
