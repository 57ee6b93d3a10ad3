// The context key of the active session's verb state, on its own (no imports) so the extension
// can register the palette verbs and set the key at activation without loading the verb table.

/** The context key the extension sets to `protocol:state` for the active session. */
export const VERB_STATE_KEY = 'mailwire.activeVerbState';
