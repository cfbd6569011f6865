import type { Command } from 'commander';
import { KEY_REVOKED_REASON, createKey, listKeys, revokeKey } from '@paperwire/actions';
import { API_KEY_SCOPES } from '@paperwire/db';
import { out, printList } from '../output';
import { action, context } from '../runtime';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys (stored hashed; the key is shown once)');
  keys
    .command('create <name>')
    .description('create an API key with these scopes; the key is printed once (only its hash is stored)')
    .requiredOption('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(', ')}`)
    .action(
      action(async (name: string, o: { scopes: string }) => {
        out(await createKey(await context().db(), { name, scopes: o.scopes.split(',').map((s) => s.trim()) }));
      }),
    );
  keys
    .command('list')
    .description('every key, revoked ones included')
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (o: { json?: boolean }) => {
        printList(await listKeys(await context().db(), { includeRevoked: true }), o, ['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']);
      }),
    );
  keys
    .command('revoke <idOrPrefix>')
    .description(`revoke a key; its subscriptions are paused with the reason "${KEY_REVOKED_REASON}" (unconfirmed ones disabled)`)
    .action(
      action(async (idOrPrefix: string) => {
        out(await revokeKey(await context().db(), idOrPrefix));
      }),
    );
}
