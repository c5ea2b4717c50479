-- Campaigns (issue 12, 003_*'s programme model): a brand runs one or more campaigns, each with its own referee
-- discount, referrer reward, level-2 reward, cooling period and attribution window. The programme fields of brands move
-- to the brand's first campaign, its default (is_default), and every advocate belongs to one campaign
-- (their brand's default until moved). Values are stored as brands stored them: basis points for a percentage, cents
-- for a fixed amount, whole points for points.

CREATE TABLE campaigns (
  id                       INTEGER PRIMARY KEY,
  brand_id                 TEXT NOT NULL REFERENCES brands (id),
  name                     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  status                   TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  -- the brand's one default campaign (campaigns_default): the one its advocates join unless put in another
  is_default               INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  referee_discount_type    TEXT NOT NULL DEFAULT 'percentage' CHECK (referee_discount_type IN ('percentage', 'fixed')),
  referee_discount_value   INTEGER NOT NULL DEFAULT 1000 CHECK (referee_discount_value >= 0),
  referrer_reward_type     TEXT NOT NULL DEFAULT 'percentage' CHECK (referrer_reward_type IN ('percentage', 'fixed', 'points')),
  referrer_reward_value    INTEGER NOT NULL DEFAULT 1000 CHECK (referrer_reward_value >= 0),
  level2_reward_type       TEXT NOT NULL DEFAULT 'none' CHECK (level2_reward_type IN ('none', 'percentage', 'fixed', 'points')),
  level2_reward_value      INTEGER NOT NULL DEFAULT 0 CHECK (level2_reward_value >= 0),
  cooling_period_days      INTEGER NOT NULL DEFAULT 30 CHECK (cooling_period_days >= 0),
  attribution_window_days  INTEGER NOT NULL DEFAULT 30 CHECK (attribution_window_days > 0),
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL,
  UNIQUE (brand_id, name)
) STRICT;
CREATE INDEX campaigns_brand ON campaigns (brand_id, id);
CREATE UNIQUE INDEX campaigns_default ON campaigns (brand_id) WHERE is_default = 1;

INSERT INTO campaigns (brand_id, name, is_default, referee_discount_type, referee_discount_value, referrer_reward_type, referrer_reward_value,
  level2_reward_type, level2_reward_value, cooling_period_days, attribution_window_days, created_at, updated_at)
SELECT id, 'Default', 1, referee_discount_type, referee_discount_value, referrer_reward_type, referrer_reward_value,
  level2_reward_type, level2_reward_value, cooling_period_days, attribution_window_days, created_at, created_at
FROM brands ORDER BY created_at, id;


ALTER TABLE brands DROP COLUMN referee_discount_type;
ALTER TABLE brands DROP COLUMN referee_discount_value;
ALTER TABLE brands DROP COLUMN referrer_reward_type;
ALTER TABLE brands DROP COLUMN referrer_reward_value;
ALTER TABLE brands DROP COLUMN level2_reward_type;
ALTER TABLE brands DROP COLUMN level2_reward_value;
ALTER TABLE brands DROP COLUMN cooling_period_days;
ALTER TABLE brands DROP COLUMN attribution_window_days;

-- Set on every advocate (their brand's default campaign until moved); NULL only while a migration runs.
ALTER TABLE advocates ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
UPDATE advocates SET campaign_id = (SELECT c.id FROM campaigns c WHERE c.brand_id = advocates.brand_id AND c.is_default = 1);
CREATE INDEX advocates_campaign ON advocates (brand_id, campaign_id, id);

-- The campaign whose rules made each commission (the referring advocate's, at conversion time); until now every
-- commission was made by the one programme, now the default campaign.
ALTER TABLE rewards ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
UPDATE rewards SET campaign_id = (SELECT c.id FROM campaigns c WHERE c.brand_id = rewards.brand_id AND c.is_default = 1);
