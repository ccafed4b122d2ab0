/* Wuyi's page behaviour, kept out of the templates so that the Content-Security-Policy can forbid
   inline script (no 'unsafe-inline'): templates mark elements with data attributes instead.

   data-confirm="question"  on a <form>: ask before submitting; Cancel keeps the page as it is.
   data-autosubmit          on a <select> (or any form control): submit its form when it changes.
   data-select-on-click     on an <input>: select its whole value on click (an address to copy).

   Listeners sit on the document, so content that htmx swaps in later behaves the same. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (!control.hasAttribute || !control.hasAttribute("data-autosubmit") || !control.form) {
      return;
    }
    // requestSubmit fires the submit event (so data-confirm and htmx see it); submit() would not.
    if (typeof control.form.requestSubmit === "function") {
      control.form.requestSubmit();
    } else {
      control.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-select-on-click") && input.select) {
      input.select();
    }
  });
})();
