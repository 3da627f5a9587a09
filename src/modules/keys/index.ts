// The public face of the keys module: what the password change needs to re-wrap the user key.
export { findKeys, rewrapUserKey } from './queries.ts';
