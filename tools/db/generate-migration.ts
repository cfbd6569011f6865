// Writes a migration with the SQL that brings a database at the current migrations up to the
// entities: `node tools/run.js tools/db/generate-migration <Name>`. Uses a scratch schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, ensureDatabase, migrate } from '@paperwire/db';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: generate-migration <PascalCaseName>');
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `gen_${Date.now()}`;
  await ensureDatabase(url, schema);
  const ds = createDataSource({ url, schema });
  await ds.initialize();
  try {
    await migrate(ds);
    const log = await ds.driver.createSchemaBuilder().log();
    const strip = (q: string) => q.split(`"${schema}".`).join('').replace(/`/g, '\\`');
    const up = log.upQueries.map((q) => `    await queryRunner.query(\`${strip(q.query)}\`${q.parameters?.length ? `, ${JSON.stringify(q.parameters).split(schema).join('public')}` : ''});`);
    const down = log.downQueries
      .reverse()
      .map((q) => `    await queryRunner.query(\`${strip(q.query)}\`${q.parameters?.length ? `, ${JSON.stringify(q.parameters).split(schema).join('public')}` : ''});`);
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const file = join(__dirname, '..', '..', '..', 'libs', 'db', 'src', 'migrations', `${ts}-${name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up.join('\n')}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down.join('\n')}\n  }\n}\n`,
    );
    process.stdout.write(`wrote ${file} (${up.length} statements); add ${cls} to libs/db/src/migrations/index.ts\n`);
  } finally {
    await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
