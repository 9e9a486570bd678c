/* Autocomplete for the search inputs (input[data-suggest], the header's and the search page's):
   an ARIA 1.2 combobox whose listbox popup is filled from /api/suggest as people type.
   Arrow keys move through the suggestions, Enter opens the one chosen (or submits the form when
   none is), Escape closes the list. Without this script the forms work as plain forms. */
(function () {
  "use strict";

  var DELAY = 150; // ms of quiet typing before asking
  var SHORTEST = 2; // characters typed before asking
  var LIMIT = "8";
  var texts = {};
  try {
    texts = JSON.parse(document.body.getAttribute("data-suggest-texts") || "{}");
  } catch (ignored) {
    texts = {};
  }
  var count = 0;

  function setup(input) {
    count += 1;
    var id = "suggestions-" + count;
    var wrap = document.createElement("div");
    wrap.className = "combo";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);

    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    if (input.labels && input.labels.length) {
      list.setAttribute("aria-label", input.labels[0].textContent.trim());
    }
    list.hidden = true;
    wrap.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      if (active >= 0 && list.children[active]) {
        list.children[active].setAttribute("aria-selected", "false");
      }
      active = -1;
    }

    function open() {
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function highlight(index) {
      if (active >= 0 && list.children[active]) {
        list.children[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var option = list.children[index];
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) {
        option.scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var chosen = items[index];
      if (chosen && chosen.url) {
        close();
        window.location.assign(chosen.url);
      }
    }

    function render(found, asked) {
      close();
      items = found;
      list.textContent = "";
      found.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-kind", suggestion.kind);
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = suggestion.label;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = texts[suggestion.kind] || suggestion.kind;
        option.appendChild(label);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        // mousedown would blur the input (closing the list) before the click lands
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          choose(index);
        });
        list.appendChild(option);
      });
      open();
      if (!asked) {
        status.textContent = "";
      } else if (found.length) {
        status.textContent = (texts.count || "{count}").replace("{count}", String(found.length));
      } else {
        status.textContent = texts.none || "";
      }
    }

    function ask() {
      var q = input.value.trim();
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (q.length < SHORTEST) {
        render([], false);
        return;
      }
      var options = { headers: { Accept: "application/json" } };
      if (typeof AbortController === "function") {
        pending = new AbortController();
        options.signal = pending.signal;
      }
      var url = input.getAttribute("data-suggest") + "?" + new URLSearchParams({ q: q, limit: LIMIT }).toString();
      fetch(url, options)
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (found) {
          if (q === input.value.trim() && document.activeElement === input) {
            render(Array.isArray(found) ? found : [], true);
          }
        })
        .catch(function () {
          /* aborted by newer typing, or offline: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (list.hidden) {
          if (items.length) {
            open();
            highlight(0);
          } else {
            ask();
          }
        } else {
          highlight(active + 1 < items.length ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!list.hidden && items.length) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : items.length - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setup);
})();
