// Every prepared statement of the collector, built once per database connection.
import type Database from 'better-sqlite3';
import type { Conn } from './port.ts';
import { asConn } from './sqlite/conn.ts';
import { createAdvocateQueries } from './advocates.ts';
import { createAdvocateStatsQueries } from './advocateStats.ts';
import { createAdvocateDayQueries } from './advocateDays.ts';
import { createBrandQueries } from './brands.ts';
import { createCampaignQueries } from './campaigns.ts';
import { createCatalogueRewardQueries } from './catalogueRewards.ts';
import { createClaimQueries } from './claims.ts';
import { createConversionQueries } from './conversions.ts';
import { createDailyTotalsQueries } from './dailyTotals.ts';
import { createDashboardUserQueries } from './dashboardUsers.ts';
import { createIdempotencyQueries } from './idempotency.ts';
import { createLockQueries } from './locks.ts';
import { createPayoutPageQueries } from './payoutPages.ts';
import { createAdvocatePayoutQueries } from './advocatePayouts.ts';
import { createPeopleQueries } from './people.ts';
import { createPointsQueries } from './points.ts';
import { createRedemptionQueries } from './redemptions.ts';
import { createTestimonialQueries } from './testimonials.ts';
import { createFeedbackQueries } from './feedback.ts';
import { createSsoQueries } from './sso.ts';
import { createPortalQueries } from './portal.ts';
import { createQuestQueries } from './quests.ts';
import { createRecordQueries } from './records.ts';
import { createRetentionQueries } from './retention.ts';
import { createReferralRecordQueries } from './referralRecords.ts';
import { createRewardQueries } from './rewards.ts';
import { createShareQueries } from './shares.ts';
import { createVisitQueries } from './visits.ts';
import { createWebhookQueries } from './webhooks.ts';
import { createWebhookEndpointQueries } from './webhookEndpoints.ts';

export function createQueries(connection: Conn | Database.Database) {
  const db = asConn(connection);
  return {
    brands: createBrandQueries(db),
    campaigns: createCampaignQueries(db),
    advocates: createAdvocateQueries(db),
    advocateStats: createAdvocateStatsQueries(db),
    advocateDays: createAdvocateDayQueries(db),
    visits: createVisitQueries(db),
    shares: createShareQueries(db),
    claims: createClaimQueries(db),
    conversions: createConversionQueries(db),
    dailyTotals: createDailyTotalsQueries(db),
    rewards: createRewardQueries(db),
    referralRecords: createReferralRecordQueries(db),
    payoutPages: createPayoutPageQueries(db),
    advocatePayouts: createAdvocatePayoutQueries(db),
    idempotency: createIdempotencyQueries(db),
    locks: createLockQueries(db),
    points: createPointsQueries(db),
    catalogueRewards: createCatalogueRewardQueries(db),
    redemptions: createRedemptionQueries(db),
    testimonials: createTestimonialQueries(db),
    feedback: createFeedbackQueries(db),
    sso: createSsoQueries(db),
    portal: createPortalQueries(db),
    quests: createQuestQueries(db),
    people: createPeopleQueries(db),
    retention: createRetentionQueries(db),
    records: createRecordQueries(db),
    dashboardUsers: createDashboardUserQueries(db),
    webhooks: createWebhookQueries(db),
    webhookEndpoints: createWebhookEndpointQueries(db),
  };
}

export type Queries = ReturnType<typeof createQueries>;
