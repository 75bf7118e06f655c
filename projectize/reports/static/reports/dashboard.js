// Draws every chart of the dashboard from the figures the server computed; a click opens the list.
(function () {
  "use strict";
  const options = JSON.parse(document.getElementById("chart-options").textContent);
  const bigScreen = document.body.classList.contains("big-screen");
  const palette = ["#b3001b", "#d9822b", "#2b7bb9", "#3f9c5a", "#7d5ba6", "#8c8c8c", "#c9a227", "#17a2b8"];

  function optionFor(figure) {
    const textColor = bigScreen ? "#f0f0f0" : "#333";
    const base = { color: palette, textStyle: { color: textColor }, tooltip: {}, animation: !bigScreen };
    if (figure.kind === "pie") {
      return Object.assign(base, {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll", textStyle: { color: textColor } },
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          label: { formatter: "{b}\n{c}", color: textColor },
          data: figure.categories.map((name, i) => ({ name: name, value: figure.series[0].data[i] })),
        }],
      });
    }
    return Object.assign(base, {
      tooltip: { trigger: "axis" },
      legend: { show: figure.series.length > 1, top: 0, textStyle: { color: textColor } },
      grid: { left: 8, right: 8, top: figure.series.length > 1 ? 36 : 20, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: figure.categories, axisLabel: { interval: 0, rotate: figure.categories.length > 5 ? 30 : 0, color: textColor } },
      yAxis: { type: "value", axisLabel: { color: textColor } },
      series: figure.series.map((s) => ({
        name: s.name, type: figure.kind === "line" ? "line" : "bar", data: s.data,
        label: { show: figure.categories.length <= 8, position: "top", color: textColor },
      })),
    });
  }

  Object.entries(options).forEach(([key, figure]) => {
    const element = document.getElementById("chart-" + key);
    if (!element || !figure.categories.length) {
      if (element) element.remove();
      return;
    }
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(optionFor(figure));
    chart.on("click", (params) => {
      const link = figure.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    element.style.cursor = "pointer";
    window.addEventListener("resize", () => chart.resize());
  });

  document.querySelectorAll("[data-toggle-table]").forEach((button) => {
    button.addEventListener("click", () => {
      const key = button.dataset.toggleTable;
      const table = document.getElementById("table-" + key);
      const chart = document.getElementById("chart-" + key);
      const showTable = table.classList.contains("d-none");
      table.classList.toggle("d-none", !showTable);
      if (chart) chart.classList.toggle("d-none", showTable);
      button.setAttribute("aria-pressed", String(showTable));
    });
  });
})();
