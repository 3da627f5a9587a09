// The public face of the settings module: what other modules may use. Nothing else of it is imported from outside.
export { findUserTimezone, insertSettings } from './queries.ts';
export type { UserClock } from './queries.ts';
