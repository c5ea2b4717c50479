-- Self sign-up (issue 14, /portal/join/BRAND/CAMPAIGN): whether anyone may join a campaign from its public page.
-- closed: nobody (the page is a 404; every campaign until now), approval: they join as pending advocates an owner
-- approves on the dashboard, open: they join as active advocates and see their link at once.
ALTER TABLE campaigns ADD COLUMN signup TEXT NOT NULL DEFAULT 'closed' CHECK (signup IN ('closed', 'approval', 'open'));
