// The public face of the todos module: what other modules may use. Nothing else of it is imported from outside.
export { countOpenTodos, listOpenTodosDue } from './queries.ts';
export { Priority } from './schemas.ts';
