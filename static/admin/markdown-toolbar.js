/*
 * A small Markdown toolbar for the admin's long text fields.
 *
 * It adds real buttons above every textarea named "body" or "description" in an admin
 * change form (and any textarea with a data-markdown attribute). Each button wraps or
 * prefixes the selected text in Markdown, so editors never have to remember the syntax.
 * No inline handlers and no eval: it runs under the site's strict Content Security Policy,
 * and it works whether the script is loaded with or without `defer`.
 */
(function () {
  "use strict";

  var SELECTOR = [
    "form textarea[name='body']",
    "form textarea[name='description']",
    "textarea[data-markdown]"
  ].join(", ");

  // kind "wrap": surround the selection; kind "line": prefix every selected line.
  var ACTIONS = [
    { id: "heading", label: "Heading", kind: "line", prefix: "## ", placeholder: "Heading" },
    { id: "subheading", label: "Subheading", kind: "line", prefix: "### ", placeholder: "Subheading" },
    { id: "bold", label: "Bold", kind: "wrap", before: "**", after: "**", placeholder: "bold text", key: "b" },
    { id: "italic", label: "Italic", kind: "wrap", before: "*", after: "*", placeholder: "italic text", key: "i" },
    { id: "bullets", label: "Bulleted list", kind: "line", prefix: "- ", placeholder: "List item" },
    { id: "numbers", label: "Numbered list", kind: "line", numbered: true, placeholder: "List item" },
    { id: "link", label: "Link", kind: "link", placeholder: "link text", key: "k" },
    { id: "quote", label: "Quote", kind: "line", prefix: "> ", placeholder: "Quoted text" }
  ];

  // A heading, list or quote marker at the start of a line.
  var MARKER = /^(#{1,6} |[-*] |\d+\. |> )/;

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    textarea.focus();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    var done = false;
    try {
      done = document.execCommand && document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done || textarea.value.substr(start, text.length) !== text) {
      textarea.setRangeText(text, start, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function wrap(textarea, action) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = value.slice(start, end);
    var wrapped = value.slice(start - action.before.length, start) === action.before &&
      value.slice(end, end + action.after.length) === action.after;
    if (selected && wrapped && !(action.before === "*" && value.charAt(start - 2) === "*")) {
      // Pressing the button again on formatted text removes the formatting.
      textarea.setSelectionRange(start - action.before.length, end + action.after.length);
      replaceSelection(textarea, selected, 0, selected.length);
      return;
    }
    var inner = selected || action.placeholder;
    var text = action.before + inner + action.after;
    replaceSelection(textarea, text, action.before.length, action.before.length + inner.length);
  }

  function link(textarea, action) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    var isUrl = /^https?:\/\/\S+$/.test(selected);
    var label = isUrl || !selected ? action.placeholder : selected;
    var url = isUrl ? selected : "https://";
    var text = "[" + label + "](" + url + ")";
    if (isUrl || !selected) {
      replaceSelection(textarea, text, 1, 1 + label.length);
    } else {
      var urlStart = label.length + 3;
      replaceSelection(textarea, text, urlStart, urlStart + url.length);
    }
  }

  function prefixLines(textarea, action) {
    var value = textarea.value;
    // Extend the selection to whole lines, so a prefix lands at the start of each one.
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    if (end > start && value.charAt(end - 1) === "\n") {
      end -= 1;
    }
    var lineEnd = value.indexOf("\n", end);
    end = lineEnd === -1 ? value.length : lineEnd;
    textarea.setSelectionRange(start, end);

    var lines = (value.slice(start, end) || action.placeholder).split("\n");
    var number = 0;
    var firstPrefix = 0;
    var result = lines.map(function (line) {
      var bare = line.replace(MARKER, "");
      if (!bare.trim() && lines.length > 1) {
        return line;
      }
      number += 1;
      var prefix = action.numbered ? number + ". " : action.prefix;
      if (number === 1) {
        firstPrefix = prefix.length;
      }
      return prefix + (bare || action.placeholder);
    }).join("\n");
    // Lists and quotes need a blank line before them to be read as Markdown, unless they
    // continue a list or quote on the line above.
    var previousLine = start > 0 ? value.slice(value.lastIndexOf("\n", start - 2) + 1, start - 1) : "";
    var lead = previousLine.trim() && !MARKER.test(previousLine) ? "\n" : "";
    var text = lead + result;
    if (lines.length === 1) {
      // Only the words are selected, so typing replaces the placeholder and keeps the marker.
      replaceSelection(textarea, text, lead.length + firstPrefix, text.length);
    } else {
      replaceSelection(textarea, text, text.length, text.length);
    }
  }

  function apply(textarea, action) {
    if (action.kind === "wrap") {
      wrap(textarea, action);
    } else if (action.kind === "link") {
      link(textarea, action);
    } else {
      prefixLines(textarea, action);
    }
  }

  // An image of the article on a line of its own, with blank lines around it.
  function insertImage(textarea, marker) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var before = value.slice(0, start);
    var lead = !before || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var text = lead + marker + "\n\n";
    textarea.setSelectionRange(start, textarea.selectionEnd);
    replaceSelection(textarea, text, text.length, text.length);
  }

  // The article's images (from the admin, as JSON in data-images) in a list beside the toolbar.
  function buildImagePicker(textarea, wrapper) {
    var images = [];
    try {
      images = JSON.parse(textarea.dataset.images || "[]");
    } catch (error) {
      images = [];
    }
    if (textarea.dataset.images === undefined) {
      return;
    }
    var picker = document.createElement("p");
    picker.className = "markdown-images";
    if (!images.length) {
      picker.textContent = "To show an image inside the text, add it under \u201cImages in the text\u201d " +
        "below and save: it then appears in an \u201cInsert image\u201d list here.";
      wrapper.appendChild(picker);
      return;
    }
    var label = document.createElement("label");
    var select = document.createElement("select");
    select.id = textarea.id + "-images";
    label.htmlFor = select.id;
    label.textContent = "Insert image ";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = "Choose an image\u2026";
    select.appendChild(first);
    images.forEach(function (image) {
      var option = document.createElement("option");
      option.value = image.marker;
      option.textContent = image.alt;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      if (select.value) {
        insertImage(textarea, select.value);
        select.value = "";
      }
    });
    picker.appendChild(label);
    picker.appendChild(select);
    wrapper.appendChild(picker);
  }

  function moveFocus(buttons, current, step) {
    var index = (buttons.indexOf(current) + step + buttons.length) % buttons.length;
    buttons.forEach(function (button, position) {
      button.tabIndex = position === index ? 0 : -1;
    });
    buttons[index].focus();
  }

  function buildToolbar(textarea) {
    if (textarea.dataset.markdownToolbar === "ready") {
      return;
    }
    textarea.dataset.markdownToolbar = "ready";
    if (!textarea.id) {
      textarea.id = "markdown-" + Math.random().toString(36).slice(2);
    }
    textarea.classList.add("markdown-editor");

    var toolbar = document.createElement("div");
    toolbar.className = "markdown-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    toolbar.setAttribute("aria-controls", textarea.id);

    var buttons = ACTIONS.map(function (action, position) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "markdown-toolbar__button markdown-toolbar__button--" + action.id;
      button.textContent = action.label;
      button.dataset.action = action.id;
      button.tabIndex = position === 0 ? 0 : -1;
      if (action.key) {
        button.title = action.label + " (Ctrl+" + action.key.toUpperCase() + ")";
        button.setAttribute("aria-keyshortcuts", "Control+" + action.key.toUpperCase());
      }
      button.addEventListener("click", function () {
        apply(textarea, action);
      });
      toolbar.appendChild(button);
      return button;
    });

    // The ARIA toolbar pattern: one tab stop, arrow keys move between the buttons.
    toolbar.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        moveFocus(buttons, document.activeElement, event.key === "ArrowRight" ? 1 : -1);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        moveFocus(buttons, buttons[0], event.key === "Home" ? 0 : -1);
      }
    });

    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      ACTIONS.forEach(function (action) {
        if (action.key && event.key.toLowerCase() === action.key) {
          event.preventDefault();
          apply(textarea, action);
        }
      });
    });

    // Toolbar and textarea share one wrapper, so the admin's flex rows keep them stacked.
    var wrapper = document.createElement("div");
    wrapper.className = "markdown-field";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(textarea);
    buildImagePicker(textarea, wrapper);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), buildToolbar);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
