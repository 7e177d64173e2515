"""The app's stylesheet and page script: calm colours, large text, safety block in view."""

# The page script. No autofocus: the first screen keeps the title, the purpose, the
# disclaimer and the tabs in view. For each new message, the person's message is pinned to
# the top of the chat and brought into the window, so the safety block (the first thing in
# every reply) is what they see, not their own long text nor the sources at the end of a
# long reply. The Chatbot's own autoscroll (to the bottom) is switched off. Arrow keys move
# between tabs, and an [n] in an answer takes the reader to its source.
JS = """
() => {
  let pinned = 0;
  // Messages that appear before the person has touched the page are a conversation
  // restored from this browser after a reload: they leave the first screen as it is.
  let touched = false;
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, () => { touched = true; }, true);
  }
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (/(auto|scroll)/.test(getComputedStyle(p).overflowY) && p.scrollHeight > p.clientHeight) {
        return p;
      }
    }
    return null;
  };
  // Scroll `box` (the chat, or the window when null) so that `first` is at its top, or,
  // when that would leave the safety block below the visible part, the safety block.
  const show = (box, first, safety) => {
    const top = box ? box.getBoundingClientRect().top : 0;
    const height = box ? box.clientHeight : window.innerHeight;
    let by = first.getBoundingClientRect().top - top - 8;
    if (safety) {
      const s = safety.getBoundingClientRect();
      const room = height - Math.min(s.height, height * 0.6);
      if (s.top - top - by > room) by = s.top - top - 8;
    }
    if (Math.abs(by) < 2) return;
    if (box) box.scrollTop += by; else window.scrollBy(0, by);
  };
  const follow = () => {
    const users = document.querySelectorAll('#kb-chat [data-testid="user"]');
    if (users.length < pinned) pinned = 0;
    if (users.length === 0 || users.length === pinned) return;
    if (!touched) { pinned = users.length; return; }
    const last = users[users.length - 1];
    const bots = document.querySelectorAll('#kb-chat [data-testid="bot"]');
    const reply = bots[bots.length - 1];
    const below = reply && (last.compareDocumentPosition(reply) & Node.DOCUMENT_POSITION_FOLLOWING);
    const safety = below ? reply.querySelector('.kb-banner, .kb-press') : null;
    const box = scroller(last);
    if (box) show(box, last, safety);
    const chat = document.querySelector('#kb-chat').getBoundingClientRect();
    const view = (safety || last).getBoundingClientRect();
    if (chat.top < 0 || view.top < 0 || view.bottom > window.innerHeight) {
      show(null, box ? document.querySelector('#kb-chat') : last, safety);
    }
    if (below && reply.querySelector('.kb-done, .kb-note')) pinned = users.length;
  };
  new MutationObserver(() => requestAnimationFrame(follow))
    .observe(document.body, { childList: true, subtree: true });

  document.addEventListener('keydown', (event) => {
    const tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    const tabs = [...tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]')]
      .filter((t) => t.offsetParent !== null);
    const at = tabs.indexOf(tab);
    const last = tabs.length - 1;
    const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: last }[event.key];
    const target = tabs[(next + tabs.length) % tabs.length];
    event.preventDefault();
    target.focus();
    target.click();
  });

  document.addEventListener('click', (event) => {
    const ref = event.target.closest && event.target.closest('a.kb-ref');
    if (!ref) return;
    const source = document.getElementById(ref.getAttribute('href').slice(1));
    if (!source) return;
    event.preventDefault();
    source.scrollIntoView({ block: 'nearest' });
    source.setAttribute('tabindex', '-1');
    source.focus({ preventScroll: true });
    source.classList.add('kb-flash');
    setTimeout(() => source.classList.remove('kb-flash'), 1600);
  });
}
"""

CSS = """
.gradio-container { max-width: 960px !important; margin: 0 auto !important; }
.gradio-container, .gradio-container button, .gradio-container textarea { font-size: 17px; }
#kb-header h1 { font-size: 1.8rem; margin: 0.2rem 0 0.1rem; }
#kb-header p { margin: 0; color: #334155; font-size: 1.05rem; }
/* WCAG AA contrast (4.5:1) for text gradio draws in light greys and teal */
.gradio-container textarea::placeholder { color: #5b6473 !important; opacity: 1; }
.tab-container button[role="tab"][aria-selected="true"] { color: #0f5f59 !important; }
.tab-container button[role="tab"] { color: #334155; }

.kb-standing {
  background: #e8f3f6; color: #12343b; border-left: 5px solid #0e7490;
  border-radius: 8px; padding: 0.6rem 0.9rem; font-size: 1rem; line-height: 1.45;
}

.kb-answer { font-size: 1.05rem; line-height: 1.55; overflow-wrap: anywhere; }
.kb-answer p { margin: 0 0 0.6rem; }
.kb-answer ul { margin: 0.2rem 0 0.6rem 1.3rem; padding: 0; }

.kb-banner {
  border: 2px solid; border-radius: 10px; padding: 0.7rem 0.95rem; margin: 0 0 0.8rem;
}
.kb-banner p, .kb-banner li { color: inherit !important; }
.kb-banner .kb-banner-title { font-weight: 700; font-size: 1.15rem; margin: 0; }
.kb-banner .kb-banner-action { font-weight: 600; font-size: 1.1rem; margin: 0.3rem 0 0; }
.kb-banner-reasons { margin: 0.4rem 0 0 1.2rem !important; font-size: 0.95rem; }
.kb-banner .kb-banner-earlier { margin: 0.45rem 0 0; font-size: 0.95rem; }
.kb-banner-emergency { background: #b42318; border-color: #7a1a12; color: #ffffff; }
.kb-banner-emergency .kb-banner-title::before,
.kb-banner-urgent .kb-banner-title::before { content: "\\26A0  "; }
.kb-banner-urgent { background: #c2410c; border-color: #8a2c07; color: #ffffff; }
.kb-banner-see-doctor { background: #fef3c7; border-color: #d97706; color: #3d2a04; }
.kb-banner-out-of-scope { background: #f1f5f9; border-color: #cbd5e1; color: #1e293b; }

.kb-press {
  border: 2px solid; border-radius: 10px; padding: 0.6rem 0.95rem; margin: 0 0 0.8rem;
  background: #ffffff; color: #1f2937;
}
.kb-press p, .kb-press li { color: inherit !important; }
.kb-press .kb-press-verdict { font-size: 1.3rem; font-weight: 700; margin: 0; }
.kb-press-reasons { margin: 0.35rem 0 0 1.2rem !important; font-size: 0.95rem; }
.kb-press-do-not-press { border-color: #b42318; background: #fdecea; color: #7a1a12; }
.kb-press-stop { border-color: #c2410c; background: #fff1e6; color: #7c2d12; }
.kb-press-gently { border-color: #15803d; background: #ecfdf3; color: #14532d; }

.kb-ref {
  display: inline-block; font-size: 0.85em; font-weight: 700; color: #0b5c70 !important;
  padding: 0 0.15em; white-space: nowrap;
}
a.kb-ref { text-decoration: underline; }
.kb-source.kb-flash { outline: 3px solid #0e7490; outline-offset: 2px; border-radius: 4px; }
.kb-sources { border-top: 1px solid var(--border-color-primary); margin-top: 0.8rem;
  padding-top: 0.5rem; }
.kb-sources .kb-sources-title { font-weight: 700; margin: 0 0 0.3rem; }
.kb-source-list { list-style: none; margin: 0 !important; padding: 0 !important; }
.kb-source { margin: 0 0 0.7rem; }
.kb-source .kb-source-head { margin: 0 0 0.2rem; font-size: 0.98rem; }
.kb-source-n { font-weight: 700; color: #0b5c70; }
.kb-source-title { font-weight: 600; }
.kb-source-section { color: #475569; }
.kb-more summary { cursor: pointer; color: #0b5c70; font-size: 0.95rem; padding: 0.35rem 0;
  min-height: 24px; }
.kb-more[open] summary { margin-bottom: 0.2rem; }
.kb-passage {
  white-space: pre-line; margin: 0 !important; padding: 0.3rem 0.75rem !important;
  border-left: 3px solid #94a3b8; font-size: 0.95rem; line-height: 1.5;
}
.kb-passage mark { background: #fde68a; color: #1f2937; padding: 0 0.1em; border-radius: 3px; }

.kb-note {
  border-radius: 8px; padding: 0.55rem 0.85rem; font-size: 1rem;
  background: #f1f5f9; color: #1e293b; border: 1px solid #cbd5e1;
}
.kb-note-error { background: #fff7ed; color: #7c2d12; border-color: #fdba74; }
.kb-typing, .kb-waiting { color: #475569; font-style: italic; }
.kb-shortened { color: inherit; font-style: italic; }
.kb-verdict-change { margin: 0.35rem 0 0 !important; font-size: 1rem; }

/* Tabs: gradio moves tabs that don't fit into a "more" menu, measured on a hidden copy of
   the buttons. Narrow that copy so every tab stays visible, and let the real row wrap. */
.tab-container.visually-hidden button { font-size: 1px !important; padding: 0 !important; }
.tab-container[role="tablist"] { flex-wrap: wrap; height: auto !important; row-gap: 2px; }
.tab-container[role="tablist"] button { white-space: normal; }

#kb-chat .message { max-width: 100%; }
/* One way to clear the chat, and it asks first: "Start a new conversation". */
#kb-chat button[aria-label="Clear"] { display: none !important; }
/* An empty chat is small, so the first screen also shows where to type. */
#kb-chat:has(.placeholder-content) { height: 110px !important; }
@media (min-height: 700px) { #kb-chat { max-height: calc(100vh - 150px); } }
#kb-input-row { align-items: flex-end; }
#kb-input-row #kb-send { min-height: 48px; flex-grow: 0; }
#kb-send { min-width: 96px; }
/* Feedback: big thumbs (44 px, WCAG 2.5.5), the thank-you and comment right under them */
#kb-chat button[aria-label^="Like"], #kb-chat button[aria-label^="Dislike"] {
  min-width: 44px !important; min-height: 44px !important; }
#kb-chat button[aria-label^="Like"] svg, #kb-chat button[aria-label^="Dislike"] svg {
  width: 24px !important; height: 24px !important; }
#kb-comment-row, #kb-new-confirm { align-items: flex-end; }
#kb-new-yes { background: #b42318 !important; color: #ffffff !important;
  border-color: #7a1a12 !important; }
footer a, footer .built-with, footer .settings, footer button { color: #475569 !important; }
#kb-comment-save, #kb-new-yes, #kb-new-keep { min-height: 48px; flex-grow: 0; }
.kb-counter-text { margin: 0; font-size: 0.9rem; color: #475569; text-align: right; }
.kb-counter-text.kb-over { color: #9a3412; font-weight: 600; }
.kb-examples-title { margin: 0.2rem 0 0; font-weight: 600; }
#kb-examples { flex-wrap: wrap; gap: 6px; }
#kb-examples button { flex: 0 1 auto !important; min-width: 0 !important; min-height: 44px;
  white-space: normal; text-align: left; }
#kb-new { max-width: 320px; }
.kb-confirm { margin: 0; font-weight: 600; }
.kb-privacy { font-size: 0.92rem; color: #334155; margin: 0.2rem 0 0; line-height: 1.45; }
/* (no commas inside :has() or :is(): gradio splits its CSS selectors at every comma) */
.kb-result:not(:has(.kb-note)):not(:has(.kb-answer)):not(:has(.kb-banner)) { display: none; }

@media (max-width: 640px) {
  .gradio-container { padding: 0 6px !important; }
  .gradio-container, .gradio-container button, .gradio-container textarea { font-size: 16px; }
  #kb-header h1 { font-size: 1.45rem; }
  .kb-banner, .kb-press { padding: 0.6rem 0.7rem; }
  .kb-passage { padding: 0.25rem 0.5rem !important; }
}
"""
