-- migrate:up
-- Nothing to do in this dialect.

-- migrate:down
-- Nothing to do in this dialect.
