// mlregistry web interface: the little a browser needs that HTML cannot do. No inline script anywhere (the
// Content-Security-Policy forbids it); everything is wired here from data- attributes.
(function () {
  "use strict";

  // copy buttons: data-copy names the <pre> whose text goes to the clipboard
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.textContent;
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else {
        fallbackCopy(text);
        done();
      }
    });
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // forms that destroy something ask first
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // uploads: dropped or chosen files are PUT one at a time, streamed, with a progress bar each
  var drop = document.getElementById("drop");
  if (!drop) { return; }
  var target = drop.getAttribute("data-upload");
  var csrf = drop.getAttribute("data-csrf");
  var list = document.getElementById("upload-progress");
  var folderInput = document.getElementById("upload-folder");
  var chooser = document.getElementById("upload-files");

  function encodePath(path) {
    return path.split("/").filter(function (s) { return s.length > 0; }).map(encodeURIComponent).join("/");
  }

  function uploadAll(files) {
    var folder = (folderInput.value || "").trim().replace(/^\/+|\/+$/g, "");
    // a browser resolves "." and ".." in a URL before sending it: such a folder would put the files somewhere else
    if (folder.split("/").some(function (s) { return s === "." || s === ".."; })) {
      var refused = document.createElement("li");
      refused.textContent = "A folder cannot contain \".\" or \"..\": nothing was uploaded.";
      refused.classList.add("failed");
      list.appendChild(refused);
      return;
    }
    var queue = Array.prototype.slice.call(files);
    var failed = false;
    var next = function () {
      var file = queue.shift();
      if (!file) {
        if (!failed) { window.location.reload(); }
        return;
      }
      var path = (folder ? folder + "/" : "") + file.name;
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = path + " ";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Upload of " + path);
      item.appendChild(label);
      item.appendChild(bar);
      list.appendChild(item);
      var xhr = new XMLHttpRequest();
      xhr.open("PUT", target + "/" + encodePath(path));
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          label.textContent = path + " uploaded ";
        } else {
          failed = true;
          label.textContent = path + " failed (" + xhr.status + ") ";
          item.classList.add("failed");
        }
        next();
      });
      xhr.addEventListener("error", function () {
        failed = true;
        label.textContent = path + " failed (connection) ";
        next();
      });
      xhr.send(file);
    };
    next();
  }

  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length > 0) { uploadAll(e.dataTransfer.files); }
  });
  chooser.addEventListener("change", function () {
    if (chooser.files.length > 0) { uploadAll(chooser.files); }
  });
})();
