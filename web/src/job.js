// A job's page, live: follows the job's server-sent events (a "job" event
// at each change, then "end") and updates the state, the bytes and rows
// read and the rows rejected, then the import's result. Without it, the
// page reloads itself until the job ends (a <noscript> refresh).

const el = document.getElementById("job");
if (el && el.dataset.src && typeof EventSource === "function") {
  const set = (id, text) => {
    const node = document.getElementById(id);
    if (node) node.textContent = text;
  };
  const when = (s) => (s ? new Date(s).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "-");
  let events = 0;
  const seen = [];

  const show = (job) => {
    events++;
    el.dataset.events = String(events);
    if (seen[seen.length - 1] !== job.state) seen.push(job.state);
    el.dataset.seen = seen.join(" ");
    set("job-state", job.state);
    set("job-started", when(job.started_at));
    set("job-finished", when(job.finished_at));
    // A beat's progress; a job that ended before its first beat has none.
    const p = job.progress || {};
    if (Object.keys(p).length > 0) {
      set("job-phase", p.phase || "-");
      set("job-file", p.file || "-");
      set("job-bytes", String(p.bytes || 0));
      set("job-size", p.size ? String(p.size) : "?");
      set("job-rows", String(p.rows || 0));
      set("job-rejected", String(p.rejected || 0));
    }
    const bar = document.getElementById("job-progress");
    if (bar) {
      bar.max = p.size || 1;
      bar.value = job.state === "done" ? bar.max : p.bytes || 0;
    }
    if (job.error) {
      set("job-error", job.error);
      document.getElementById("job-error").hidden = false;
    }
    if (job.state === "done" && job.kind === "import" && job.result) result(job.result);
    // Set last: a watcher waits for the state, then reads the rest.
    el.dataset.state = job.state;
  };

  // result draws an import's result as the page does when it loads done.
  const result = (res) => {
    const files = res.Files || [];
    set("job-phase", "finished");
    set("job-rows", String(files.reduce((n, f) => n + (f.read || 0), 0)));
    set("job-rejected", String(files.reduce((n, f) => n + (f.rejected || 0), 0)));
    if (files.length > 0) set("job-file", files[files.length - 1].file);
    const box = document.getElementById("job-result");
    if (!box || box.querySelector("table")) return;
    const table = document.createElement("table");
    table.id = "job-files";
    const cap = table.createCaption();
    cap.textContent = "What the import stored";
    const head = table.createTHead().insertRow();
    for (const h of ["File", "Read", "New", "Changed", "Unchanged", "Rejected"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      if (h !== "File") th.className = "n";
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const f of files) {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = f.file;
      row.appendChild(th);
      for (const n of [f.read, f.new, f.updated, f.unchanged, f.rejected]) {
        const td = row.insertCell();
        td.className = "n";
        td.textContent = String(n || 0);
      }
    }
    box.appendChild(table);
  };

  const src = new EventSource(el.dataset.src);
  src.addEventListener("job", (e) => show(JSON.parse(e.data)));
  src.addEventListener("end", () => {
    src.close();
    const waiting = document.getElementById("job-waiting");
    if (waiting) waiting.hidden = true;
  });
  src.onerror = () => {
    // The stream ended or broke: EventSource retries by itself unless
    // the job ended; say so while it does.
    if (src.readyState === EventSource.CLOSED) set("job-waiting", "(the live updates stopped: reload the page)");
  };
}
