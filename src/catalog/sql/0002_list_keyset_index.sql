-- `btstore list` pages newest first by the keyset (created_at, task_id):
--   WHERE (created_at, task_id) < ($1, $2) ORDER BY created_at DESC, task_id DESC LIMIT n
-- idx_backtest_results_created_at orders by created_at only, so rows that share a
-- created_at (one transaction saving many results) would need a sort, and the row
-- comparison could not be an index condition. This index serves both: each page is
-- one index range scan that stops after n rows, however deep the page.

CREATE INDEX idx_backtest_results_created_at_task_id
    ON backtest_results(created_at DESC, task_id DESC);
