// Kysely table types, declared by hand to match db/migrations. tests/schema-drift.test.ts compares
// them with the migrated database so the two cannot silently diverge.
export interface DB {
  server_secrets: ServerSecretsTable;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
}
