/* Bulk upload with a progress bar: the file goes up by XMLHttpRequest (upload progress events),
   then the server's check runs while an indeterminate bar shows; the preview page opens after. */
(function () {
  "use strict";

  const form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest) return;
  const box = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const text = document.getElementById("upload-progress-text");
  const errorLine = document.getElementById("upload-js-error");

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    box.hidden = false;
    errorLine.hidden = true;
    bar.value = 0;
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      text.textContent = text.dataset.uploading + " " + percent + " %";
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server checks the rows
      text.textContent = text.dataset.processing;
    });
    request.addEventListener("load", () => {
      let data = null;
      try { data = JSON.parse(request.responseText); } catch (e) { data = null; }
      if (request.status === 200 && data && data.preview_url) {
        window.location.assign(data.preview_url);
        return;
      }
      box.hidden = true;
      errorLine.hidden = false;
      errorLine.textContent = (data && (data.error || data.detail)) || ("HTTP " + request.status);
    });
    request.addEventListener("error", () => {
      box.hidden = true;
      errorLine.hidden = false;
      errorLine.textContent = "HTTP error";
    });
    request.send(new FormData(form));
  });
})();
