// The public face of the locations module: what other modules may use. Nothing else of it is imported from outside.
export { findLocation } from './queries.ts';
