-- A quest's reward may be a catalogue reward (issue 13): the same as SQLite's 022_quest_catalogue_rewards.sql (see there
-- for what each column means), by ALTER TABLE instead of a rebuild.
ALTER TABLE redemptions DROP CONSTRAINT redemptions_points_cost_check;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_check;
ALTER TABLE redemptions ALTER COLUMN points_transaction_id DROP NOT NULL;
ALTER TABLE redemptions ADD COLUMN quest_id bigint REFERENCES quests (id);
ALTER TABLE redemptions ADD CHECK (points_cost >= 0);
ALTER TABLE redemptions ADD CHECK ((quest_id IS NULL) = (points_cost > 0));
ALTER TABLE redemptions ADD CHECK ((points_cost > 0) = (points_transaction_id IS NOT NULL));
ALTER TABLE redemptions ADD CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));
ALTER TABLE redemptions ADD CHECK (status <> 'cancelled' OR points_cost = 0 OR refund_transaction_id IS NOT NULL);

ALTER TABLE quests ADD COLUMN reward_catalogue_id bigint REFERENCES catalogue_rewards (id);

ALTER TABLE quest_completions ADD COLUMN catalogue_reward_id bigint REFERENCES catalogue_rewards (id);
ALTER TABLE quest_completions ADD COLUMN redemption_id bigint REFERENCES redemptions (id);
ALTER TABLE quest_completions ADD COLUMN reward_not_granted text COLLATE "C"
  CHECK (reward_not_granted IS NULL OR reward_not_granted IN ('out_of_stock', 'archived'));
