// Use case: an advocate shared their link (POST /track/share). Counted on the code like a click, and a shares reward
// of the advocate's campaign is earned when the count reaches its threshold (services/actions.ts).
import { SHARES } from '../domain/actions.ts';
import type { ShareRecord } from '../db/shares.ts';
import type { ShareRequest } from '../schemas/track.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import { earnForCount } from './actions.ts';
import type { Ctx } from './context.ts';
import { followedCode } from './visits.ts';

export function shareView(s: ShareRecord) {
  return {
    id: s.id,
    referral_code: s.code,
    advocate_id: s.advocateId,
    campaign_id: s.campaignId,
    channel: s.channel,
    created_at: s.createdAt,
  };
}

export type ShareView = ReturnType<typeof shareView>;

export async function recordShare(ctx: Ctx, req: ShareRequest): Promise<ShareView> {
  const { q, brand, now } = ctx;
  // A share of a code that attributes nothing would send people nowhere: refused like a visit to it.
  const advocate = await followedCode(ctx, req.referral_code);
  const share = { advocateId: advocate.id, code: advocate.code, channel: req.channel.toLowerCase(), campaignId: advocate.campaignId, createdAt: now.toISOString() };
  const id = await q.shares.insert(brand.id, share);
  await q.advocates.countShare(brand.id, advocate.code);
  const view = shareView({ ...share, id });
  await publish(ctx, 'share.created', () => view, advocateSubject(advocate.id));
  await earnForCount(ctx, SHARES, advocate, advocate.code);
  return view;
}
