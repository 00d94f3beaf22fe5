// A tiny element builder: h('div', {class: 'x', 'aria-label': '...'}, child...)
// sets attributes (never inline style: the CSP allows none) and event
// handlers (`on` + event name), and appends children, skipping null/false.

type Child = Node | string | number | null | undefined | false;
type Handler = (e: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      else if (k === 'class') el.className = String(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.textContent = '';
  append(el, ...children);
}

/** A button that says what it does to a screen reader too. */
export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...props, onclick: (e: Event) => { e.preventDefault(); onClick(); } }, label);
}

/** Renders `draw` into `host`; a throw becomes a visible message, never a blank section. */
export function safely(host: Element, what: string, draw: () => Node): void {
  try {
    replace(host, draw());
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    replace(host, h('div', { class: 'section-error', role: 'alert' }, `The ${what} could not be drawn: ${message}`));
    console.error(e);
  }
}
