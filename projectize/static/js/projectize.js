// Behaviour every page shares. The Content-Security-Policy allows no inline script, so templates
// ask for behaviour with data- attributes and this file provides it.

// <form data-confirm="question">: ask before submitting.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A wide table scrolls sideways inside Bootstrap's .table-responsive (on a phone, mostly). Keyboard users can
// scroll it only once it takes focus, and a screen reader must be told what the focused region is: while its
// table overflows, the wrapper becomes a named, focusable region (named by the table's caption, else by the
// heading above it). It leaves the tab order again once the table fits, so wide screens keep no idle stop.
(function () {
  var named = 0;

  function labelFor(wrapper) {
    var table = wrapper.querySelector("table");
    var label = table && table.caption;
    if (!label) {
      var headings = document.querySelectorAll("h1, h2, h3, h4, h5, h6");
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].compareDocumentPosition(wrapper) & Node.DOCUMENT_POSITION_FOLLOWING) {
          label = headings[i];
        }
      }
    }
    if (!label) {
      return null;
    }
    if (!label.id) {
      named += 1;
      label.id = "scroll-region-label-" + named;
    }
    return label.id;
  }

  function update(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      var labelId = labelFor(wrapper);
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      if (labelId) {
        wrapper.setAttribute("aria-labelledby", labelId);
      } else {
        wrapper.setAttribute("aria-label", document.title);
      }
    } else {
      ["tabindex", "role", "aria-labelledby", "aria-label"].forEach(function (name) {
        wrapper.removeAttribute(name);
      });
    }
  }

  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      update(entry.target);
    });
  });

  function watch(root) {
    var wrappers = root.querySelectorAll ? root.querySelectorAll(".table-responsive") : [];
    wrappers.forEach(function (wrapper) {
      update(wrapper);
      observer.observe(wrapper);
    });
  }

  watch(document);
  // Tables htmx swaps in later (filtered lists, partial refreshes).
  document.addEventListener("htmx:load", function (event) {
    watch(event.target);
  });
})();
