// The seller page: check a listing as you type, scan an uploaded catalog, audit after a
// complaint. Everything goes to this same server; text from listings is only ever set
// as textContent, never parsed as HTML.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function bytes(n) {
    if (n >= 1 << 30) { return (n / (1 << 30)).toFixed(1) + " GiB"; }
    if (n >= 1 << 20) { return (n / (1 << 20)).toFixed(1) + " MiB"; }
    if (n >= 1024) { return (n / 1024).toFixed(0) + " KiB"; }
    return n + " bytes";
  }
  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      opts.body = JSON.stringify(body);
      opts.headers["Content-Type"] = "application/json";
    }
    return fetch(url, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          if (r.status === 401) { showSignin(); }
          throw new Error(j.error || ("the server answered " + r.status));
        }
        return j;
      });
    });
  }

  // ---- sign-in -------------------------------------------------------------------
  var session = null;
  function showSignin() {
    $("app").hidden = true;
    $("signin").hidden = false;
    $("token").focus();
  }
  function start() {
    api("GET", "/v1/session").then(function (s) {
      session = s;
      $("lists").textContent = "Word lists: " + s.rules + " rules (" + s.fingerprint + ").";
      $("max-upload").textContent = ", up to " + bytes(s.max_upload);
      $("pictures-box").hidden = !s.pictures;
      if (s.pictures) {
        $("file").accept += ",.zip";
        $("zip-hint").hidden = false;
      }
      if (s.token_required && !s.signed_in) { showSignin(); return; }
      $("signin").hidden = true;
      $("app").hidden = false;
    }).catch(function (e) { $("lists").textContent = "The server cannot be reached: " + e.message; });
  }
  $("signin-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    api("POST", "/v1/signin", { token: $("token").value }).then(function () {
      $("token").value = "";
      $("signin-msg").textContent = "";
      start();
    }).catch(function (e) { $("signin-msg").textContent = e.message; });
  });

  // ---- check as you type ---------------------------------------------------------
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  var seq = 0;
  var timer = null;
  var FIELDS = ["title", "description"];

  // Findings carry UTF-8 byte offsets; cut the text by bytes and mark the slices.
  function mark(field, text, findings) {
    var box = $(field + "-marked");
    clear(box);
    var mine = findings.filter(function (f) { return f.field === field; })
      .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    if (!text || mine.length === 0) { box.hidden = true; return; }
    var raw = encoder.encode(text);
    var at = 0;
    mine.forEach(function (f) {
      if (f.start < at || f.end > raw.length) { return; }
      box.appendChild(document.createTextNode(decoder.decode(raw.subarray(at, f.start))));
      var m = el("mark", f.action, decoder.decode(raw.subarray(f.start, f.end)));
      m.title = f.brand + ": " + f.action;
      box.appendChild(m);
      at = f.end;
    });
    box.appendChild(document.createTextNode(decoder.decode(raw.subarray(at))));
    box.hidden = false;
  }

  var VERDICT_WORDS = {
    remove: "Remove these words before publishing",
    hide: "Publish only as members-only (hidden)",
    review: "A person should look at this before publishing",
    pass: "No brand words found"
  };

  function showVerdict(v) {
    var box = $("verdict");
    clear(box);
    box.className = "verdict";
    if (!v) { return; }
    box.classList.add(v.verdict);
    box.appendChild(el("strong", "badge " + v.verdict, v.verdict));
    box.appendChild(document.createTextNode(" " + VERDICT_WORDS[v.verdict]));
  }

  function why(f) {
    var parts = [];
    if (f.match_kind === "image_text") {
      parts.push("read “" + f.matched + "” in a picture (confidence " + f.confidence + ")");
      parts.push("rule “" + f.term + "”");
    } else {
      parts.push("matched “" + f.matched + "” in the " + f.field);
      if (f.match_kind !== "exact") { parts.push("written as a disguised or altered form (" + f.match_kind + ") of “" + f.term + "”"); }
      else { parts.push("rule “" + f.term + "”"); }
    }
    if (f.context === "counterfeit") { parts.push("counterfeit wording nearby"); }
    if (f.context === "compatible") { parts.push("compatible-use wording (“for …”)"); }
    parts.push(f.severity);
    return parts.join(" · ");
  }

  function showFindings(findings) {
    var list = $("findings");
    clear(list);
    findings.forEach(function (f) {
      var li = el("li");
      li.appendChild(el("span", "badge " + f.action, f.action));
      li.appendChild(el("strong", null, " " + (f.brand || f.term)));
      li.appendChild(el("span", "why", " — " + why(f)));
      list.appendChild(li);
    });
  }

  // Pictures chosen for the check, as data: URLs (the server reads base64).
  var pictures = [];

  function listing() {
    var l = { id: "page" };
    FIELDS.forEach(function (f) { var v = $(f).value; if (v.trim()) { l[f] = v; } });
    return l;
  }

  function withPictures(l) {
    if (!pictures.length) { return l; }
    var c = {};
    Object.keys(l).forEach(function (k) { c[k] = l[k]; });
    c.image_data = pictures;
    return c;
  }

  $("pictures").addEventListener("change", function () {
    var files = Array.prototype.slice.call($("pictures").files);
    var total = files.reduce(function (n, f) { return n + f.size; }, 0);
    // base64 takes a third more than the files.
    if (session && total * 4 / 3 + 4096 > session.max_body) {
      pictures = [];
      $("pictures-msg").textContent = "These pictures take " + bytes(total) + ": more than this server takes in one check (" + bytes(session.max_body * 3 / 4) + "; serve --max-body).";
      check();
      return;
    }
    $("pictures-msg").textContent = files.length ? "Reading " + files.length + " picture(s)…" : "";
    Promise.all(files.map(function (f) {
      return new Promise(function (ok, fail) {
        var r = new FileReader();
        r.onload = function () { ok(r.result); };
        r.onerror = function () { fail(new Error("cannot read " + f.name)); };
        r.readAsDataURL(f);
      });
    })).then(function (urls) {
      pictures = urls;
      $("pictures-msg").textContent = files.length ? files.length + " picture(s): the text in them is checked too." : "";
      check();
    }).catch(function (e) { pictures = []; $("pictures-msg").textContent = e.message; });
  });

  function resetCheck() {
    FIELDS.forEach(function (f) { mark(f, "", []); });
    showVerdict(null);
    showFindings([]);
    $("suggestion").hidden = true;
    $("left").hidden = true;
  }

  function check() {
    var l = listing();
    var mine = ++seq;
    if (!l.title && !l.description && !pictures.length) { resetCheck(); return; }
    api("POST", "/v1/check", withPictures(l)).then(function (v) {
      if (mine !== seq) { return; }
      FIELDS.forEach(function (f) { mark(f, l[f] || "", v.findings || []); });
      showVerdict(v);
      showFindings(v.findings || []);
      if (v.verdict === "pass") { $("suggestion").hidden = true; $("left").hidden = true; return; }
      return api("POST", "/v1/fix", l).then(function (fx) {
        if (mine !== seq) { return; }
        suggest(l, fx);
      });
    }).catch(function (e) {
      if (mine !== seq) { return; }
      showVerdict(null);
      $("verdict").textContent = "Cannot check: " + e.message;
    });
  }

  function suggest(l, fx) {
    var left = fx.left.filter(function (x) { return x.needs_person; });
    var title = fx.edits.filter(function (e) { return e.field === "title"; })[0];
    $("left").hidden = left.length === 0;
    $("left").textContent = left.length ? "fix would leave this listing for a person: " +
      left.map(function (x) { return x.detail || x.reason; }).join("; ") : "";
    if (left.length || !title) { $("suggestion").hidden = true; return; }
    $("clean-title").textContent = title.after;
    $("copied").textContent = "";
    $("suggestion").hidden = false;
  }

  FIELDS.forEach(function (f) {
    $(f).addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 200);
    });
  });

  $("copy").addEventListener("click", function () {
    var text = $("clean-title").textContent;
    var done = function () { $("copied").textContent = "Copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { $("copied").textContent = "Select the title and copy it."; });
    } else {
      var range = document.createRange();
      range.selectNodeContents($("clean-title"));
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      $("copied").textContent = document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C to copy.";
    }
  });

  // ---- scan a catalog --------------------------------------------------------------
  var job = null;
  var poller = null;
  var lastSaid = "";
  var lastDrawn = "";

  function progress(label, value, max) {
    $("progress-box").hidden = false;
    $("progress-label").textContent = label;
    var p = $("progress");
    if (max > 0) { p.max = max; p.value = Math.min(value, max); } else { p.removeAttribute("value"); }
  }

  function upload(file) {
    if (!file) { return; }
    if (session && file.size > session.max_upload) {
      $("scan-msg").textContent = file.name + " is " + bytes(file.size) + ", larger than this server takes (" + bytes(session.max_upload) + ").";
      return;
    }
    if (job) { api("DELETE", "/v1/jobs/" + job).catch(function () {}); job = null; }
    clearInterval(poller);
    $("results").hidden = true;
    $("audit-results").hidden = true;
    $("audit-fields").disabled = true;
    $("scan-msg").textContent = "Uploading " + file.name + "…";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/jobs?name=" + encodeURIComponent(file.name));
    xhr.upload.onprogress = function (e) {
      progress("Uploading " + bytes(e.loaded) + " of " + bytes(e.total), e.loaded, e.total);
    };
    xhr.onload = function () {
      var j = {};
      try { j = JSON.parse(xhr.responseText); } catch (e) { j = {}; }
      if (xhr.status === 401) { showSignin(); return; }
      if (xhr.status !== 202) {
        $("progress-box").hidden = true;
        $("scan-msg").textContent = "Not scanned: " + (j.error || ("the server answered " + xhr.status));
        return;
      }
      job = j.id;
      $("scan-msg").textContent = "Uploaded; scanning…";
      poller = setInterval(poll, 300);
    };
    xhr.onerror = function () { $("progress-box").hidden = true; $("scan-msg").textContent = "The upload failed: the server could not be reached."; };
    xhr.send(file);
  }

  function poll() {
    if (!job) { clearInterval(poller); return; }
    api("GET", "/v1/jobs/" + job).then(function (s) {
      var run = s.scan;
      if (run.state === "running") {
        var label = "Step " + run.step_no + " of " + run.steps + ": " + run.step;
        if (run.step_no === 1) { progress(label + ", " + bytes(s.read) + " of " + bytes(s.size), s.read, s.size); }
        else { progress(label, run.step_no - 1, run.steps); }
        // The report is ready after the first step: show it while the files are made.
        if (run.step_no > 1 && run.result && run.result.rows_read !== undefined) { showScan(s, false); }
        return;
      }
      if (s.audit && s.audit.state === "running") { return; }
      clearInterval(poller);
      $("progress-box").hidden = true;
      if (run.state === "failed") { $("scan-msg").textContent = "The scan failed: " + run.error; return; }
      showScan(s);
      if (s.audit) { showAudit(s); }
    }).catch(function (e) { clearInterval(poller); $("scan-msg").textContent = e.message; });
  }

  var TOTALS = [
    ["rows_read", "Rows read"], ["rows_rejected", "Rows rejected"], ["listings_flagged", "Listings flagged"],
    ["remove", "To remove"], ["hide", "To hide"], ["review", "To review"], ["findings", "Findings"]
  ];

  function figure(dl, key, label, value, cls) {
    var div = el("div", "total" + (cls ? " " + cls : ""));
    div.appendChild(el("dt", null, label));
    var dd = el("dd", null, value);
    dd.setAttribute("data-key", key);
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function downloads(list, files) {
    clear(list);
    files.filter(function (f) { return !/\.html$/.test(f.name); }).forEach(function (f) {
      var li = el("li");
      var a = el("a", "button secondary", f.label);
      a.href = f.url;
      a.setAttribute("download", "");
      a.setAttribute("data-file", f.name);
      li.appendChild(a);
      li.appendChild(el("span", "muted", " " + bytes(f.bytes)));
      list.appendChild(li);
    });
  }

  function notes(list, run) {
    clear(list);
    run.notes.forEach(function (n) { list.appendChild(el("li", null, n)); });
  }

  function showScan(s, finished) {
    var t = s.scan.result;
    // Polled while the files are made: redraw only what changed, so nothing a reader
    // or the keyboard is on is pulled from under them.
    var key = s.id + ":" + s.scan.files.length + ":" + s.scan.notes.length;
    if (key === lastDrawn) { return finishScan(s, finished); }
    var fresh = lastDrawn.split(":")[0] !== s.id;
    lastDrawn = key;
    if (fresh) {
      var dl = $("totals");
      clear(dl);
      TOTALS.forEach(function (k) {
        figure(dl, k[0], k[1], t[k[0]], ["remove", "hide", "review"].indexOf(k[0]) >= 0 ? k[0] : null);
      });
    }
    downloads($("downloads"), s.scan.files);
    notes($("scan-notes"), s.scan);
    var report = s.scan.files.filter(function (f) { return f.name === "report.html"; })[0];
    if (report && $("report").getAttribute("src") !== report.url) {
      $("report").src = report.url;
    }
    finishScan(s, finished);
  }

  function finishScan(s, finished) {
    var t = s.scan.result;
    $("results").hidden = false;
    var said = s.name + ": " + t.listings_flagged + " of " + t.rows_read + " listings flagged (" +
      t.remove + " to remove, " + t.hide + " to hide, " + t.review + " to review).";
    if (said !== lastSaid) { $("scan-msg").textContent = said; lastSaid = said; }
    if (finished === false) { return; }
    $("audit-fields").disabled = false;
    loadBrands();
  }

  $("file").addEventListener("change", function () { upload(this.files[0]); });
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) { upload(e.dataTransfer.files[0]); }
  });
  $("delete").addEventListener("click", function () {
    if (!job) { return; }
    api("DELETE", "/v1/jobs/" + job).then(function () {
      job = null;
      $("results").hidden = true;
      $("audit-results").hidden = true;
      $("audit-fields").disabled = true;
      $("report").removeAttribute("src");
      $("scan-msg").textContent = "Your files were deleted from the server.";
      $("file").focus();
    }).catch(function (e) { $("scan-msg").textContent = e.message; });
  });

  // ---- after a complaint -----------------------------------------------------------
  var brands = [];
  var picked = [];
  var SHOWN = 40;

  function loadBrands() {
    if (brands.length) { renderBrands(); return; }
    api("GET", "/v1/brands").then(function (b) { brands = b.brands; renderBrands(); });
  }

  function renderBrands() {
    var q = $("brand-search").value.trim().toLowerCase();
    var match = brands.filter(function (b) { return !q || b.toLowerCase().indexOf(q) !== -1; });
    // Picked brands stay in the list whatever the search.
    var show = picked.slice();
    match.forEach(function (b) { if (show.length < SHOWN + picked.length && show.indexOf(b) === -1) { show.push(b); } });
    var list = $("brand-list");
    clear(list);
    show.forEach(function (b, i) {
      var id = "brand-" + i;
      var wrap = el("div", "brand");
      var box = el("input");
      box.type = "checkbox";
      box.id = id;
      box.value = b;
      box.checked = picked.indexOf(b) !== -1;
      box.addEventListener("change", function () {
        if (box.checked) { if (picked.indexOf(b) === -1) { picked.push(b); } }
        else { picked = picked.filter(function (x) { return x !== b; }); }
        $("picked").textContent = picked.length ? "Picked: " + picked.join(", ") : "";
      });
      var label = el("label", null, b);
      label.setAttribute("for", id);
      wrap.appendChild(box);
      wrap.appendChild(label);
      list.appendChild(wrap);
    });
    $("brand-count").textContent = match.length + " of " + brands.length + " brands match" +
      (match.length > SHOWN ? "; the first " + SHOWN + " are shown, type more to narrow" : "");
  }
  $("brand-search").addEventListener("input", renderBrands);

  $("audit-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!job) { $("audit-msg").textContent = "Scan a catalog first."; return; }
    if (!picked.length) { $("audit-msg").textContent = "Pick the brand that complained."; $("brand-search").focus(); return; }
    var file = $("terms").files[0];
    var send = function (text) {
      var body = { brands: picked };
      if (text) { body.terms = text; body.terms_name = file.name; }
      $("audit-msg").textContent = "Auditing " + picked.join(", ") + "…";
      $("audit-results").hidden = true;
      api("POST", "/v1/jobs/" + job + "/audit", body).then(function () {
        clearInterval(poller);
        poller = setInterval(pollAudit, 300);
      }).catch(function (e) { $("audit-msg").textContent = "Not audited: " + e.message; });
    };
    if (file) { file.text().then(send); } else { send(null); }
  });

  function pollAudit() {
    api("GET", "/v1/jobs/" + job).then(function (s) {
      if (!s.audit || s.audit.state === "running") {
        if (s.audit) { $("audit-msg").textContent = "Step " + s.audit.step_no + " of " + s.audit.steps + ": " + s.audit.step + "…"; }
        return;
      }
      clearInterval(poller);
      showAudit(s);
    }).catch(function (e) { clearInterval(poller); $("audit-msg").textContent = e.message; });
  }

  function penalty(a) { return a.penalty + " (" + a.reason + ")"; }

  function showAudit(s) {
    var a = s.audit;
    if (a.state === "failed") { $("audit-msg").textContent = "The audit failed: " + a.error; return; }
    var r = a.result;
    var dl = $("exposure");
    clear(dl);
    figure(dl, "listings", "Listings affected", r.store.listings, "remove");
    figure(dl, "complaints", "Possible complaints", r.store.complaints);
    figure(dl, "worst_case", "If filed one by one", penalty(r.store.worst_case));
    figure(dl, "filed_together", "If filed together", penalty(r.store.filed_together));
    var body = $("brand-table").tBodies[0];
    clear(body);
    r.brands.forEach(function (b) {
      var tr = el("tr");
      tr.setAttribute("data-brand", b.brand);
      var th = el("th", null, b.brand);
      th.scope = "row";
      tr.appendChild(th);
      [b.listings, b.serious, b.general, penalty(b.worst_case), penalty(b.filed_together)].forEach(function (v, i) {
        var td = el("td", null, v);
        td.setAttribute("data-key", ["listings", "serious", "general", "worst_case", "filed_together"][i]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    downloads($("audit-downloads"), a.files);
    notes($("audit-notes"), a);
    var report = a.files.filter(function (f) { return f.name === "audit.html"; })[0];
    if (report) { $("audit-report").src = report.url + "?t=" + Date.now(); }
    $("audit-results").hidden = false;
    $("audit-msg").textContent = "Audit of " + r.brands.map(function (b) { return b.brand; }).join(", ") + ": " +
      r.store.listings + " listings affected.";
  }

  start();
})();
