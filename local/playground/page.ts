// The playground page's HTML and CSS; its script is client/app.mts, bundled by esbuild when the playground starts.

export const PAGE_CSS = `
:root { --ink:#202124; --muted:#5f6368; --line:#dadce0; --accent:#1a73e8; --bad:#c5221f; --good:#188038; font:13px/1.45 Roboto, Arial, sans-serif; color:var(--ink); }
* { box-sizing:border-box; }
body { margin:0; display:flex; flex-direction:column; height:100vh; }
header.bar { display:flex; flex-wrap:wrap; align-items:center; gap:8px; padding:8px 12px; border-bottom:1px solid var(--line); background:#f8f9fa; }
header.bar h1 { font-size:15px; margin:0 12px 0 0; }
.badge { background:#fef7e0; color:#8a4b00; border:1px solid #f9ab00; border-radius:10px; padding:1px 8px; font-size:11px; }
[hidden] { display:none !important; }
button { font:inherit; padding:5px 10px; border-radius:4px; border:1px solid var(--line); background:#fff; color:var(--accent); cursor:pointer; }
button:disabled { opacity:.5; cursor:progress; }
button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
:focus-visible { outline:2px solid var(--accent); outline-offset:1px; }
.group { display:flex; flex-wrap:wrap; gap:4px; align-items:center; padding-right:8px; border-right:1px solid var(--line); }
.group:last-child { border-right:0; }
.group > span { color:var(--muted); font-size:11px; margin-right:2px; }
main { flex:1; display:flex; min-height:0; }
.sheet { flex:1; min-width:0; display:flex; flex-direction:column; }
.sheet-info { padding:6px 12px; color:var(--muted); display:flex; gap:16px; flex-wrap:wrap; }
.status.bad { color:var(--bad); }
.scroll { flex:1; overflow:auto; border-top:1px solid var(--line); }
table { border-collapse:collapse; font-size:12px; }
th, td { border:1px solid var(--line); padding:2px 6px; max-width:220px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
thead th { position:sticky; top:0; background:#f1f3f4; color:var(--muted); font-weight:500; z-index:1; }
tbody th { position:sticky; left:0; background:#f1f3f4; padding:0; }
.row-head { border:0; border-radius:0; width:100%; padding:2px 8px; color:var(--muted); background:transparent; }
tr.selected td { background:#e8f0fe; }
tr.selected th, tr.selected .row-head { background:#d2e3fc; color:var(--ink); }
tr.hidden-row td { opacity:.4; }
th.hidden-col, td.hidden-col { max-width:6px; min-width:6px; width:6px; padding:0; color:transparent; background:#f1f3f4; }
td.header-cell { font-weight:600; }
td.typed { text-align:right; }
td.status-done { color:var(--good); }
td.status-failed, td.status-error { color:var(--bad); }
td.status-queued, td.status-running { color:#8a4b00; }
aside { width:320px; flex:none; display:flex; flex-direction:column; border-left:1px solid var(--line); }
aside h2 { font-size:12px; margin:6px 10px; color:var(--muted); font-weight:500; }
#alerts { list-style:none; margin:0; padding:0 10px 6px; max-height:140px; overflow:auto; font-size:12px; }
#alerts li { border-left:3px solid #f9ab00; background:#fef7e0; padding:4px 6px; margin-bottom:4px; white-space:pre-wrap; }
#alerts li.toast { border-color:var(--accent); background:#e8f0fe; }
#alerts:empty::after { content:'None yet.'; color:var(--muted); }
iframe { flex:1; width:300px; margin:0 10px 10px; border:1px solid var(--line); border-radius:4px; }
@media (max-width: 900px) { main { flex-direction:column; } aside { width:auto; } iframe { width:100%; margin:0; min-height:600px; } }
`;

export function pageHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Rowfill playground</title>
    <style>${PAGE_CSS}</style>
  </head>
  <body>
    <header class="bar">
      <h1>Rowfill playground</h1>
      <div class="group" role="group" aria-label="Extensions → Rowfill">
        <span>Extensions → Rowfill</span>
        <button type="button" id="menu-enrich" class="primary">Enrich selected rows</button>
        <button type="button" id="menu-rerun">Re-run failed rows</button>
        <button type="button" id="menu-cancel">Cancel running job</button>
        <button type="button" id="menu-sidebar">Open sidebar</button>
      </div>
      <div class="group" role="group" aria-label="Edit the sheet">
        <span>Sheet</span>
        <button type="button" id="sort-brand">Sort by Brand</button>
        <button type="button" id="insert-row">Insert row above selection</button>
      </div>
      <span id="simulated-badge" class="badge" hidden title="No OPENAI_API_KEY: a local stand-in answers instead of OpenAI, at no cost.">simulated model</span>
      <span id="simulated-search-badge" class="badge" hidden title="No TAVILY_API_KEY: research rows search a local stand-in's generated pages, at no cost.">simulated search</span>
    </header>
    <main>
      <section class="sheet" aria-label="Spreadsheet">
        <div class="sheet-info"><strong id="sheet-title">Loading…</strong><span id="selection"></span><span id="status" class="status" role="status" aria-live="polite"></span></div>
        <div class="scroll"><table id="grid" aria-label="Sheet cells"></table></div>
      </section>
      <aside aria-label="Add-on">
        <h2 id="alerts-title">Alerts and toasts from the add-on</h2>
        <ol id="alerts" role="log" aria-live="polite" aria-labelledby="alerts-title" tabindex="0"></ol>
        <h2>Sidebar</h2>
        <iframe id="sidebar" src="/sidebar" title="Rowfill sidebar"></iframe>
      </aside>
    </main>
    <script src="/app.js"></script>
  </body>
</html>
`;
}

/** Puts the google.script.run shim ahead of the sidebar's own script. */
export function shimSidebar(sidebarHtml: string, shim: string): string {
  const tag = `<script>${shim.replace(/<\/script/gi, '<\\/script')}</script>`;
  const at = sidebarHtml.search(/<head[^>]*>/i);
  if (at < 0) return tag + sidebarHtml;
  const end = sidebarHtml.indexOf('>', at) + 1;
  return sidebarHtml.slice(0, end) + tag + sidebarHtml.slice(end);
}
