// Queries for testimonials (migration 019): a rating and a text by an advocate or by a named person, pending until
// moderated; a person's testimonials by email or advocate for their export and erasure.
import { equalityList, keysetList, type ScannedPage, type Slice } from './keyset.ts';
import { perEngine, type Conn } from './port.ts';

export type TestimonialStatus = 'pending' | 'approved' | 'rejected';
export type TestimonialSource = 'api' | 'browser';

export interface Testimonial {
  id: number;
  advocateId: number | null;
  /** the name given, or the advocate's (read with the row) */
  name: string;
  /** the email given; null when the author is an advocate */
  email: string | null;
  rating: number;
  text: string;
  product: string | null;
  status: TestimonialStatus;
  source: TestimonialSource;
  createdAt: string;
  updatedAt: string;
  moderatedAt: string | null;
}

export interface NewTestimonial {
  advocateId: number | null;
  name: string | null;
  email: string | null;
  rating: number;
  text: string;
  product: string | null;
  source: TestimonialSource;
  createdAt: string;
}

export interface TestimonialFilter {
  status?: TestimonialStatus | undefined; rating?: number | undefined;
  /** one advocate's (the portal's own list) */
  advocateId?: number | undefined;
}

// The author's name: the one given, else the advocate's (one seek on the advocates' primary key).
const COLUMNS = `id, advocate_id AS advocateId,
  coalesce(name, (SELECT a.name FROM advocates a WHERE a.id = testimonials.advocate_id AND a.brand_id = testimonials.brand_id), '') AS name,
  email, rating, text, product, status, source, created_at AS createdAt, updated_at AS updatedAt, moderated_at AS moderatedAt`;

/** Each filter's column and the index that walks it in id order (migration 019), most selective first. */
const listOf = equalityList<keyof TestimonialFilter>('testimonials', COLUMNS, 'testimonials_brand', [
  { key: 'advocateId', column: 'advocate_id', index: 'testimonials_advocate' },
  { key: 'rating', column: 'rating', index: 'testimonials_rating' },
  { key: 'status', column: 'status', index: 'testimonials_status' },
]);

export function createTestimonialQueries(db: Conn) {
  const find = db.prepare(`SELECT ${COLUMNS} FROM testimonials WHERE brand_id = ? AND id = ?`);
  const insert = db.prepare(
    `INSERT INTO testimonials (brand_id, advocate_id, name, email, rating, text, product, status, source, created_at, updated_at)
     VALUES (@brandId, @advocateId, @name, @email, @rating, @text, @product, 'pending', @source, @createdAt, @createdAt)`);
  const moderate = db.prepare(
    `UPDATE testimonials SET status = @status, moderated_at = @now, updated_at = @now WHERE brand_id = @brandId AND id = @id`);
  // A person's: by the email they gave (testimonials_email) and, as an advocate, by their id (testimonials_advocate).
  const ofPerson = db.prepare(
    `SELECT * FROM testimonials WHERE brand_id = @brandId AND email = @email
     UNION ALL SELECT * FROM testimonials WHERE brand_id = @brandId AND advocate_id = @advocateId ORDER BY id`);
  const erase = db.prepare(perEngine((d) => `DELETE FROM testimonials WHERE brand_id = ? AND id IN (${
    d === 'sqlite' ? 'SELECT value FROM json_each(?)' : 'SELECT json_array_elements_text(?::json)::bigint'})`));
  // The stored Idempotency-Key answers naming them (idempotency_testimonial, written exactly as the index is).
  const eraseAnswers = db.prepare({
    sqlite: `DELETE FROM idempotency_keys WHERE brand_id = ? AND json_extract(response, '$.data.testimonial.id') IN (SELECT value FROM json_each(?))`,
    pg: `DELETE FROM idempotency_keys WHERE brand_id = ? AND (response::jsonb #>> '{data,testimonial,id}') = ANY(ARRAY(SELECT json_array_elements_text(?::json)))`,
  });
  const lists = keysetList<Testimonial>(db);
  const toTestimonial = (r: Testimonial): Testimonial => ({
    ...r, id: Number(r.id), advocateId: r.advocateId === null ? null : Number(r.advocateId), rating: Number(r.rating),
  });

  return {
    find: async (brandId: string, id: number): Promise<Testimonial | undefined> => {
      const r = await find.get(brandId, id) as Testimonial | undefined;
      return r && toTestimonial(r);
    },
    insert: async (brandId: string, t: NewTestimonial): Promise<number> => Number((await insert.run({ brandId, ...t })).lastInsertRowid),
    async moderate(brandId: string, id: number, status: Exclude<TestimonialStatus, 'pending'>, now: string): Promise<void> {
      await moderate.run({ brandId, id, status, now });
    },
    /** A page of the brand's testimonials, newest first (db/keyset.ts `page`). */
    async page(brandId: string, f: TestimonialFilter, slice: Slice): Promise<ScannedPage<Testimonial>> {
      const { sql, params } = listOf(brandId, f);
      const page = await lists.page(sql, params, slice);
      return { ...page, rows: page.rows.map(toTestimonial) };
    },
    /** How many match (db/keyset.ts `total`: a 400 naming total past WALK_BUDGET rows). */
    total: (brandId: string, f: TestimonialFilter): Promise<number> => {
      const { sql, params } = listOf(brandId, f);
      return lists.total(sql, params);
    },
    /** A person's testimonials as stored (without brand_id): those given with the email, and the advocate's. */
    async ofPerson(brandId: string, email: string, advocateId: number | null): Promise<Array<Record<string, unknown>>> {
      const rows = await ofPerson.all({ brandId, email, advocateId: advocateId ?? 0 }) as Array<Record<string, unknown>>;
      return rows.map(({ brand_id: _brand, ...rest }) => rest);
    },
    /** Deletes these testimonials and the stored answers naming them; how many testimonials went. */
    async erase(brandId: string, ids: number[]): Promise<{ testimonials: number; answers: number }> {
      if (ids.length === 0) return { testimonials: 0, answers: 0 };
      // One JSON array of the ids for both: SQLite compares json_extract's integers, PostgreSQL #>>'s text.
      const json = JSON.stringify(ids);
      const answers = (await eraseAnswers.run(brandId, json)).changes;
      return { testimonials: (await erase.run(brandId, json)).changes, answers };
    },
  };
}
