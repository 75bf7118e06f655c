// While a resident types a need, show the similar needs already raised, so they can support one
// instead of repeating it. Chinese is typed through an input method: its pinyin keystrokes are not
// the text, so the lookup follows `input` (typing, pasting, dictation) outside a composition and
// `compositionend` (a chosen character or phrase), not key-up.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form || !window.htmx) return;
  var box = document.getElementById(form.dataset.similarTarget);
  var names = ["title", "description", "area", "location", "category"];
  var timer = null;
  var asked = "";

  function lookup() {
    var params = new URLSearchParams({ org: form.dataset.similarOrg });
    names.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) params.set(name, field.value);
    });
    var query = params.toString();
    if (query === asked) return;
    asked = query;
    window.htmx.ajax("GET", form.dataset.similarUrl + "?" + query, { target: box, swap: "innerHTML" });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 400);
  }

  names.forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (!field) return;
    field.addEventListener("input", function (event) {
      if (!event.isComposing) soon();
    });
    field.addEventListener("compositionend", soon);
    field.addEventListener("change", soon);
  });
})();
