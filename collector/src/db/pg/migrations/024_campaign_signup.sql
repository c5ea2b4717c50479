-- Self sign-up (issue 14): the same column as SQLite's 024_campaign_signup.sql (see there for what each value means).
ALTER TABLE campaigns ADD COLUMN signup text COLLATE "C" NOT NULL DEFAULT 'closed' CHECK (signup IN ('closed', 'approval', 'open'));
