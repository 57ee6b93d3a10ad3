// The per-session state model behind the state view and the verb prompts (plain Node, no vscode).
export { SessionStateModel, type StateListener, type StateModelOptions } from './model.js';
export type { StateSource } from './source.js';
export type * from './snapshot.js';
export { STATE_LIMITS } from './limits.js';
