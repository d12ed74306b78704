/* Autocomplete for the search boxes: outlets, entities and titles from /api/suggest.
 *
 * Progressive enhancement: every search form works without this script; with it, each
 * <input name="q"> of a form that submits to the search page becomes an ARIA 1.2 combobox
 * (a listbox popup, aria-activedescendant, ↑/↓ to move, Enter to open the chosen item, Escape to
 * close). Choosing an item goes to its page; Enter with no item chosen submits the search. The
 * API's and the search page's URLs come from this script tag (data-suggest-url, data-search-url)
 * and the kind of each item from the API, so no text or address lives here.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.suggestUrl;
  var searchUrl = script && script.dataset.searchUrl;
  var DELAY_MS = 150;
  var MIN_CHARS = 2;
  var boxes = 0;

  function enhance(input) {
    var number = ++boxes;
    var host = document.createElement("div");
    host.className = "suggest-host";
    input.parentNode.insertBefore(host, input);
    host.appendChild(input);
    var list = document.createElement("ul");
    list.id = "suggest-list-" + number;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var name = input.getAttribute("aria-label") || (input.labels && input.labels[0] && input.labels[0].textContent);
    if (name) list.setAttribute("aria-label", name);
    host.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(index) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function render(results) {
      items = results;
      list.textContent = "";
      active = -1;
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("bdi");
        label.textContent = item.label;
        var what = document.createElement("span");
        what.className = "what";
        what.textContent = item.kind_label;
        option.appendChild(label);
        option.appendChild(what);
        // mousedown, not click: the input's blur would close the list before a click lands.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(item.url);
        });
        list.appendChild(option);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var text = input.value;
      if (text.trim().length < MIN_CHARS) {
        render([]);
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(text), { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          // An answer to an older text is dropped: the reader has typed on.
          if (input.value === text && document.activeElement === input) render(data.results || []);
        })
        .catch(function () { /* aborted or offline: the plain search still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          fetchSuggestions();
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        select(next >= items.length ? -1 : next < -1 ? items.length - 1 : next);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    if (!endpoint || !searchUrl || !window.fetch) return;
    var searchPath = new URL(searchUrl, window.location.href).pathname;
    document.querySelectorAll("form").forEach(function (form) {
      var input = form.querySelector('input[name="q"]');
      if (input && new URL(form.action, window.location.href).pathname === searchPath) enhance(input);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
