// The rubric editor: criteria and grade rows, and the sum of the weights.
// Add a blank row from the formset's empty form, and show the running total of the weights.
document.querySelectorAll("[data-add-row]").forEach(function (button) {
  button.addEventListener("click", function () {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var html = document.getElementById(prefix + "-empty").innerHTML.replace(/__prefix__/g, total.value);
    document.querySelector("#" + prefix + "-table tbody").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
});
function showWeightSum() {
  var sum = 0;
  document.querySelectorAll("#criteria-table input[name$='-weight']").forEach(function (input) {
    var row = input.closest("tr"), removed = row.querySelector("input[name$='-DELETE']");
    if (input.value && !(removed && removed.checked)) { sum += parseFloat(input.value) || 0; }
  });
  var total = document.getElementById("id_total");
  document.getElementById("weight-sum").textContent = Math.round(sum * 100) / 100 + " / " + (total ? total.value : "");
}
document.addEventListener("input", showWeightSum);
document.addEventListener("change", showWeightSum);
showWeightSum();
