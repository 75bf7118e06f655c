// The expert's score form on the assignment page.
// A picked band bounds its coefficient field (filled with the band's top when empty or outside it),
// and the running total shows the scores so far (the server checks and computes the stored total).
(function () {
  var form = document.querySelector("[data-testid=score-form]");
  var whole = form.dataset.wholeNumbers === "true";
  function coefficientOf(criterion) { return form.querySelector("[data-coefficient-for='" + criterion + "']"); }
  form.querySelectorAll("input[type=radio][data-band-for]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      var input = coefficientOf(radio.dataset.bandFor);
      var value = parseFloat(input.value), low = parseFloat(radio.dataset.low), high = parseFloat(radio.dataset.high);
      input.min = low; input.max = high;
      if (isNaN(value) || value < low || value > high) { input.value = radio.dataset.high; }
      show();
    });
  });
  function show() {
    var sum = 0;
    form.querySelectorAll("input[type=number]").forEach(function (input) {
      var value = parseFloat(input.value) || 0;
      if (input.dataset.weight) {
        value = value * parseFloat(input.dataset.weight);
        value = whole ? Math.round(value) : Math.round(value * 100) / 100;
      }
      sum += value;
    });
    document.getElementById("score-sum").textContent = Math.round(sum * 100) / 100;
  }
  form.addEventListener("input", show);
  form.addEventListener("change", show);
  show();
})();
