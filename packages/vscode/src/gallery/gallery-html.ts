import type { GalleryItem, PictureAction } from './gallery-item.js';

export interface GalleryPage {
  items: GalleryItem[];
  /** webview.cspSource: the origin pictures are served from. */
  cspSource: string;
  /** A fresh random value per render; only scripts carrying it run. */
  nonce: string;
}

/** The gallery webview's whole document. Every value from disk is escaped: prompts are user text. */
export function galleryHtml({ items, cspSource, nonce }: GalleryPage): string {
  const cards = items.map(card).join('\n');
  const empty =
    '<p class="empty">No generated images in this workspace yet. Run <b>Matryoshka: Generate Image…</b>.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${escapeHtml(cspSource)} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Matryoshka Gallery</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 12px 12px; }
  header { display: flex; gap: 8px; align-items: center; position: sticky; top: 0; padding: 8px 0;
    background: var(--vscode-editor-background); }
  input { flex: 1; padding: 4px 6px; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, transparent); }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 10px; }
  figure { margin: 0; padding: 6px; border: 1px solid var(--vscode-panel-border, #8884); border-radius: 4px; cursor: pointer; }
  figure:hover, figure:focus { outline: 1px solid var(--vscode-focusBorder); }
  /* A checkerboard behind the picture, so a transparent background shows as one. */
  img { width: 100%; aspect-ratio: 1; object-fit: contain; image-rendering: pixelated;
    background: repeating-conic-gradient(#8882 0% 25%, transparent 0% 50%) 50% / 16px 16px; }
  figcaption { font-size: 12px; overflow-wrap: anywhere; }
  .meta { opacity: 0.7; font-size: 11px; }
  .actions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
  .actions button { font-size: 11px; padding: 2px 6px; }
  figure.highlight { outline: 2px solid var(--vscode-focusBorder); }
  [hidden] { display: none; }
</style>
</head>
<body>
<header>
  <input id="filter" type="search" placeholder="Filter by prompt" aria-label="Filter by prompt">
  <button id="refresh" title="Scan the workspace again">Refresh</button>
</header>
${items.length === 0 ? empty : `<main class="grid">\n${cards}\n</main>`}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const figure = event.target.closest('figure');
    if (event.target.id === 'refresh') return vscode.postMessage({ type: 'refresh' });
    if (!figure) return;
    vscode.postMessage({ type: button ? button.dataset.action : 'insert', path: figure.dataset.path });
  });
  document.addEventListener('keydown', (event) => {
    const figure = event.target.closest && event.target.closest('figure');
    if (figure && event.key === 'Enter') vscode.postMessage({ type: 'insert', path: figure.dataset.path });
  });
  // "Show in Gallery" from the explorer: scroll to the picture and mark it.
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'highlight') return;
    for (const figure of document.querySelectorAll('figure')) {
      const hit = figure.dataset.path === message.path;
      figure.classList.toggle('highlight', hit);
      if (hit) { figure.hidden = false; figure.scrollIntoView({ block: 'center' }); figure.focus(); }
    }
  });
  document.getElementById('filter').addEventListener('input', (event) => {
    const words = event.target.value.toLowerCase().split(/\\s+/).filter(Boolean);
    for (const figure of document.querySelectorAll('figure')) {
      const text = figure.dataset.search;
      figure.hidden = !words.every((w) => text.includes(w));
    }
  });
</script>
</body>
</html>`;
}

// The card's buttons: [message type, label, tooltip]. A click elsewhere on the card inserts.
const ACTIONS: ReadonlyArray<readonly [PictureAction, string, string]> = [
  ['insert', 'Insert', 'Insert a link on its own line at the cursor'],
  ['open', 'Open', 'Open the picture'],
  ['copyPrompt', 'Copy Prompt', 'Copy the prompt to the clipboard'],
  ['regenerate', 'Regenerate', 'Draw the same prompt again with a new seed'],
  ['variations', 'Variations', 'Four variations of this picture (image-to-image)'],
  ['reveal', 'Reveal', 'Reveal the file in the explorer'],
  ['delete', 'Delete', 'Move the file to the trash'],
];

function card(item: GalleryItem): string {
  const { record } = item;
  const meta = [
    record.width && record.height ? `${record.width}×${record.height}` : '',
    record.seed === undefined ? '' : `seed ${record.seed}`,
    record.model ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  const search = `${record.prompt} ${item.label}`.toLowerCase();
  return `<figure tabindex="0" data-path="${escapeHtml(item.path)}" data-search="${escapeHtml(search)}" title="Click to insert at the cursor on its own line">
  <img src="${escapeHtml(item.src)}" alt="${escapeHtml(record.prompt)}" loading="lazy">
  <figcaption>${escapeHtml(record.prompt)}<div class="meta">${escapeHtml(meta)}</div><div class="meta">${escapeHtml(item.label)}</div>
  <div class="actions">${ACTIONS.map(([action, text, tip]) => `<button data-action="${action}" title="${tip}">${text}</button>`).join('')}</div></figcaption>
</figure>`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
