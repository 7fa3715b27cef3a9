// Small enhancements shared by every page. Pages work without it.

// Times: a <time datetime> with data-local gets the reader's local time
// as its title, the page's text keeping the agreement's zone by name.
for (const el of document.querySelectorAll("time[data-local]")) {
  const d = new Date(el.dateTime);
  if (!Number.isNaN(d.getTime())) {
    el.title = d.toLocaleString() + " (your time)";
  }
}
