// Settle's dashboard works without this file. With it: copy buttons copy a field's value to
// the clipboard, buttons carrying data-confirm ask before their form is sent, Escape closes
// an open label editor or menu (as does a click elsewhere for a menu), and links carrying
// data-dialog open their form in a dialog instead of on a page of its own.
(function () {
  "use strict";

  function setUpCopy(button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        field.select();
      });
    });
  }

  function setUpConfirm(button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }

  function closeOnEscape(details) {
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }

  function setUpDialog(link) {
    var dialog = document.getElementById(link.dataset.dialog);
    if (!dialog || typeof dialog.showModal !== "function") {
      return;
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var menu = link.closest("details");
      if (menu) {
        menu.open = false;
      }
      dialog.showModal();
      var first = dialog.querySelector("input:not([type=hidden]), select");
      if (first) {
        first.focus();
        if (first.select) {
          first.select();
        }
      }
    });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    dialog.addEventListener("close", function () {
      var menu = link.closest("details");
      (menu ? menu.querySelector("summary") : link).focus();
    });
  }

  function selectOnFocus(field) {
    field.addEventListener("focus", function () { field.select(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(setUpCopy);
    document.querySelectorAll("[data-confirm]").forEach(setUpConfirm);
    document.querySelectorAll("input[readonly]").forEach(selectOnFocus);
    document.querySelectorAll("details.assoc-edit, details.menu").forEach(closeOnEscape);
    document.querySelectorAll("a[data-dialog]").forEach(setUpDialog);
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) {
          menu.open = false;
        }
      });
    });
    var invalid = document.querySelector("input[aria-invalid=true], select[aria-invalid=true]");
    if (invalid) {
      invalid.focus();
    }
  });
})();
