// Large files go from the browser straight to S3 through a presigned POST,
// so they never pass through (or tie up) a dyno. Small files use the plain form.
(function () {
  "use strict";
  var DIRECT_UPLOAD_FROM = 8 * 1024 * 1024;
  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.FormData) return;
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function postJson(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-TOKEN": token },
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || response.statusText);
        return body;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    var file = form.querySelector('input[type="file"]').files[0];
    var maxThroughApp = Number(form.dataset.maxBytes);
    if (!file || (file.size < DIRECT_UPLOAD_FROM && file.size <= maxThroughApp)) return;
    event.preventDefault();
    var type = file.type || "application/octet-stream";
    postJson("/uploads/presign", { filename: file.name, content_type: type, size: file.size })
      .then(function (presigned) {
        var body = new FormData();
        Object.keys(presigned.fields).forEach(function (name) { body.append(name, presigned.fields[name]); });
        body.append("file", file);
        return fetch(presigned.url, { method: "POST", body: body }).then(function (response) {
          if (!response.ok) throw new Error("S3 refused the upload (" + response.status + ")");
          return postJson("/uploads/confirm", { key: presigned.key });
        });
      })
      .then(function () { window.location.assign("/uploads"); })
      .catch(function (error) { window.alert("Upload failed: " + error.message); });
  });
})();
