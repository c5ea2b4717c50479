-- Feedback boards (issue 13, 002_*'s "feedback boards and ideas"): a brand's boards, the ideas advocates post in them,
-- and one vote per advocate and idea (a UNIQUE key, whatever runs at once). An idea's votes are counted on its row
-- (vote_count, moved in the vote's own transaction), so sorting a board's ideas by votes is a walk of an index.

CREATE TABLE feedback_boards (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  TEXT CHECK (description IS NULL OR length(description) <= 2000),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_boards_brand ON feedback_boards (brand_id, id);

CREATE TABLE feedback_ideas (
  id                 INTEGER PRIMARY KEY,
  brand_id           TEXT NOT NULL REFERENCES brands (id),
  board_id           INTEGER NOT NULL REFERENCES feedback_boards (id),
  -- who posted it
  advocate_id        INTEGER NOT NULL REFERENCES advocates (id),
  title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body               TEXT CHECK (body IS NULL OR length(body) <= 5000),
  status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'declined')),
  -- the rows of feedback_votes for this idea, kept in the transaction of each vote and unvote
  vote_count         INTEGER NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  status_changed_at  TEXT
) STRICT;
-- A board's ideas, newest first (id) or by votes (vote_count, then id), each also by status; an advocate's ideas.
CREATE INDEX feedback_ideas_board ON feedback_ideas (brand_id, board_id, id);
CREATE INDEX feedback_ideas_board_status ON feedback_ideas (brand_id, board_id, status, id);
CREATE INDEX feedback_ideas_votes ON feedback_ideas (brand_id, board_id, vote_count, id);
CREATE INDEX feedback_ideas_status_votes ON feedback_ideas (brand_id, board_id, status, vote_count, id);
CREATE INDEX feedback_ideas_advocate ON feedback_ideas (brand_id, advocate_id, id);

CREATE TABLE feedback_votes (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  idea_id      INTEGER NOT NULL REFERENCES feedback_ideas (id),
  advocate_id  INTEGER NOT NULL REFERENCES advocates (id),
  created_at   TEXT NOT NULL,
  UNIQUE (brand_id, idea_id, advocate_id)
) STRICT;
CREATE INDEX feedback_votes_advocate ON feedback_votes (brand_id, advocate_id, id);
