/* Upload progress for forms marked data-upload: the file is sent in the background while a progress bar
   fills; the answer replaces the page as a normal post would. Without this script the form posts as usual. */
(function () {
  "use strict";

  function send(form) {
    var shown = form.querySelector(".upload-progress");
    var bar = shown && shown.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (bar && progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
    });
    request.addEventListener("load", function () {
      if (request.status < 400 && request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL);
        return;
      }
      /* A refused file comes back as the page with its errors: show it in place of this one. */
      var answer = new DOMParser().parseFromString(request.responseText, "text/html");
      var main = answer.querySelector("main");
      if (!main) { form.submit(); return; }
      document.title = answer.title;
      document.querySelector("main").replaceWith(main);
      enhance(main);
      var summary = main.querySelector(".error-summary");
      if (summary) { summary.focus(); }
    });
    request.addEventListener("error", function () { form.submit(); });
    if (shown) { shown.hidden = false; }
    if (button) { button.disabled = true; }
    request.send(new FormData(form));
  }

  function enhance(root) {
    if (!window.FormData || !window.DOMParser) { return; }
    root.querySelectorAll("form[data-upload]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        send(form);
      });
    });
  }

  enhance(document);
}());
