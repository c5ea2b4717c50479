-- Testimonials (issue 13, 002_*'s "collect and manage testimonials"): a rating and a text, by an advocate (advocate_id)
-- or by a person named by name and email, pending until moderated. Approved ones are what a site's pages may read with
-- the publishable key. A testimonial with a name and email is personal data: a person's export lists it and their
-- erasure deletes it (services/people.ts), with the stored Idempotency-Key answers that name it.

CREATE TABLE testimonials (
  id            INTEGER PRIMARY KEY,
  brand_id      TEXT NOT NULL REFERENCES brands (id),
  -- the author: an advocate of the brand, or a name and an email (exactly one of the two)
  advocate_id   INTEGER REFERENCES advocates (id),
  name          TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
  email         TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
  rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text          TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
  product       TEXT CHECK (product IS NULL OR length(product) BETWEEN 1 AND 200),
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  -- which key submitted it: api (the secret key) or browser (the publishable key, from an allowed origin)
  source        TEXT NOT NULL CHECK (source IN ('api', 'browser')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  moderated_at  TEXT,
  CHECK ((advocate_id IS NULL) = (email IS NOT NULL)),
  CHECK ((name IS NULL) = (email IS NULL)),
  CHECK ((status = 'pending') = (moderated_at IS NULL))
) STRICT;
-- The list's walks (the brand's, one status's, one rating's), each in id order; a person's testimonials by email or advocate.
CREATE INDEX testimonials_brand ON testimonials (brand_id, id);
CREATE INDEX testimonials_status ON testimonials (brand_id, status, id);
CREATE INDEX testimonials_rating ON testimonials (brand_id, rating, id);
CREATE INDEX testimonials_email ON testimonials (brand_id, email, id) WHERE email IS NOT NULL;
CREATE INDEX testimonials_advocate ON testimonials (brand_id, advocate_id, id) WHERE advocate_id IS NOT NULL;

-- Stored Idempotency-Key answers that name a testimonial (POST /testimonials, PATCH /testimonials/:id), found by its id
-- when its author's data is erased (as migration 011's indexes for the other records).
CREATE INDEX idempotency_testimonial ON idempotency_keys (brand_id, json_extract(response, '$.data.testimonial.id'))
  WHERE json_extract(response, '$.data.testimonial.id') IS NOT NULL;
