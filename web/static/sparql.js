/* The SPARQL page's editor: YASQE (syntax highlighting, completion of our prefixes) over the plain
   form's textarea, and YASR (a table with clickable IRIs) for the results, both from the YASGUI
   bundle that `make vendor` installs. Without that bundle nothing here runs and the form works as
   it is. Nothing reaches another server: the prefix list is ours (not prefix.cc) and the
   completers that ask Linked Open Vocabularies are left out; the CSP would block them anyway. */
(function () {
  "use strict";

  var form = document.querySelector("form.sparql[data-prefixes]");
  if (!form || !window.Yasgui) {
    return;
  }
  var Yasqe = window.Yasgui.Yasqe;
  var Yasr = window.Yasgui.Yasr;
  var textarea = form.querySelector("textarea[name=query]");
  var format = form.querySelector("select[name=format]");
  var label = form.querySelector("label[for=query]");
  var hint = form.querySelector(".hint");
  var live = document.querySelector("section.results.live");
  var prefixes = JSON.parse(form.dataset.prefixes);
  var base = form.dataset.base;

  var declarations = Object.keys(prefixes).sort().map(function (prefix) {
    return prefix + ": <" + prefixes[prefix] + ">";
  });
  Yasqe.forkAutocompleter("prefixes", {
    name: "lodPrefixes",
    persistenceId: null,
    get: function () {
      return Promise.resolve(declarations);
    }
  }, false);
  // Assigned, not passed in the options: YASQE merges arrays index by index.
  Yasqe.defaults.autocompleters = ["lodPrefixes", "variables"];

  var host = document.createElement("div");
  host.className = "yasqe-host";
  textarea.parentNode.insertBefore(host, textarea);
  textarea.hidden = true;
  var yasqe = new Yasqe(host, {
    value: textarea.value,
    persistenceId: null,
    consumeShareLink: null,
    createShareableLink: null,
    showQueryButton: false,
    resizeable: true,
    editorHeight: "18rem",
    extraKeys: {Tab: false, "Shift-Tab": false},
    requestConfig: {
      endpoint: form.action,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9"
    }
  });
  var input = yasqe.getInputField();
  input.id = "query-editor";
  label.htmlFor = input.id;
  if (hint) {
    hint.hidden = false;
    hint.id = "query-editor-keys";
    input.setAttribute("aria-describedby", hint.id);
  }
  yasqe.on("change", function () {
    textarea.value = yasqe.getValue();
  });

  var yasr = new Yasr(live.querySelector(".yasr-host"), {
    persistenceId: null,
    // Cells as wide as their text, the table scrolling in its box: cut ("ellipsed") cells overlap
    // their neighbours' links on a phone.
    plugins: {table: {dynamicConfig: {isEllipsed: false}}},
    prefixes: function () {
      return Object.assign({}, prefixes, yasqe.getPrefixesFromQuery());
    },
    errorRenderers: [problemDetail]
  });
  // However a query starts (our button, an example, Ctrl+Enter), its results replace the server's.
  yasqe.on("query", function () {
    document.querySelectorAll("section.results:not(.live)").forEach(function (old) {
      old.remove();
    });
    live.hidden = false;
  });
  yasqe.on("queryResponse", function (_, response, duration) {
    yasr.setResponse(response, duration);
  });

  function run() {
    var heading = live.querySelector("h2");
    yasqe.query().then(function () {
      heading.focus();
    }, function () {
      heading.focus();
    });
  }

  // HTML results come from YASR; any other format is the plain form's download.
  form.addEventListener("submit", function (event) {
    textarea.value = yasqe.getValue();
    if (format.value === "html") {
      event.preventDefault();
      run();
    }
  });

  // An example is put in the editor and run (a new tab still gets the server's page).
  document.querySelectorAll("ul.queries a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      yasqe.setValue(new URL(link.href).searchParams.get("query"));
      format.value = "html";
      history.pushState(null, "", link.href);
      form.scrollIntoView();
      run();
    });
  });
  window.addEventListener("popstate", function () {
    location.reload();
  });

  // Our IRIs open on this server, as in the server's table, even when the base IRI names another
  // host (a proxy, or a test server on another port).
  live.addEventListener("click", function (event) {
    var link = event.target.closest("a.iri");
    if (link && base && link.href.indexOf(base) === 0 && event.button === 0 && !event.ctrlKey &&
        !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      location.assign("/" + link.href.slice(base.length));
    }
  });

  // The endpoint's errors are application/problem+json: show their message, in the page's language.
  function problemDetail(error) {
    var problem;
    try {
      problem = JSON.parse(error.text);
    } catch (e) {
      return undefined;
    }
    if (!problem || !problem.detail) {
      return undefined;
    }
    var message = document.createElement("p");
    message.className = "problem";
    message.textContent = problem.detail;
    return message;
  }
}());
