// The API VS Code gives a webview script (acquireVsCodeApi may be called once).
import type { FromWebview, WebviewPersistedState } from '../src/shared/messages.js';

export interface WebviewApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewPersistedState | undefined;
  setState(state: WebviewPersistedState): void;
}

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

export function vscodeApi(): WebviewApi {
  const api = acquireVsCodeApi();
  return {
    postMessage: (m) => api.postMessage(m),
    getState: () => {
      const s = api.getState() as Partial<WebviewPersistedState> | undefined;
      return s && s.version === 1 ? (s as WebviewPersistedState) : undefined;
    },
    setState: (s) => api.setState(s),
  };
}
