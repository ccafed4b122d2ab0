/* Wuyi's page behaviour, kept out of the templates so that the Content-Security-Policy can forbid
   inline script (no 'unsafe-inline'): templates mark elements with data attributes instead.

   data-confirm="question"  on a <form>: ask before submitting; Cancel keeps the page as it is, OK adds
                            confirm=yes to the form (core/confirm.py: the server then does not ask
                            again on a page of its own, which is what a browser without script sees).
   data-autosubmit          on a <select> (or any form control): submit its form when it changes.
   data-select-on-click     on an <input>: select its whole value on click (an address to copy).
   data-budget-totals       a budget's running totals (S3.2): the inputs marked data-budget-amount
                            ("income" or "expenditure") and data-budget-carryover of the same form
                            are added up while the drafter types; data-budget-total="income|
                            expenditure|carryover|balance" show the sums, data-budget-verdict says
                            whether income plus carryover cover the expenditure (its data-balanced,
                            data-surplus and data-deficit hold the sentences in the page's language).

   Listeners sit on the document, so content that htmx swaps in later behaves the same. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (!question) {
      return;
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (!form.querySelector("input[name=confirm]")) {
      var answer = document.createElement("input");
      answer.type = "hidden";
      answer.name = "confirm";
      answer.value = "yes";
      form.appendChild(answer);
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

/* A budget's running totals (S3.2: expenditure may not exceed income plus the funds rolled over).
   Amounts are read as the server reads them (workflows/amounts.py): full-width digits and commas,
   thousands separators, a trailing 元; anything else counts as nothing until it is corrected. Sums
   are kept in fen (integers), so 0.1 + 0.2 is 0.30. */
(function () {
  "use strict";

  var FULL_WIDTH = { "．": ".", "，": ",", "－": "-", "−": "-" };
  var AMOUNT = /^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?$/;

  function fen(raw) {
    var text = String(raw || "").trim().replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48);
    }).replace(/[．，－−]/g, function (c) { return FULL_WIDTH[c]; }).replace(/元$/, "").trim();
    var match = AMOUNT.exec(text);
    if (!match) {
      return 0;
    }
    var cents = (match[2] || "").concat("00").slice(0, 2);
    return parseInt(match[1].replace(/,/g, ""), 10) * 100 + parseInt(cents, 10);
  }

  function yuan(amount) {
    var sign = amount < 0 ? "-" : "";
    var whole = String(Math.floor(Math.abs(amount) / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = String(Math.abs(amount) % 100);
    return sign + whole + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  function refresh(box) {
    var form = box.closest("form");
    if (!form) {
      return;
    }
    var sums = { income: 0, expenditure: 0, carryover: 0 };
    form.querySelectorAll("[data-budget-amount]").forEach(function (input) {
      var kind = input.getAttribute("data-budget-amount");
      if (kind in sums) {
        sums[kind] += fen(input.value);
      }
    });
    form.querySelectorAll("[data-budget-carryover]").forEach(function (input) {
      sums.carryover += fen(input.value);
    });
    sums.balance = sums.income + sums.carryover - sums.expenditure;
    box.querySelectorAll("[data-budget-total]").forEach(function (cell) {
      cell.textContent = yuan(sums[cell.getAttribute("data-budget-total")] || 0);
    });
    var verdict = box.querySelector("[data-budget-verdict]");
    if (verdict) {
      var state = sums.balance < 0 ? "deficit" : (sums.balance === 0 ? "balanced" : "surplus");
      var line = document.createElement("span");
      line.className = state === "deficit" ? "text-danger" : (state === "balanced" ? "text-success" : "");
      line.textContent = verdict.getAttribute("data-" + state) || "";
      verdict.replaceChildren(line);
    }
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.form) {
      return;
    }
    if (input.hasAttribute("data-budget-amount") || input.hasAttribute("data-budget-carryover")) {
      input.form.querySelectorAll("[data-budget-totals]").forEach(refresh);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-budget-totals]").forEach(refresh);
  });

  /* The people picker (templates/core/people/_picker.html). A person ticked among the search results
     moves up to the chosen ones (for one person, in place of the one chosen before); the box and the
     results are emptied, so the form posts the choice and not the text. Enter in the box searches
     instead of submitting the form (without script, the form takes what was typed). */
  function empty(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var results = input.closest && input.closest("[data-person-results]");
    if (!results || !input.checked) {
      return;
    }
    var picker = results.closest("[data-person-picker]");
    var chosen = picker.querySelector("[data-person-chosen]");
    var option = input.closest("label");
    if (input.type === "radio") {
      empty(chosen);
    }
    var already = Array.prototype.some.call(chosen.querySelectorAll("input"), function (other) {
      return other.value === input.value;
    });
    if (!already) {
      chosen.appendChild(option);
      chosen.classList.add("mb-1");
    }
    picker.querySelector("[data-person-search]").value = "";
    empty(results);
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.hasAttribute || !box.hasAttribute("data-person-search")) {
      return;
    }
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(box, "search");
    }
  });
})();
