// Where the panel runs: inside a VS Code webview (messages to the extension
// and state kept by VS Code through acquireVsCodeApi), or in a plain browser
// page (the standalone page for saved snapshots and for the browser tests:
// no extension, state in sessionStorage, outgoing messages dispatched as a
// `weensyscope-panel-message` DOM event so a test or an embedding page can
// observe them).

import type { FromPanelMessage } from './panel-messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

export interface PanelHost {
  readonly kind: 'vscode' | 'standalone';
  post(message: FromPanelMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const STORAGE_KEY = 'weensyscope.panel.state';

export function detectHost(): PanelHost {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return { kind: 'vscode', post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
  }
  return {
    kind: 'standalone',
    post: (m) => void document.dispatchEvent(new CustomEvent('weensyscope-panel-message', { detail: m })),
    getState: () => {
      try {
        const text = sessionStorage.getItem(STORAGE_KEY);
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    },
    setState: (s) => {
      try {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
      } catch {
        // Storage may be unavailable (file:// pages, private modes): the state lives only as long as the page.
      }
    },
  };
}
