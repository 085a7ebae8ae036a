"""The page's CSS: light and dark themes, desktop and phone layouts.

Colours are set in pairs (background and text together) so every element keeps WCAG AA contrast
(4.5:1 for text) whichever theme Gradio applies; dark-theme values sit under ``.dark``, the class
Gradio puts on the page when the browser prefers a dark scheme. The axe-core browser test checks it.
On a desktop the source column is sticky, so a clicked citation's paragraph is beside the answer
whatever the scroll position; under 768 px the columns stack, and the header shrinks to one line so
the question box and the answer come first.
"""

CSS = """
#tg-header { align-items: center; gap: 8px 16px; flex-wrap: wrap; }
#tg-header h1 { font-size: 1.5rem; margin: 0; line-height: 1.2; }
#tg-header .tg-sub { font-size: 0.95rem; margin: 0; }
.tg-conv { display: flex; flex-direction: column; gap: 10px; }
.tg-welcome p { margin: 0.2em 0; }
.tg-exchange { display: flex; flex-direction: column; gap: 6px; }
.tg-msg { padding: 10px 12px; border-radius: 10px; line-height: 1.5; max-width: 100%; }
.tg-user { background: #e0e7ff; color: #1e1b4b; align-self: flex-end; max-width: 85%; }
.tg-bot { background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }
.tg-error { background: #fdecea; color: #7a1a10; border: 1px solid #f5c2bd; }
.tg-role { font-size: 0.8rem; font-weight: 600; margin-bottom: 2px; }
.tg-mode-tag { font-weight: 400; border: 1px solid currentColor; border-radius: 4px; padding: 0 4px; }
.tg-notice { font-size: 0.9rem; background: #fff7e0; color: #5c4300; padding: 4px 6px;
  border-radius: 6px; margin-bottom: 6px; }
.tg-pending { color: #4a5563; font-style: italic; }
.tg-withdrawn { font-size: 0.9rem; color: #7a1a10; margin-top: 6px; }
.tg-withdrawn ul { margin: 2px 0 0 1.2em; padding: 0; }
.tg-chip { display: inline-block; min-width: 1.6em; min-height: 1.5em; margin: 0 1px 0 3px;
  padding: 0 5px; font-size: 0.8rem; line-height: 1.5; border-radius: 9px; border: 1px solid #1d4ed8;
  background: #e8f0fd; color: #1e3a8a; cursor: pointer; vertical-align: super; }
.tg-chip.tg-active, .tg-chip:hover { background: #1d4ed8; color: #ffffff; }
.tg-chip:focus-visible, .tg-vote:focus-visible, .tg-back:focus-visible, .tg-copy:focus-visible,
.tg-show-page:focus-visible, .tg-source:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.tg-badge { font-size: 0.75rem; font-weight: 600; margin-left: 4px; padding: 0 5px; border-radius: 4px;
  vertical-align: middle; white-space: nowrap; }
.tg-badge-supported { background: #dcfce7; color: #14532d; }
.tg-badge-weak { background: #fef3c7; color: #713f12; }
.tg-badge-unsupported { background: #fee2e2; color: #7f1d1d; }
.tg-badge-rel-direct { background: #dcfce7; color: #14532d; }
.tg-badge-rel-related { background: #fef3c7; color: #713f12; }
.tg-badge-rel-background { background: #e5e7eb; color: #1f2937; }
.tg-li { display: block; margin-left: 1.2em; }
.tg-gap { display: block; height: 6px; }
.tg-legend { font-size: 0.8rem; margin-top: 6px; }
.tg-refusal-reason { margin: 0 0 6px; }
.tg-filter-note { margin: 0 0 6px; font-weight: 600; }
.tg-searched { font-size: 0.9rem; }
.tg-searched ol { margin: 4px 0 0 1.2em; padding: 0; }
.tg-cite { font-weight: 600; }
.tg-feedback { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 8px; }
.tg-vote, .tg-back, .tg-copy, .tg-show-page { font-size: 0.85rem; padding: 2px 10px; min-height: 28px;
  border-radius: 6px; border: 1px solid #4b5563; background: #ffffff; color: #111827; cursor: pointer; }
.tg-vote[aria-pressed="true"] { background: #1d4ed8; border-color: #1d4ed8; color: #ffffff; }
.tg-vote-status { font-size: 0.85rem; color: #14532d; }
.tg-source { padding: 10px 12px; border: 1px solid var(--border-color-primary); border-radius: 10px;
  background: var(--background-fill-primary); }
.tg-h2 { font-size: 1.1rem; margin: 0 0 6px; }
.tg-source-empty { font-style: italic; }
.tg-source-label { font-weight: 700; }
.tg-source-title { font-style: italic; margin: 2px 0 6px; }
.tg-meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 10px; font-size: 0.9rem;
  margin: 0 0 8px; }
.tg-meta dt { font-weight: 600; }
.tg-meta dd { margin: 0; }
.tg-supports { font-size: 0.9rem; margin-bottom: 6px; }
.tg-para { white-space: normal; line-height: 1.55; margin: 6px 0; }
.tg-para mark { background: #fde68a; color: #111827; padding: 0 1px; }
.tg-footnotes { font-size: 0.85rem; margin: 4px 0 4px 1.2em; padding: 0; }
.tg-fn-marker { font-weight: 600; }
.tg-original { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0; }
.tg-url { font-size: 0.9rem; color: #1d4ed8; text-decoration: underline; }
.tg-page { margin: 8px 0; }
.tg-page img { max-width: 100%; border: 1px solid var(--border-color-primary); }
.tg-page figcaption { font-size: 0.85rem; }
.tg-citable { margin-top: 8px; }
.tg-block { white-space: pre-wrap; font-size: 0.85rem; background: var(--background-fill-secondary);
  color: var(--body-text-color); padding: 6px 8px; border-radius: 6px; margin: 0 0 4px; }
.tg-source .tg-block { max-height: 9em; overflow: auto; }
.tg-copied { font-size: 0.85rem; margin-left: 6px; color: #14532d; }
.tg-hits ol { padding-left: 1.4em; }
.tg-hit { margin-bottom: 14px; }
.tg-hit-doc { font-size: 0.9rem; }
.tg-weak { background: #fff7e0; color: #5c4300; padding: 6px 8px; border-radius: 6px; margin-bottom: 8px; }
.tg-health { font-size: 0.85rem; }
.tg-health-down strong { color: #991b1b; }
.tg-status:empty { display: none; }
.tg-alert { color: #991b1b; font-weight: 600; }
.tg-ok { color: #14532d; }
/* Gradio clips its container with overflow: hidden, which disables sticky positioning inside it;
   clip (unlike hidden) makes no scroll container, so the source column can stick. */
.gradio-container { overflow-x: clip !important; overflow-y: visible !important; }
#tg-source-col { position: sticky; top: 8px; align-self: flex-start; max-height: calc(100vh - 16px);
  overflow-y: auto; }
/* Gradio's own controls: AA contrast for the primary button, the selected tab, placeholders, hints */
#tg-ask, #tg-find-go, #tg-upload-go { background: #1d4ed8; border-color: #1d4ed8; color: #ffffff; }
#tg-ask:hover, #tg-find-go:hover, #tg-upload-go:hover { background: #1e40af; }
button[role="tab"][aria-selected="true"] { color: #1d4ed8; border-color: #1d4ed8; }
textarea::placeholder, input::placeholder { color: #4b5563; opacity: 1; }
.info-text { color: #4b5563; }
.dark .tg-user { background: #312e81; color: #eef2ff; }
.dark .tg-error { background: #450a0a; color: #fecaca; border-color: #7f1d1d; }
.dark .tg-notice, .dark .tg-weak { background: #422006; color: #fde68a; }
.dark .tg-chip { background: #1e3a8a; color: #e0e7ff; border-color: #93c5fd; }
.dark .tg-chip.tg-active, .dark .tg-chip:hover { background: #bfdbfe; color: #172554; }
.dark .tg-badge-supported { background: #14532d; color: #dcfce7; }
.dark .tg-badge-weak { background: #713f12; color: #fef3c7; }
.dark .tg-badge-unsupported { background: #7f1d1d; color: #fee2e2; }
.dark .tg-badge-rel-direct { background: #14532d; color: #dcfce7; }
.dark .tg-badge-rel-related { background: #713f12; color: #fef3c7; }
.dark .tg-badge-rel-background { background: #374151; color: #f3f4f6; }
.dark .tg-vote, .dark .tg-back, .dark .tg-copy, .dark .tg-show-page {
  background: #1f2937; color: #f9fafb; border-color: #9ca3af; }
.dark .tg-vote[aria-pressed="true"] { background: #bfdbfe; color: #172554; border-color: #bfdbfe; }
.dark .tg-vote-status, .dark .tg-copied, .dark .tg-ok { color: #86efac; }
.dark .tg-para mark { background: #fde68a; color: #111827; }
.dark .tg-url { color: #93c5fd; }
.dark .tg-alert, .dark .tg-health-down strong { color: #fca5a5; }
.dark button[role="tab"][aria-selected="true"] { color: #93c5fd; border-color: #93c5fd; }
.dark textarea::placeholder, .dark input::placeholder { color: #d1d5db; }
.dark .info-text { color: #d1d5db; }
@media (max-width: 767px) {
  #tg-header { gap: 0 8px; }
  #tg-header h1 { font-size: 1.15rem; }
  #tg-header .tg-sub, #tg-header .tg-health-detail { display: none; }
  #tg-header { flex-wrap: nowrap !important; }
  #tg-header > * { min-width: 0 !important; width: auto !important; flex: 0 1 auto !important; }
  #tg-source-col { position: static; max-height: none; overflow: visible; }
  .tg-user { max-width: 95%; }
}
"""
