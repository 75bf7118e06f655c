// A type-to-search field for one organization (orgs/widgets.py). The text box asks the server for at most
// 20 matches as the person types; choosing one puts its number in the hidden input the form reads.
// Chinese is typed through an input method: its pinyin keystrokes are not the text, so the lookup waits for
// `compositionend` and ignores `input` during a composition. Keyboard: arrows move, Enter chooses,
// Escape closes. Typing after a choice clears the number, so only a chosen option is ever submitted.
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.autocompleteReady) return;
    box.dataset.autocompleteReady = "1";
    var input = box.querySelector("[data-autocomplete-input]");
    var value = box.querySelector("[data-autocomplete-value]");
    var list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[data-autocomplete-status]");
    var timer = null;
    var asked = null;
    var active = -1;
    var options = [];
    var chosenLabel = input.value;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      if (!items.length) return;
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        var on = i === active;
        items[i].classList.toggle("active", on);
        items[i].setAttribute("aria-selected", on ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      value.value = String(option.id);
      input.value = option.label;
      chosenLabel = option.label;
      close();
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      options = results;
      list.textContent = "";
      results.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.className = "list-group-item list-group-item-action py-2";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.label;
        if (option.detail) {
          var detail = document.createElement("small");
          detail.className = "d-block text-secondary";
          detail.textContent = option.detail;
          item.appendChild(detail);
        }
        // mousedown, not click: the text box's blur would close the list before a click lands.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length ? status.dataset.some : status.dataset.none;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-secondary py-2";
        none.textContent = status.dataset.none;
        list.appendChild(none);
      }
      active = -1;
    }

    function lookup() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      var url = box.dataset.autocomplete + "&q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          // An answer to an older text is dropped: the person has typed on since.
          if (text === input.value.trim() && document.activeElement === input) show(data.results || []);
        })
        .catch(function () {});
    }

    function soon() {
      if (input.value !== chosenLabel && value.value) {
        value.value = "";
        value.dispatchEvent(new Event("change", { bubbles: true }));
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 250);
    }

    input.addEventListener("input", function (event) {
      if (!event.isComposing) soon();
    });
    input.addEventListener("compositionend", soon);
    input.addEventListener("focus", function () {
      asked = null;
      if (!value.value) soon();
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          asked = null;
          lookup();
          return;
        }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault();
        choose(active >= 0 ? active : options.length === 1 ? 0 : -1);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
  }

  function setUpAll(root) {
    (root.querySelectorAll ? root.querySelectorAll("[data-autocomplete]") : []).forEach(setUp);
  }

  setUpAll(document);
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
