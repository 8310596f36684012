-- manage connectors pages and searches instances in the database.
-- search_name is the instance's name as the search compares it (lower case,
-- written by the server from the name, see conduit_types::search); the list
-- is ordered by it (byte order, as SQLite orders it) and then id.
ALTER TABLE instances ADD COLUMN search_name TEXT;

-- One connector's instances in the list's order: its pages, its counts and
-- its search (an index-only scan of the connector's rows).
CREATE INDEX instances_list ON instances (company_id, connector_id, search_name COLLATE "C", id);
-- The same under a status filter.
CREATE INDEX instances_list_status ON instances (company_id, connector_id, status, search_name COLLATE "C", id);
