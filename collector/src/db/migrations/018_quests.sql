-- Quests (issue 13, 002_*'s "campaigns and tasks"): a quest is a list of tasks an advocate completes, each worth
-- points, and an optional reward in points for completing them all. Each completion of a task by an advocate is
-- recorded once (a UNIQUE index, whatever runs at once), and so is each advocate's completion of a quest.

CREATE TABLE quests (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL REFERENCES brands (id),
  title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description    TEXT CHECK (description IS NULL OR length(description) <= 2000),
  -- points awarded once per advocate on completing every task; NULL: no quest reward (the tasks' points only)
  reward_points  INTEGER CHECK (reward_points IS NULL OR reward_points > 0),
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'archived')),
  -- tasks are completed from starts_at (inclusive) until ends_at (exclusive); NULL: no bound
  starts_at      TEXT,
  ends_at        TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
) STRICT;
CREATE INDEX quests_brand ON quests (brand_id, id);
CREATE INDEX quests_status ON quests (brand_id, status, id);

-- A quest's tasks, in order; written with the quest and never changed (a completion names its task's points).
CREATE TABLE quest_tasks (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  quest_id     INTEGER NOT NULL REFERENCES quests (id),
  position     INTEGER NOT NULL CHECK (position >= 1),
  title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description  TEXT CHECK (description IS NULL OR length(description) <= 2000),
  points       INTEGER NOT NULL CHECK (points >= 0),
  UNIQUE (brand_id, quest_id, position)
) STRICT;

-- A task completed by an advocate, once; the points it awarded and their ledger entry (none for a task of 0 points).
CREATE TABLE task_completions (
  id                     INTEGER PRIMARY KEY,
  brand_id               TEXT NOT NULL REFERENCES brands (id),
  quest_id               INTEGER NOT NULL REFERENCES quests (id),
  task_id                INTEGER NOT NULL REFERENCES quest_tasks (id),
  advocate_id            INTEGER NOT NULL REFERENCES advocates (id),
  points_awarded         INTEGER NOT NULL CHECK (points_awarded >= 0),
  points_transaction_id  INTEGER REFERENCES points_transactions (id),
  created_at             TEXT NOT NULL,
  CHECK ((points_awarded = 0) = (points_transaction_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX task_completions_once ON task_completions (brand_id, task_id, advocate_id);
-- A quest's progress, advocate by advocate.
CREATE INDEX task_completions_quest ON task_completions (brand_id, quest_id, advocate_id, task_id);

-- A quest completed by an advocate (every task done), once: the completion of the last task and the reward it awarded.
CREATE TABLE quest_completions (
  id                     INTEGER PRIMARY KEY,
  brand_id               TEXT NOT NULL REFERENCES brands (id),
  quest_id               INTEGER NOT NULL REFERENCES quests (id),
  advocate_id            INTEGER NOT NULL REFERENCES advocates (id),
  task_completion_id     INTEGER NOT NULL REFERENCES task_completions (id),
  reward_points          INTEGER NOT NULL CHECK (reward_points >= 0),
  points_transaction_id  INTEGER REFERENCES points_transactions (id),
  created_at             TEXT NOT NULL,
  CHECK ((reward_points = 0) = (points_transaction_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX quest_completions_once ON quest_completions (brand_id, quest_id, advocate_id);
