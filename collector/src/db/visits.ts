// Queries for visits (clicks on referral links).
import type { Conn } from './port.ts';

export interface NewVisit {
  brandId: string;
  visitorId: string;
  code: string;
  advocateId: number;
  shareChannel: string | null;
  landingPage: string | null;
  referrer: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  createdAt: string;
}

/** A visit as a conversion's page explains it. */
export interface VisitSeen {
  id: number; code: string; advocateId: number; landingPage: string | null; shareChannel: string | null;
  utmSource: string | null; createdAt: string;
}

export function createVisitQueries(db: Conn) {
  // Positional parameters: binding 13 named ones looks each name up on the object (measurably slower per visit).
  const insert = db.prepare(
    `INSERT INTO visits (brand_id, visitor_id, code, advocate_id, share_channel, landing_page, referrer,
       utm_source, utm_medium, utm_campaign, utm_term, utm_content, created_at, campaign_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Served by the visits_visitor index: one seek whatever the table's size.
  const newestForVisitor = db.prepare(
    `SELECT advocate_id AS advocateId, code, created_at AS createdAt FROM visits WHERE brand_id = ? AND visitor_id = ? AND created_at >= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  // ---- dashboard (a conversion's page): the visit the visitor rule found, read again: the visitor's newest visit
  // inside [since, until] (the window before the conversion), served by visits_visitor like newestForVisitor.
  const newestBetween = db.prepare(
    `SELECT id, code, advocate_id AS advocateId, landing_page AS landingPage, share_channel AS shareChannel,
       utm_source AS utmSource, created_at AS createdAt
     FROM visits WHERE brand_id = ? AND visitor_id = ? AND created_at >= ? AND created_at <= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  return {
    /** ---- dashboard: the visitor's newest visit between `since` and `until` (ISO, both inclusive). */
    newestBetween: async (brandId: string, visitorId: string, since: string, until: string) =>
      await newestBetween.get(brandId, visitorId, since, until) as VisitSeen | undefined,
    /**
     * `campaignId`: the visit's advocate's campaign as it is now (migration 016: the campaign the visit counts for).
     * Every write path gives it; absent (the bench's seeding), the visit counts for no campaign, only for the brand.
     */
    insert: async (v: NewVisit, campaignId: number | null = null): Promise<number> => Number((await insert.run(v.brandId, v.visitorId, v.code,
      v.advocateId, v.shareChannel, v.landingPage, v.referrer, v.utmSource, v.utmMedium, v.utmCampaign, v.utmTerm, v.utmContent, v.createdAt,
      campaignId)).lastInsertRowid),
    newestForVisitor: async (brandId: string, visitorId: string, since: string) =>
      await newestForVisitor.get(brandId, visitorId, since) as { advocateId: number; code: string; createdAt: string } | undefined,
  };
}
