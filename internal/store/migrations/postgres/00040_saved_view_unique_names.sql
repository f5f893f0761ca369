-- +goose Up
-- A view's name is its owner's once, and a shared view's once among the
-- shared ones (names compare without regard to case), as the store checks
-- before it writes; the unique indexes keep two concurrent creations from
-- both passing that check. Views saved twice before are renamed first:
-- the oldest keeps its name, the others get " (2)", " (3)" … (or, if a
-- view already has that name, " (view <id>)").
UPDATE saved_views v SET name = n.name
FROM (SELECT r.id, CASE WHEN EXISTS (SELECT 1 FROM saved_views o WHERE lower(o.name) = lower(r.name || ' (' || r.k || ')')
            AND (o.owner_id = r.owner_id OR (o.shared AND r.shared)))
        THEN r.name || ' (view ' || r.id || ')' ELSE r.name || ' (' || r.k || ')' END AS name
      FROM (SELECT id, owner_id, name, shared, ROW_NUMBER() OVER (PARTITION BY owner_id, lower(name) ORDER BY id) AS k
            FROM saved_views) r
      WHERE r.k > 1) n
WHERE v.id = n.id;
UPDATE saved_views v SET name = n.name
FROM (SELECT r.id, CASE WHEN EXISTS (SELECT 1 FROM saved_views o WHERE lower(o.name) = lower(r.name || ' (' || r.k || ')')
            AND (o.owner_id = r.owner_id OR o.shared))
        THEN r.name || ' (view ' || r.id || ')' ELSE r.name || ' (' || r.k || ')' END AS name
      FROM (SELECT id, owner_id, name, ROW_NUMBER() OVER (PARTITION BY lower(name) ORDER BY id) AS k
            FROM saved_views WHERE shared) r
      WHERE r.k > 1) n
WHERE v.id = n.id;
CREATE UNIQUE INDEX saved_views_owner_name ON saved_views (owner_id, lower(name));
CREATE UNIQUE INDEX saved_views_shared_name ON saved_views (lower(name)) WHERE shared;

-- +goose Down
-- The renamed views keep their new names.
DROP INDEX saved_views_shared_name;
DROP INDEX saved_views_owner_name;
