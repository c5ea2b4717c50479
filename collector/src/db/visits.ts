// Queries for visits (clicks on referral links).
import type { Db } from './open.ts';

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

export function createVisitQueries(db: Db) {
  // Positional parameters: binding 13 named ones looks each name up on the object (measurably slower per visit).
  const insert = db.prepare(
    `INSERT INTO visits (brand_id, visitor_id, code, advocate_id, share_channel, landing_page, referrer,
       utm_source, utm_medium, utm_campaign, utm_term, utm_content, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Served by the visits_visitor index: one seek whatever the table's size.
  const newestForVisitor = db.prepare(
    `SELECT advocate_id AS advocateId, code FROM visits WHERE brand_id = ? AND visitor_id = ? AND created_at >= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  return {
    insert: (v: NewVisit): number => Number(insert.run(v.brandId, v.visitorId, v.code, v.advocateId, v.shareChannel, v.landingPage,
      v.referrer, v.utmSource, v.utmMedium, v.utmCampaign, v.utmTerm, v.utmContent, v.createdAt).lastInsertRowid),
    newestForVisitor: (brandId: string, visitorId: string, since: string) =>
      newestForVisitor.get(brandId, visitorId, since) as { advocateId: number; code: string } | undefined,
  };
}
