// The public face of the household-records module (people, vehicles, providers and saved contacts
// of a household). Nothing else imports it yet: the vault checks references with its own SQL on
// these tables (0013), since this module uses the vault and not the other way round.
export { default as householdRecordRoutes } from './routes.ts';
