// The public face of the auth module: what other modules may use. Nothing else of it is imported from outside.
export { attemptKey, throttledCheck } from './login-throttle.ts';
export { findPasswordHash, findUserByEmail, updateUser } from './queries.ts';
export { deleteUserSessions } from './session-store.ts';
export { insertUser } from './queries.ts';
export type { UserRow } from './queries.ts';
export { startSession } from './routes.ts';
export { RegisterBody, UserResponse } from './schemas.ts';
