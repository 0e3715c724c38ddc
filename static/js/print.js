/* The dashboard's "print the report" button (the browser's own print works as well). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
