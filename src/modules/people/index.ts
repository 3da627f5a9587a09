// The public face of the people module: what other modules may use. Nothing else of it is imported from outside.
export { listBirthdaysBetween } from './queries.ts';
