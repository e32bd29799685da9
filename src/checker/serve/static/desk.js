// fazhi-lint 审查台: a little plain JavaScript on top of pages that read without it.
// Sorting and filtering the tables, the progress of a check, drag-and-drop uploads, and decisions
// sent through the JSON API (with the page's CSRF token) without reloading the page.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function post(url, body) {
    var options = { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } };
    if (body instanceof FormData) { options.body = body; }
    else { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || ("请求失败（" + response.status + "）")); }
        return data;
      });
    });
  }

  // --- tables: click a header to sort, type to filter --------------------------------------
  function cellValue(row, index, numeric) {
    var text = (row.cells[index] ? row.cells[index].textContent : "").trim();
    if (!numeric) { return text; }
    var value = parseFloat(text);
    return isNaN(value) ? -Infinity : value;
  }
  document.querySelectorAll("table th.sortable").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0], index = th.cellIndex;
      var numeric = th.dataset.type === "num", ascending = th.dataset.order !== "asc";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
        var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      th.dataset.order = ascending ? "asc" : "desc";
    });
  });
  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim();
      document.querySelectorAll("#ranking tbody tr, #matrix tbody tr").forEach(function (row) {
        row.classList.toggle("filtered", words !== "" && row.textContent.indexOf(words) < 0);
      });
    });
  }

  // --- the progress of a check ------------------------------------------------------------
  var job = document.getElementById("job");
  function watch(id) {
    fetch("/api/jobs/" + id, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var done = document.getElementById("job-done"), total = document.getElementById("job-total");
      var bar = document.getElementById("job-bar"), current = document.getElementById("job-current");
      if (done) { done.textContent = data.done; }
      if (total) { total.textContent = data.total; }
      if (current) { current.textContent = data.current || ""; }
      if (bar && data.total) { bar.style.width = Math.round(100 * data.done / data.total) + "%"; }
      if (data.state === "done" || data.state === "failed") { window.location.replace("/?job=" + id); }
      else { window.setTimeout(function () { watch(id); }, 400); }
    }).catch(function () { window.setTimeout(function () { watch(id); }, 1500); });
  }
  if (job && job.dataset.job && ["queued", "checking", "storing"].indexOf(job.dataset.state) >= 0) { watch(job.dataset.job); }

  // --- uploads: drag and drop, or the file field -------------------------------------------
  var drop = document.getElementById("drop");
  function upload(files) {
    var data = new FormData();
    Array.prototype.forEach.call(files, function (file) { data.append("files", file, file.name); });
    job.hidden = false;
    job.textContent = "正在上传 " + files.length + " 个文件……";
    post("/api/upload", data).then(function (answer) { window.location.replace("/?job=" + answer.job); })
      .catch(function (error) { job.className = "notice bad"; job.textContent = error.message; });
  }
  if (drop && job) {
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) { upload(event.dataTransfer.files); }
    });
    drop.addEventListener("submit", function (event) {
      var field = document.getElementById("files");
      event.preventDefault();
      if (field.files.length) { upload(field.files); }
    });
  }

  // --- decisions on a finding ---------------------------------------------------------------
  var states = { confirmed: "确认", dismissed: "不采纳" };
  document.querySelectorAll("form.js-decide").forEach(function (form) {
    var original = form.elements.wording ? form.elements.wording.value : "";
    form.addEventListener("submit", function (event) {
      var button = event.submitter, decision = button ? button.value : "";
      var box = form.closest(".finding"), message = form.querySelector(".js-message");
      var report = parseInt(form.getAttribute("action").split("/")[2], 10);
      var body = { report: report, decision: decision || null, reason: form.elements.reason.value,
                   reviewer: (document.getElementById("reviewer") || {}).value || "" };
      if (form.elements.wording && form.elements.wording.value !== original) { body.wording = form.elements.wording.value; }
      event.preventDefault();
      message.textContent = "";
      post("/api/findings/" + encodeURIComponent(box.dataset.fingerprint) + "/decision", body).then(function (answer) {
        box.classList.toggle("dismissed", answer.decision === "dismissed");
        var state = box.querySelector(".state");
        state.textContent = states[answer.decision] || "待定";
        state.className = "state state-" + (answer.decision || "none");
        if (answer.wording) { box.querySelector(".msg").textContent = answer.wording; }
        var score = document.getElementById("reviewed-score");
        if (score && answer.reviewed_score !== null) { score.textContent = String(answer.reviewed_score); }
      }).catch(function (error) { message.textContent = error.message; });
    });
  });
})();
