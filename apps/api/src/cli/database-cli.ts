/**
 * The database command line, run from the built app (no TypeScript at run time):
 *   node dist/.../cli/database-cli.js migrate            apply pending migrations
 *   node dist/.../cli/database-cli.js revert             undo the last migration
 *   node dist/.../cli/database-cli.js wait-for-migrations [--timeout-seconds N]
 *                                                         exit 0 once nothing is pending (a new version's
 *                                                         pods wait in an init container for the migration Job)
 *   node dist/.../cli/database-cli.js seed [--size small|medium|large] [--users N] [--articles N] [--if-empty]
 * `npm run db:migrate`, `db:revert` and `db:seed` build first and call this.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@app/config';
import { applyDatabaseSettings, dataSourceOptions, directDataSourceOptions, runMigrations } from '@app/database';
import { Algorithm, hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { DEFAULT_SEED_SIZE, SEED_PASSWORD, SEED_PRESETS, SeedSize, Seeder } from './seed/seeder';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      users: { type: 'string' },
      articles: { type: 'string' },
      size: { type: 'string' },
      'if-empty': { type: 'boolean', default: false },
      'timeout-seconds': { type: 'string' },
    },
  });
  const command = positionals[0];
  const config = loadConfig();
  // Migrations and seeds directly to PostgreSQL (DATABASE_DIRECT_URL), without the request path's
  // statement timeout. Waiting for migrations only reads, once per pod start: one pooled connection,
  // so a rollout of many pods costs the server nothing (docs/scaling.md, the connection budget).
  const db = new DataSource(command === 'wait-for-migrations' ? { ...dataSourceOptions(config), poolSize: 1 } : directDataSourceOptions(config));
  await db.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await runMigrations(db);
        await applyDatabaseSettings(db, config);
        console.log(applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema is up to date');
        break;
      }
      case 'wait-for-migrations': {
        const deadline = Date.now() + positiveInt(values['timeout-seconds'], 600) * 1000;
        while (await db.showMigrations()) {
          if (Date.now() > deadline) throw new Error('migrations are still pending; has the migration job run?');
          console.log('waiting for pending migrations to be applied...');
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
        console.log('schema is up to date');
        break;
      }
      case 'revert':
        await runMigrations(db, 'down');
        console.log('reverted the last migration');
        break;
      case 'seed': {
        if (config.isProduction) throw new Error('refusing to seed a production database (NODE_ENV=production)');
        // Hashed with the configured parameters, so logins verify at the cost production pays, without a rehash.
        const { memoryKib, timeCost, parallelism } = config.argon2;
        const seeder = new Seeder(db, await hash(SEED_PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: memoryKib, timeCost, parallelism }));
        if (!(await seeder.isEmpty())) {
          if (values['if-empty']) {
            console.log('database already has data; seed skipped');
            break;
          }
          throw new Error('seed fills an empty database only; this one already has users');
        }
        const base = seedPreset(values.size);
        const size: SeedSize = { ...base, users: positiveInt(values.users, base.users), articles: positiveInt(values.articles, base.articles) };
        await seeder.seed(size);
        console.log(`seeded ${size.users} users and ${size.articles} articles; log in as ada20@example.com / ${SEED_PASSWORD}`);
        break;
      }
      default:
        throw new Error(`unknown command "${command ?? ''}"; use migrate, wait-for-migrations, revert or seed`);
    }
  } finally {
    await db.destroy();
  }
}

function seedPreset(name: string | undefined): SeedSize {
  if (name === undefined) return DEFAULT_SEED_SIZE;
  if (!Object.hasOwn(SEED_PRESETS, name)) throw new Error(`unknown --size "${name}"; use ${Object.keys(SEED_PRESETS).join(', ')}`);
  return SEED_PRESETS[name as keyof typeof SEED_PRESETS];
}

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 2) throw new Error(`expected an integer >= 2, got "${value}"`);
  return parsed;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
