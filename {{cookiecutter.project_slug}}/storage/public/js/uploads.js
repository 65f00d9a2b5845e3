// The uploads page, enhanced. Without JavaScript the form posts files up to MAX_UPLOAD_BYTES to
// /uploads and the page reloads with the result. With it:
// - files over MAX_UPLOAD_BYTES go from the browser straight to S3 (presign, POST with a progress
//   bar, confirm), so they never pass through, or tie up, a dyno;
// - an empty file or one over the limit is refused on the page before anything is sent;
// - the list refreshes itself after an upload, every few seconds while the page is visible, and
//   when the tab becomes visible again, so uploads made by others show up too.
// Loaded from storage/public: the Content-Security-Policy (config/security.py) allows no inline script.
(function () {
  "use strict";

  const form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
  document.documentElement.classList.add("js");

  const input = document.getElementById("upload-file");
  const button = document.getElementById("upload-button");
  const dropZone = document.getElementById("drop-zone");
  const chosen = document.getElementById("chosen-file");
  const message = document.getElementById("upload-message");
  const progress = document.getElementById("upload-progress");
  const progressName = document.getElementById("upload-progress-name");
  const progressNumbers = document.getElementById("upload-progress-numbers");
  const progressBar = document.getElementById("upload-progress-bar");
  const cancel = document.getElementById("upload-cancel");
  const list = document.getElementById("uploads");
  const maxThroughApp = Number(form.dataset.maxBytes);
  const maxDirect = Number(form.dataset.maxDirectBytes);
  const largest = Math.max(maxThroughApp, maxDirect);
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const UNITS = ["KB", "MB", "GB", "TB"];
  let request = null; // the upload to S3 in progress, if any

  // The same text as app/formatting.py's filesize: 1024-byte units, halves rounded up.
  function formatBytes(size) {
    if (size < 1024) return size === 1 ? "1 byte" : size + " bytes";
    for (let power = 1; power <= UNITS.length; power++) {
      const divisor = Math.pow(1024, power);
      const tenths = Math.floor((20 * size + divisor) / (2 * divisor));
      if (tenths < 100) {
        const whole = Math.floor(tenths / 10);
        const tenth = tenths % 10;
        return (tenth === 0 ? whole : whole + "." + tenth) + " " + UNITS[power - 1];
      }
      const whole = Math.floor((2 * size + divisor) / (2 * divisor));
      if (whole < 1024 || power === UNITS.length) return whole + " " + UNITS[power - 1];
    }
  }

  function formatSeconds(seconds) {
    if (seconds < 60) return Math.max(1, Math.round(seconds)) + " s";
    return Math.round(seconds / 60) + " min";
  }

  // Messages -----------------------------------------------------------------

  function say(kind, text) {
    message.className = "flash " + kind;
    message.setAttribute("role", kind === "error" ? "alert" : "status");
    message.textContent = text;
    message.hidden = false;
  }

  function clearMessages() {
    message.hidden = true;
    message.textContent = "";
    // Messages the server rendered with the page are about an earlier upload.
    document.querySelectorAll(".flash:not(#upload-message)").forEach(function (flash) {
      flash.remove();
    });
  }

  function problemWith(file) {
    if (file.size === 0) return file.name + " is empty.";
    if (file.size > largest) {
      const size = formatBytes(file.size);
      const limit = formatBytes(largest);
      if (size === limit) return file.name + " is just over " + limit + ", the largest file you can upload.";
      return file.name + " is " + size + "; the largest file you can upload is " + limit + ".";
    }
    return null;
  }

  // Choosing a file ------------------------------------------------------------

  function choose(file) {
    clearMessages();
    dropZone.classList.remove("is-invalid");
    chosen.hidden = !file;
    if (!file) return;
    chosen.textContent = file.name + " · " + formatBytes(file.size);
    const problem = problemWith(file);
    if (problem) {
      dropZone.classList.add("is-invalid");
      say("error", problem);
    }
  }

  input.addEventListener("change", function () {
    choose(input.files[0]);
  });

  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1;
  }

  // A file dropped on the zone is chosen, unless an upload is on its way (the button is busy then).
  ["dragenter", "dragover"].forEach(function (type) {
    dropZone.addEventListener(type, function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // without this the browser would open the file instead
      dropZone.classList.toggle("is-dragging", !button.disabled);
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    dropZone.addEventListener(type, function () {
      dropZone.classList.remove("is-dragging");
    });
  });
  dropZone.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    if (button.disabled) return;
    input.files = event.dataTransfer.files;
    choose(input.files[0]);
  });

  // Uploading ------------------------------------------------------------------

  function busy(on) {
    button.disabled = on;
    button.textContent = on ? "Uploading…" : "Upload";
  }

  // Back from another page, the browser may restore this one as it was left.
  window.addEventListener("pageshow", function () {
    busy(false);
  });

  form.addEventListener("submit", function (event) {
    const file = input.files[0];
    if (!file) return; // the browser asks for one (required)
    const problem = problemWith(file);
    if (problem) {
      event.preventDefault();
      say("error", problem);
    } else if (file.size <= maxThroughApp) {
      busy(true); // the plain form goes ahead: the page reloads with the result
    } else {
      event.preventDefault();
      uploadToStorage(file);
    }
  });

  async function postJson(url, payload) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-TOKEN": csrfToken },
        body: JSON.stringify(payload),
      });
    } catch (error) {
      throw new Error("The app could not be reached. Check your connection and try again.");
    }
    const body = await response.json().catch(function () {
      return null;
    });
    if (!response.ok) {
      throw new Error((body && body.error) || "The app answered " + response.status + ". Please try again.");
    }
    return body;
  }

  async function uploadToStorage(file) {
    clearMessages();
    busy(true);
    input.disabled = true;
    try {
      const presigned = await postJson("/uploads/presign", {
        filename: file.name,
        content_type: file.type || "application/octet-stream",
        size: file.size,
      });
      await send(presigned, file);
      const result = await postJson("/uploads/confirm", { key: presigned.key });
      form.reset();
      choose(null);
      say("success", result.message);
      await refreshList();
    } catch (error) {
      if (error.name === "AbortError") say("status", "Upload of " + file.name + " cancelled.");
      else say("error", error.message);
    } finally {
      progress.hidden = true;
      input.disabled = false;
      busy(false);
    }
  }

  // POST the presigned form to S3 with XMLHttpRequest: fetch() reports no upload progress.
  function send(presigned, file) {
    return new Promise(function (resolve, reject) {
      const body = new FormData();
      Object.keys(presigned.fields).forEach(function (name) {
        body.append(name, presigned.fields[name]);
      });
      body.append("file", file);
      const xhr = new XMLHttpRequest();
      const started = Date.now();
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) showProgress(file, event.loaded / event.total, started);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject(new Error(storageRefusal(xhr)));
      });
      xhr.addEventListener("error", function () {
        reject(new Error("The file could not be sent to storage: the connection failed or storage refused this page. Please try again."));
      });
      xhr.addEventListener("abort", function () {
        const error = new Error("cancelled");
        error.name = "AbortError";
        reject(error);
      });
      xhr.addEventListener("loadend", function () {
        request = null;
      });
      request = xhr;
      xhr.open("POST", presigned.url);
      showProgress(file, 0, started);
      xhr.send(body);
    });
  }

  function storageRefusal(xhr) {
    const reason = new DOMParser().parseFromString(xhr.responseText || "<x/>", "application/xml").querySelector("Message");
    return "Storage refused the file (" + xhr.status + ")" + (reason ? ": " + reason.textContent : ".");
  }

  function showProgress(file, fraction, started) {
    const sent = Math.min(file.size, Math.round(file.size * fraction));
    const percent = Math.floor(fraction * 100);
    const elapsed = (Date.now() - started) / 1000;
    let numbers = formatBytes(sent) + " of " + formatBytes(file.size) + " · " + percent + "%";
    if (elapsed >= 1 && sent > 0 && sent < file.size) {
      numbers += " · about " + formatSeconds(((file.size - sent) * elapsed) / sent) + " left";
    }
    progressName.textContent = file.name;
    progressNumbers.textContent = numbers;
    progressBar.value = percent;
    progress.hidden = false;
  }

  cancel.addEventListener("click", function () {
    if (request) request.abort();
  });

  // The list -------------------------------------------------------------------

  // One refresh at a time, in order: a refresh asked for after an upload always sees it.
  let refreshes = Promise.resolve();
  let pending = 0;

  function refreshList() {
    pending += 1;
    refreshes = refreshes.then(loadList).finally(function () {
      pending -= 1;
    });
    return refreshes;
  }

  function loadList() {
    return fetch(list.dataset.refreshUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) replaceList(html);
      })
      .catch(function () {
        // Offline for a moment: the next refresh tries again.
      });
  }

  function replaceList(html) {
    const shown = new Set(
      Array.prototype.map.call(list.querySelectorAll("[data-url]"), function (item) {
        return item.dataset.url;
      })
    );
    // Parsed as an inert document: nothing in it runs.
    const fresh = new DOMParser().parseFromString(html, "text/html").body;
    list.replaceChildren.apply(list, Array.prototype.slice.call(fresh.childNodes));
    list.querySelectorAll("[data-url]").forEach(function (item) {
      if (!shown.has(item.dataset.url)) item.classList.add("is-new");
    });
  }

  const refreshSeconds = Number(list.dataset.refreshSeconds);
  if (refreshSeconds > 0) {
    window.setInterval(function () {
      if (!document.hidden && !request && pending === 0) refreshList();
    }, refreshSeconds * 1000);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refreshList();
  });
})();
