// The panel's entry point (bundled by esbuild into dist/webview/panel.js,
// with panel.css beside it): finds its host (a VS Code webview or a plain
// page), starts the app, routes incoming messages to it and tells the
// extension it is ready for the last picture.

import './panel.css';
import { PanelApp } from './app';
import { detectHost } from './host';

const host = detectHost();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
const app = new PanelApp(root, host);
window.addEventListener('message', (e: MessageEvent) => app.receive(e.data));
host.post({ type: 'ready' });
