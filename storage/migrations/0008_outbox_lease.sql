-- 0008: claims of outbox rows expire (issue 13).
-- A row the worker claimed ('sending') used to go back to 'pending' only at
-- start-up (RecoverClaims). When the worker could not record a send's
-- outcome (a full disk) the row stayed 'sending', held up every later row
-- of its contact and was sent again after a restart. Each claim now holds a
-- lease until lease_until (unix ms); ClaimDue takes back the rows whose
-- lease ran out, so they are claimable again without a restart. Rows claimed
-- before this migration have lease_until 0: expired, as after a restart.
ALTER TABLE outbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
