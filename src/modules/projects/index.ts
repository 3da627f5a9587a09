// The public face of the projects module: what other modules may use. Nothing else of it is imported from outside.
export { listOpenProjects } from './queries.ts';
export { ProjectStatus } from './schemas.ts';
export { listOpenTasksDue } from './task-queries.ts';
