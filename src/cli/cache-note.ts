/**
 * Help text of the verbs that end sessions from the CLI: running daemons answer a
 * session from memory for up to `cache.ttl` seconds (README "Scaling out").
 */
export const CACHE_NOTE = `
Running daemons see this within cache.ttl seconds (5 by default): a session
checked in the last cache.ttl seconds is still let in until then.`;
