import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { createKeyring, type Keyring } from './keyring.ts';
import { deriveMasterKey } from './master-key.ts';
import { readOrCreateVaultKeyFile } from './vault-key-file.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Version-1 envelope encryption under the master key derived from VAULT_KEY. */
    keyring: Keyring;
  }
}

export type KeyringPluginOptions = { config: Pick<Config, 'vaultKey' | 'dataDir'> };

/**
 * Loads the master key once at start: from VAULT_KEY, or (outside production, where the config
 * refuses a missing VAULT_KEY) from `<DATA_DIR>/vault.key`, generated on the first start.
 */
export default fp<KeyringPluginOptions>(
  async (app, { config }) => {
    let secret = config.vaultKey;
    if (secret === undefined) {
      const file = await readOrCreateVaultKeyFile(config.dataDir);
      if (file.created) {
        app.log.warn({ path: file.path }, 'generated a vault key; back this file up: without it no encrypted file or value can be read');
      }
      secret = file.secret;
    }
    app.decorate('keyring', createKeyring(deriveMasterKey(secret)));
  },
  { name: 'keyring' },
);
