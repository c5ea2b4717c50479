// The referloop command: brands, advocates, key rotation, and serving the collector.
import { Command, Option } from 'commander';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { createQueries } from './db/queries.ts';
import { loadMasterKey } from './masterKey.ts';
import { createAdvocate, createBrand, rotateSecretKey } from './services/brands.ts';
import { serveUntilSignalled } from './server.ts';
import { dirname } from 'node:path';

interface CommonOpts { db: string; json?: boolean }

const DEFAULT_DB = './data/referloop.db';

/** Opens the database and the master key kept beside it (or REFERLOOP_MASTER_KEY). */
function open(opts: CommonOpts) {
  const db = openDatabase(opts.db);
  const masterKey = loadMasterKey(process.env.REFERLOOP_MASTER_KEY, dirname(opts.db));
  return { db, q: createQueries(db), masterKey };
}

function print(opts: CommonOpts, result: Record<string, unknown>, human: string): void {
  process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : human + '\n');
}

const common = (cmd: Command) =>
  cmd.option('--db <path>', 'SQLite database file', DEFAULT_DB).option('--json', 'print one JSON object, nothing else');

export function buildCli(): Command {
  const program = new Command('referloop').description('Referloop: self-hosted referral tracking').showHelpAfterError();

  const brand = program.command('brand').description('manage brands');
  common(brand.command('create').description('create a brand with its secret and publishable keys'))
    .requiredOption('--name <name>', 'brand name')
    .addOption(new Option('--plan <plan>', 'plan tier').choices(['starter', 'growth', 'premier']).default('premier'))
    .option('--origin <url...>', 'allowed origin for browser calls (repeatable)', [])
    .action((opts: CommonOpts & { name: string; plan: 'starter' | 'growth' | 'premier'; origin: string[] }) => {
      const { db, q, masterKey } = open(opts);
      const origins = opts.origin.map((o) => new URL(o).origin);
      const r = createBrand(db, q, masterKey, { name: opts.name, plan: opts.plan, origins });
      db.close();
      print(opts, r, `brand id         ${r.brand_id}\nplan             ${r.plan}\nsecret key       ${r.secret_key}\npublishable key  ${r.publishable_key}\n(keys are shown once)`);
    });

  common(program.command('advocate').description('manage advocates').command('create').description('create an advocate with a referral code'))
    .requiredOption('--brand <id>', 'brand id')
    .requiredOption('--email <email>', 'advocate email')
    .requiredOption('--name <name>', 'advocate name')
    .option('--code <code>', 'referral code (generated when absent)')
    .action((opts: CommonOpts & { brand: string; email: string; name: string; code?: string }) => {
      const { db, q } = open(opts);
      const r = createAdvocate(q, { brandId: opts.brand, email: opts.email, name: opts.name, code: opts.code });
      db.close();
      print(opts, r, `advocate id  ${r.advocate_id}\ncode         ${r.code}`);
    });

  common(program.command('key').description('manage keys').command('rotate').description('revoke the secret key and issue a new one'))
    .requiredOption('--brand <id>', 'brand id')
    .action((opts: CommonOpts & { brand: string }) => {
      const { db, q, masterKey } = open(opts);
      const r = rotateSecretKey(db, q, masterKey, opts.brand);
      db.close();
      print(opts, r, `brand id    ${r.brand_id}\nsecret key  ${r.secret_key}\n(the old secret key no longer works)`);
    });

  program.command('serve').description('start the collector')
    .option('--port <n>', 'port (default REFERLOOP_PORT or 8787)')
    .option('--db <path>', 'SQLite database file (default REFERLOOP_DB or ./data/referloop.db)')
    .action(async (opts: { port?: string; db?: string }) => {
      const config = loadConfig(process.env);
      if (opts.port !== undefined) config.port = Number(opts.port);
      if (opts.db !== undefined) {
        config.dbPath = opts.db;
        config.dataDir = dirname(opts.db);
      }
      await serveUntilSignalled(config);
    });
  return program;
}

try {
  await buildCli().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`referloop: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
