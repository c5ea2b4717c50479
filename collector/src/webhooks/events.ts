// The event types an endpoint can subscribe to (README, "Webhooks"): what each says happened.

export const EVENT_TYPES = [
  'advocate.created',
  'advocate.updated',
  'advocate.recognized',
  'advocate.signed_up',
  'referral_code.created',
  'visit.created',
  'claim.created',
  'conversion.created',
  'conversion.refunded',
  'commission.created',
  'commission.approved',
  'commission.paid',
  'commission.rejected',
  'commission.clawed_back',
  'payout.created',
  'points.transaction.created',
  'campaign.created',
  'campaign.updated',
  'share.created',
  'referral_record.created',
  'reward.redeemed',
  'redemption.fulfilled',
  'redemption.cancelled',
  'testimonial.created',
  'testimonial.approved',
  'idea.created',
  'idea.status_changed',
  'quest.task_completed',
  'quest.completed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Subscribes to every type but the high-volume `visit.created` and `share.created`, which an endpoint must name to receive. */
export const ALL_EVENTS = '*';

/** Types that `*` does not include. */
export const NAMED_ONLY: ReadonlySet<EventType> = new Set(['visit.created', 'share.created']);

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/** Whether a subscription to `patterns` (event types or `*`) receives `type`. */
export const receives = (patterns: Iterable<string>, type: EventType): boolean => {
  for (const p of patterns) if (p === type || (p === ALL_EVENTS && !NAMED_ONLY.has(type))) return true;
  return false;
};
