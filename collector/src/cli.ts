// The referloop command's definitions: brands, keys, advocates, the programme's settings, commissions and payouts,
// outgoing webhooks, and serving the collector. Only commander is loaded up front; each action imports what it needs
// (cli/*.ts), so `referloop --help` and the quick commands start in a fraction of the time the whole collector takes to load.
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import type { BrandOpts, CommonOpts } from './cli/common.ts';

const DB_HELP = 'SQLite database file (default: $REFERLOOP_DB, else $REFERLOOP_DATA_DIR/referloop.db, else ./data/referloop.db)';

const common = (cmd: Command) => cmd.option('--db <path>', DB_HELP).option('--json', 'print one JSON object, nothing else');

/** A brand's command: its use case runs with the brand, the clock and the queries, in one transaction. */
const ofBrand = (cmd: Command) => common(cmd).requiredOption('--brand <id>', 'brand id');

// The one-shot commands run under tsx's in-thread CommonJS hooks (see bin/referloop.mjs), so their modules are
// loaded with require: a dynamic import() would need tsx's ESM loader, whose start-up they do without.
const load = createRequire(import.meta.url);
const keys = () => load('./cli/keys.ts') as typeof import('./cli/keys.ts');
const programme = () => load('./cli/programme.ts') as typeof import('./cli/programme.ts');
const users = () => load('./cli/users.ts') as typeof import('./cli/users.ts');
const people = () => load('./cli/people.ts') as typeof import('./cli/people.ts');
const migrateData = () => load('./cli/migrateData.ts') as typeof import('./cli/migrateData.ts');
const webhooks = () => load('./cli/webhooks.ts') as typeof import('./cli/webhooks.ts');
const catalogue = () => load('./cli/catalogue.ts') as typeof import('./cli/catalogue.ts');
const testimonials = () => load('./cli/testimonials.ts') as typeof import('./cli/testimonials.ts');
const feedback = () => load('./cli/feedback.ts') as typeof import('./cli/feedback.ts');
const quests = () => load('./cli/quests.ts') as typeof import('./cli/quests.ts');
const sso = () => load('./cli/sso.ts') as typeof import('./cli/sso.ts');

export function buildCli(): Command {
  const program = new Command('referloop').description('Referloop: self-hosted referral tracking').showHelpAfterError();

  const brand = program.command('brand').description('manage brands');
  common(brand.command('create').description('create a brand with its secret and publishable keys (creates the database if needed)'))
    .requiredOption('--name <name>', 'brand name')
    .addOption(new Option('--plan <plan>', 'plan tier').choices(['starter', 'growth', 'premier']).default('premier'))
    .option('--origin <url...>', 'allowed origin for browser calls (repeatable)', [])
    .action((opts: CommonOpts & { name: string; plan: 'starter' | 'growth' | 'premier'; origin: string[] }) => programme().brandCreate(opts));
  common(brand.command('list').description('list every brand: id, name, plan, created_at'))
    .action((opts: CommonOpts) => keys().brandList(opts));

  const advocate = program.command('advocate').description('manage advocates');
  ofBrand(advocate.command('create').description('create an advocate with a referral code'))
    .requiredOption('--email <email>', 'advocate email')
    .requiredOption('--name <name>', 'advocate name')
    .option('--code <code>', 'referral code (generated when absent)')
    .option('--campaign <id>', 'the campaign the advocate joins (the default campaign when absent)')
    .action((opts: BrandOpts & { email: string; name: string; code?: string; campaign?: string }) => programme().advocateCreate(opts));

  const key = program.command('key').description("a brand's keys: one per integration, each shown once, revoked on its own");
  ofBrand(key.command('create').description('issue another named key (secret unless --kind publishable)'))
    .requiredOption('--name <name>', 'what uses it, e.g. "shopify backend" or zapier')
    .addOption(new Option('--kind <kind>', 'key kind').choices(['secret', 'publishable']).default('secret'))
    .action((opts: BrandOpts & { name: string; kind: 'secret' | 'publishable' }) => keys().keyCreate(opts));
  ofBrand(key.command('list').description("list the brand's keys (never the keys themselves), revoked ones included"))
    .action((opts: BrandOpts) => keys().keyList(opts));
  ofBrand(key.command('revoke').description('revoke one key at once; the brand\'s other keys keep working'))
    .requiredOption('--key <id>', 'key id (see key list)')
    .action((opts: BrandOpts & { key: string }) => keys().keyRevoke(opts));
  ofBrand(key.command('rotate').description('revoke a secret key (default: the brand\'s "default" key) and issue its replacement'))
    .option('--key <id>', 'the secret key to replace (see key list); it keeps its name')
    .action((opts: BrandOpts & { key?: string }) => keys().keyRotate(opts));

  ofBrand(advocate.command('list').description('list advocates with their clicks, conversions and earnings'))
    .option('--status <status>', 'active, pending or blocked')
    .option('--campaign <id>', 'only the advocates of this campaign')
    .option('--tier <tier>', 'only this tier')
    .option('--search <text>', 'in name, email or codes')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { status?: string; tier?: string; campaign?: string; search?: string; limit: string; page: string }) =>
      programme().advocateList(opts));

  ofBrand(advocate.command('update').description('change an advocate: block or unblock, tier, name, email'))
    .requiredOption('--id <id>', 'advocate id')
    .option('--status <status>', 'active, pending or blocked')
    .option('--tier <tier>', 'tier name')
    .option('--name <name>', 'name')
    .option('--email <email>', 'email')
    .option('--campaign <id>', 'move the advocate to this campaign (its next referrals follow its rules)')
    .action((opts: BrandOpts & { id: string; status?: string; tier?: string; name?: string; email?: string; campaign?: string }) =>
      programme().advocateUpdate(opts));

  ofBrand(advocate.command('portal-link').description("a link into the advocate's portal: it works once, for an hour"))
    .requiredOption('--id <id>', 'advocate id')
    .action((opts: BrandOpts & { id: string }) => programme().advocatePortalLink(opts));

  const campaign = program.command('campaign').description("the brand's campaigns: sets of programme rules side by side");
  ofBrand(campaign.command('list').description('every campaign with its rules and how many advocates it has'))
    .action((opts: BrandOpts) => programme().campaignList(opts));
  ofBrand(campaign.command('get').description('one campaign'))
    .requiredOption('--id <id>', 'campaign id')
    .action((opts: BrandOpts & { id: string }) => programme().campaignGet(opts));
  ofBrand(campaign.command('archive').description('archive a campaign: it takes no new advocate, its advocates keep its rules'))
    .requiredOption('--id <id>', 'campaign id')
    .action((opts: BrandOpts & { id: string }) => programme().campaignSet(['status=archived'], opts));
  ofBrand(campaign.command('add').description('a new campaign: NAME, and KEY=VALUE rules (the others start as the default campaign\'s)'))
    .argument('<name>', 'e.g. "Partners 20%"')
    .argument('[pairs...]', 'e.g. referrer_reward_value=20 cooling_period_days=14 signup=approval')
    .action((name: string, pairs: string[], opts: BrandOpts) => programme().campaignAdd(name, pairs, opts));
  ofBrand(campaign.command('set').description('change a campaign: KEY=VALUE with the fields of PATCH /api/v1/campaigns/:id (status=archived archives)'))
    .requiredOption('--id <id>', 'campaign id')
    .argument('<pairs...>', 'e.g. referrer_reward_value=25 name="Partners 25%"')
    .action((pairs: string[], opts: BrandOpts & { id: string }) => programme().campaignSet(pairs, opts));

  const reward = program.command('reward').description("the rewards catalogue: what advocates spend points on (not the commissions they earn)");
  ofBrand(reward.command('list').description('the whole catalogue, oldest first'))
    .option('--status <status>', 'active or archived')
    .option('--type <type>', 'discount_code, gift_card, product or custom')
    .action((opts: BrandOpts & { status?: string; type?: string }) => catalogue().rewardList(opts));
  ofBrand(reward.command('get').description('one catalogue reward'))
    .requiredOption('--id <id>', 'reward id')
    .action((opts: BrandOpts & { id: string }) => catalogue().rewardGet(opts));
  const rewardFields = (cmd: Command) => cmd
    .option('--description <text>', 'what the advocate gets')
    .option('--stock <n>', 'units to redeem, or "unlimited"');
  ofBrand(rewardFields(reward.command('add').description('add a reward to the catalogue (stock unlimited unless given)'))
    .requiredOption('--name <name>', 'reward name')
    .requiredOption('--points-cost <n>', 'whole points a redemption costs')
    .requiredOption('--type <type>', 'discount_code, gift_card, product or custom'))
    .action((opts: BrandOpts & import('./cli/catalogue.ts').RewardFieldOpts) => catalogue().rewardAdd(opts));
  ofBrand(rewardFields(reward.command('set').description('change a catalogue reward (only the options given)'))
    .requiredOption('--id <id>', 'reward id')
    .option('--name <name>', 'reward name')
    .option('--points-cost <n>', 'whole points a redemption costs (past redemptions keep theirs)')
    .option('--type <type>', 'discount_code, gift_card, product or custom')
    .option('--status <status>', 'active or archived'))
    .action((opts: BrandOpts & import('./cli/catalogue.ts').RewardFieldOpts & { id: string }) => catalogue().rewardSet(opts));
  ofBrand(reward.command('archive').description('archive a reward: listed, no longer redeemable'))
    .requiredOption('--id <id>', 'reward id')
    .action((opts: BrandOpts & { id: string }) => catalogue().rewardSet({ ...opts, status: 'archived' }));
  ofBrand(reward.command('redeem').description("redeem a reward with an advocate's points (points, stock and redemption together)"))
    .requiredOption('--id <id>', 'reward id')
    .requiredOption('--advocate <id>', 'the advocate whose points pay')
    .action((opts: BrandOpts & { id: string; advocate: string }) => catalogue().rewardRedeem(opts));

  const redemption = program.command('redemption').description('redemptions of catalogue rewards: list, fulfil, cancel');
  ofBrand(redemption.command('list').description('list redemptions, newest first'))
    .option('--advocate <id>', 'of this advocate')
    .option('--reward <id>', 'of this catalogue reward')
    .option('--status <status>', 'pending, fulfilled or cancelled')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { advocate?: string; reward?: string; status?: string; limit: string; page: string }) => catalogue().redemptionList(opts));
  ofBrand(redemption.command('fulfil').description('mark a pending redemption fulfilled, with what was given'))
    .requiredOption('--id <id>', 'redemption id')
    .requiredOption('--given <text>', 'what was given: a coupon code, a gift card number, a tracking number')
    .action((opts: BrandOpts & { id: string; given: string }) => catalogue().redemptionFulfil(opts));
  ofBrand(redemption.command('cancel').description('cancel a redemption: its points go back to the advocate, its unit to the stock'))
    .requiredOption('--id <id>', 'redemption id')
    .option('--reason <text>', 'why')
    .action((opts: BrandOpts & { id: string; reason?: string }) => catalogue().redemptionCancel(opts));

  const quest = program.command('quest').description('quests: tasks advocates complete for points, and a reward (points or a catalogue reward) for all of them');
  ofBrand(quest.command('list').description('every quest, oldest first'))
    .option('--status <status>', 'draft, active or archived')
    .action((opts: BrandOpts & { status?: string }) => quests().questList(opts));
  ofBrand(quest.command('get').description("a quest, its tasks and its advocates' progress"))
    .requiredOption('--id <id>', 'quest id')
    .option('--advocate <id>', "this advocate's progress only")
    .action((opts: BrandOpts & { id: string; advocate?: string }) => quests().questGet(opts));
  const questFields = (cmd: Command) => cmd
    .option('--description <text>', 'what the quest is about')
    .addOption(new Option('--reward-points <n>', 'points for completing every task, once per advocate ("none": no reward)').conflicts('rewardCatalogue'))
    .addOption(new Option('--reward-catalogue <reward id>', 'instead: an active catalogue reward granted for completing every task, once per advocate (a pending redemption of 0 points)').conflicts('rewardPoints'))
    .option('--status <status>', 'draft, active or archived')
    .option('--starts-at <date>', 'tasks can be completed from (a date or an ISO date-time)')
    .option('--ends-at <date>', 'until (exclusive)');
  ofBrand(questFields(quest.command('add').description('create a quest with its tasks, in order (active unless --status says otherwise)'))
    .requiredOption('--title <title>', 'quest title')
    .requiredOption('--task <title=points...>', 'a task and its points, e.g. "Share your link=10" (once per task)'))
    .action((opts: BrandOpts & import('./cli/quests.ts').QuestFieldOpts & { task: string[] }) => quests().questAdd(opts));
  ofBrand(questFields(quest.command('set').description('change a quest (only the options given; its tasks never change)'))
    .requiredOption('--id <id>', 'quest id')
    .option('--title <title>', 'quest title'))
    .action((opts: BrandOpts & import('./cli/quests.ts').QuestFieldOpts & { id: string }) => quests().questSet(opts));
  ofBrand(quest.command('complete').description("mark a task complete for an advocate: its points once, and the quest's reward with the last task"))
    .requiredOption('--id <id>', 'quest id')
    .requiredOption('--advocate <id>', 'advocate id')
    .requiredOption('--task <id>', 'task id')
    .action((opts: BrandOpts & { id: string; advocate: string; task: string }) => quests().questComplete(opts));

  const mapping = program.command('sso').description("single sign-on: the site's customers mapped to advocates")
    .command('mapping').description('customer mappings: list, add, remove');
  ofBrand(mapping.command('list').description('list the mappings, newest first'))
    .option('--advocate <id>', 'of this advocate')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { advocate?: string; limit: string; page: string }) => sso().mappingList(opts));
  ofBrand(mapping.command('add').description("tie a customer of the site (its own id) to an advocate"))
    .requiredOption('--advocate <id>', 'the advocate')
    .requiredOption('--customer <id>', "the site's id of its customer (external_customer_id)")
    .option('--email <email>', "the customer's email on the site")
    .option('--name <name>', "the customer's name on the site")
    .action((opts: BrandOpts & { advocate: string; customer: string; email?: string; name?: string }) => sso().mappingAdd(opts));
  ofBrand(mapping.command('remove').description('delete a mapping'))
    .requiredOption('--id <id>', 'mapping id')
    .action((opts: BrandOpts & { id: string }) => sso().mappingRemove(opts));

  const testimonial = program.command('testimonial').description('testimonials: the moderation queue');
  ofBrand(testimonial.command('list').description('list testimonials, newest first'))
    .option('--status <status>', 'pending, approved or rejected')
    .option('--rating <n>', 'of this rating (1-5)')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { status?: string; rating?: string; limit: string; page: string }) => testimonials().testimonialList(opts));
  for (const [name, status] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    ofBrand(testimonial.command(name).description(`mark a testimonial ${status}${status === 'approved' ? " (shown on the site's pages)" : ''}`))
      .requiredOption('--id <id>', 'testimonial id')
      .action((opts: BrandOpts & { id: string }) => testimonials().testimonialModerate({ ...opts, status }));
  }

  const board = program.command('board').description('feedback boards, where advocates post ideas');
  ofBrand(board.command('list').description('every board, oldest first')).action((opts: BrandOpts) => feedback().boardList(opts));
  ofBrand(board.command('create').description('create a feedback board'))
    .requiredOption('--name <name>', 'board name')
    .option('--description <text>', 'what the board is for')
    .action((opts: BrandOpts & { name: string; description?: string }) => feedback().boardCreate(opts));

  const idea = program.command('idea').description("ideas of a feedback board: list, status");
  ofBrand(idea.command('list').description("a board's ideas"))
    .requiredOption('--board <id>', 'board id')
    .option('--status <status>', 'open, planned, in_progress, done or declined')
    .option('--sort <order>', 'newest (default) or votes')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { board: string; status?: string; sort?: string; limit: string; page: string }) => feedback().ideaList(opts));
  ofBrand(idea.command('status').description("change an idea's status"))
    .requiredOption('--id <id>', 'idea id')
    .requiredOption('--status <status>', 'open, planned, in_progress, done or declined')
    .action((opts: BrandOpts & { id: string; status: string }) => feedback().ideaStatus(opts));

  const settings = program.command('settings').description("the brand's programme: attribution, discount, reward, cooling period, levels");
  ofBrand(settings.command('show').description('print the settings'))
    .action((opts: BrandOpts) => programme().settingsShow(opts));
  ofBrand(settings.command('set').description('change settings: KEY=VALUE with the fields of PATCH /api/v1/settings (plan= too)'))
    .argument('<pairs...>', 'e.g. cooling_period_days=14 referrer_reward_type=fixed referrer_reward_value=5')
    .action((pairs: string[], opts: BrandOpts) => programme().settingsSet(pairs, opts));

  const record = program.command('record').description('referral records: who referred whom, for which action and reward (one per commission)');
  ofBrand(record.command('list').description('list referral records, newest first'))
    .option('--advocate <id>', 'of this referring advocate')
    .option('--email <email>', 'of this referred customer')
    .option('--campaign <id>', 'of this campaign')
    .option('--action <n>', 'reward_action_type: 1 purchase, 2 enrolment, 3 clicks, 4 shares')
    .option('--status <status>', 'pending, approved, paid, rejected or reversed')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { advocate?: string; email?: string; campaign?: string; action?: string; status?: string; limit: string; page: string }) =>
      programme().recordList(opts));
  ofBrand(record.command('get').description('one referral record'))
    .requiredOption('--uuid <uuid>', "the record's uuid")
    .action((opts: BrandOpts & { uuid: string }) => programme().recordGet(opts));

  const commission = program.command('commission').description("advocates' rewards: list, approve, pay, reject");
  ofBrand(commission.command('list').description('list commissions, newest first'))
    .option('--status <status>', 'pending, approved, paid, rejected or reversed')
    .option('--advocate <id>', 'of this advocate')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: BrandOpts & { status?: string; advocate?: string; limit: string; page: string }) =>
      programme().commissionList(opts));
  ofBrand(commission.command('approve-due').description('approve every pending commission whose cooling period has ended'))
    .action((opts: BrandOpts) => programme().commissionApproveDue(opts));
  ofBrand(commission.command('set-status').description('approve (also before the cooling period ends), pay or reject one commission'))
    .requiredOption('--id <id>', 'commission id')
    .requiredOption('--status <status>', 'approved, paid or rejected')
    .option('--reason <text>', 'why (kept in the history)')
    .action((opts: BrandOpts & { id: string; status: string; reason?: string }) => programme().commissionSetStatus(opts));

  const payout = program.command('payout').description('pay approved commissions: export the list, pay, mark paid');
  ofBrand(payout.command('export').description('the approved cash commissions to pay, less clawbacks owed, as CSV (stdout or --out)'))
    .option('--out <file>', 'write the CSV to this file')
    .action((opts: BrandOpts & { out?: string }) => programme().payoutExport(opts));
  ofBrand(payout.command('mark-paid').description('mark the commissions of a payout CSV (or --id) paid, all or none'))
    .option('--from <file>', 'a CSV made by payout export (its commission_id column)')
    .option('--id <ids...>', 'commission ids')
    .option('--note <text>', 'kept in each history, e.g. the transfer reference')
    .action((opts: BrandOpts & { from?: string; id?: string[]; note?: string }) => programme().payoutMarkPaid(opts));

  const user = program.command('user').description("a brand's dashboard users and their single-use sign-in links (valid one hour)");
  ofBrand(user.command('create').description('create a dashboard user and print their first sign-in link'))
    .requiredOption('--email <email>', 'the user\'s email (one user per email and brand)')
    .addOption(new Option('--role <role>', 'owner (everything) or viewer (reads only)').choices(['owner', 'viewer']).default('owner'))
    .action((opts: BrandOpts & { email: string; role: string }) => users().userCreate(opts));
  ofBrand(user.command('login-link').description('print a new single-use sign-in link for a user (earlier unused links keep working)'))
    .requiredOption('--email <email>', 'the user\'s email')
    .action((opts: BrandOpts & { email: string }) => users().userLoginLink(opts));
  ofBrand(user.command('list').description("list the brand's dashboard users: role, password set or not, disabled or not"))
    .action((opts: BrandOpts) => users().userList(opts));

  const person = program.command('person').description("a person's data on request and its erasure, by email (privacy requests)");
  ofBrand(person.command('export').description('everything the brand holds about an email, as JSON (stdout or --out, written 0600)'))
    .requiredOption('--email <email>', "the person's email")
    .option('--out <file>', 'write the JSON to this file')
    .action((opts: BrandOpts & { email: string; out?: string }) => people().personExport(opts));
  ofBrand(person.command('erase').description("erase an email's person: identifying data removed, the books kept (all or nothing)"))
    .requiredOption('--email <email>', "the person's email")
    .action((opts: BrandOpts & { email: string }) => people().personErase(opts));

  const webhook = program.command('webhook').description("outgoing webhooks: a brand's endpoints, the events each receives, their deliveries");
  type WebhookId = BrandOpts & { id: string };
  type Paging = { limit?: string; page?: string; cursor?: string };
  const paged = (cmd: Command) => cmd.option('--limit <n>', 'at most this many (1-100)', '20').option('--page <n>', 'page number')
    .option('--cursor <c>', 'the next_cursor of the previous page');
  ofBrand(webhook.command('add').description('register an endpoint (https; enabled at once) and print its signing secret, once'))
    .requiredOption('--url <url>', 'where deliveries are POSTed, e.g. https://example.com/webhooks/referloop')
    .option('--event <type...>', 'event types it receives, or * (every type but visit.created and share.created; the default)')
    .option('--description <text>', 'what it is for')
    .action((opts: BrandOpts & { url: string; event?: string[]; description?: string }) => webhooks().webhookAdd(opts));
  ofBrand(paged(webhook.command('list').description("list the brand's endpoints: events, status and why disabled (never a secret)")))
    .action((opts: BrandOpts & Paging) => webhooks().webhookList(opts));
  ofBrand(webhook.command('update').description('change an endpoint: its URL, events (they replace the old ones) or description'))
    .requiredOption('--id <id>', 'endpoint id (see webhook list)')
    .option('--url <url>', 'the new URL')
    .option('--event <type...>', 'event types it receives, or *')
    .option('--description <text>', 'what it is for ("" clears it)')
    .action((opts: WebhookId & { url?: string; event?: string[]; description?: string }) => webhooks().webhookUpdate(opts));
  for (const [verb, status, what] of [['enable', 'enabled', 'send to an endpoint again (also one disabled by a 410 or 5 days of failures): its waiting deliveries go first'],
    ['disable', 'disabled', 'stop sending to an endpoint: queued deliveries wait, pending; events meanwhile are not kept for it']] as const) {
    ofBrand(webhook.command(verb).description(what))
      .requiredOption('--id <id>', 'endpoint id (see webhook list)')
      .action((opts: WebhookId) => webhooks().webhookSetStatus(opts, status));
  }
  ofBrand(webhook.command('rotate').description('a new signing secret, printed once; the old one keeps signing beside it for 24 hours'))
    .requiredOption('--id <id>', 'endpoint id (see webhook list)')
    .action((opts: WebhookId) => webhooks().webhookRotate(opts));
  ofBrand(webhook.command('remove').description('delete an endpoint: nothing more is sent to it'))
    .requiredOption('--id <id>', 'endpoint id (see webhook list)')
    .action((opts: WebhookId) => webhooks().webhookRemove(opts));
  ofBrand(paged(webhook.command('deliveries').description("an endpoint's deliveries, newest first: status, attempts, the last answer and its duration")))
    .requiredOption('--id <id>', 'endpoint id (see webhook list)')
    .option('--status <status>', 'pending, delivered or failed')
    .action((opts: WebhookId & Paging & { status?: string }) => webhooks().webhookDeliveries(opts));
  ofBrand(webhook.command('delivery').description('one delivery: the body sent, and each attempt\'s request headers and answer'))
    .requiredOption('--id <id>', 'endpoint id')
    .requiredOption('--delivery <id>', 'delivery id (see webhook deliveries)')
    .action((opts: WebhookId & { delivery: string }) => webhooks().webhookDelivery(opts));
  ofBrand(webhook.command('resend').description('send a delivery again, now: the same body and webhook-id'))
    .requiredOption('--id <id>', 'endpoint id')
    .requiredOption('--delivery <id>', 'delivery id (see webhook deliveries)')
    .action((opts: WebhookId & { delivery: string }) => webhooks().webhookResend(opts));
  ofBrand(webhook.command('test').description('send a sample event to one endpoint (whatever it subscribes to), signed and retried like any other'))
    .requiredOption('--id <id>', 'endpoint id')
    .option('--event <type>', 'the sample event\'s type (default conversion.created)')
    .action((opts: WebhookId & { event?: string }) => webhooks().webhookTest(opts));

  program.command('migrate-data').description('copy a SQLite install into an empty PostgreSQL database: all or nothing, ids and keys kept, row counts checked (stop the collector first)')
    .requiredOption('--from <path>', 'the SQLite database file, e.g. ./data/referloop.db (migrated first, as serve would)')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:password@host/db (migrated first; must hold no brand)')
    .option('--json', 'print one JSON object (progress goes to stderr)')
    .action((opts: { from: string; to: string; json?: boolean }) => migrateData().migrateData(opts));

  // `serve` runs under tsx's ESM loader (bin/referloop.mjs), as the tests load the collector: import() here.
  program.command('serve').description('start the collector (creates the database if needed)')
    .option('--port <n>', 'port (default REFERLOOP_PORT or 8787)')
    .option('--db <path>', DB_HELP)
    .action(async (opts: { port?: string; db?: string }) => {
      const [{ loadConfig }, { serveUntilSignalled }, { locate }] =
        await Promise.all([import('./config.ts'), import('./server.ts'), import('./cli/common.ts')]);
      const config = loadConfig(process.env);
      if (opts.port !== undefined) config.port = Number(opts.port);
      if (opts.db !== undefined) Object.assign(config, locate(opts));
      await serveUntilSignalled(config);
    });
  return program;
}

// No top-level await: the one-shot commands load this module with require.
buildCli().parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`referloop: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
