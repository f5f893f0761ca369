-- +goose Up
-- Knowledge base and self-service assistant (issue 12): articles with
-- versions and translations, agents' suggested edits, the search index,
-- the search log (gaps) and deflection visits.

CREATE TABLE kb_articles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The article this one translates (its other-language twin), if any.
    translation_of BIGINT REFERENCES kb_articles (id),
    locale TEXT NOT NULL CHECK (locale IN ('zh-CN', 'en')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    -- Tags and product SKUs, comma-separated without spaces.
    tags TEXT NOT NULL DEFAULT '',
    products TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    version INTEGER NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL DEFAULT '',
    views INTEGER NOT NULL DEFAULT 0,
    -- Number of search terms (title twice, then body): BM25's length.
    doc_len INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX kb_articles_list ON kb_articles (status, locale, updated_at);
CREATE INDEX kb_articles_translation ON kb_articles (translation_of);

-- The search index: the terms of internal/text/tokenize with their
-- positions (NULL while a draft), GIN-indexed; BM25 is computed from it
-- (store/kb_search.go) the way SQLite's FTS5 does.
ALTER TABLE kb_articles ADD COLUMN tsv TSVECTOR;
CREATE INDEX kb_articles_tsv ON kb_articles USING GIN (tsv);

-- Every version as it was saved, with who saved it and why.
CREATE TABLE kb_article_versions (
    article_id BIGINT NOT NULL REFERENCES kb_articles (id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    locale TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    products TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Edits agents suggest; an admin or manager applies (a new version) or
-- dismisses them.
CREATE TABLE kb_suggestions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES kb_articles (id),
    base_version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'applied', 'dismissed')),
    by_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kb_suggestions_open ON kb_suggestions (status, created_at);

-- Searches from the help centre, the assistant and the new-request form:
-- the gap report lists those that found nothing.
CREATE TABLE kb_searches (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    query TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('search', 'assistant', 'deflect')),
    results INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX kb_searches_created ON kb_searches (created_at, results);

-- A customer's visit to the new-request form: the article opened from
-- its suggestions, and whether a request was submitted after all.
CREATE TABLE kb_deflections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    customer_id BIGINT REFERENCES customers (id),
    article_id BIGINT REFERENCES kb_articles (id),
    started_at TIMESTAMPTZ NOT NULL,
    opened_at TIMESTAMPTZ,
    submitted_at TIMESTAMPTZ
);
CREATE INDEX kb_deflections_started ON kb_deflections (started_at);

-- +goose Down
DROP TABLE kb_deflections;
DROP TABLE kb_searches;
DROP TABLE kb_suggestions;
DROP TABLE kb_article_versions;
DROP TABLE kb_articles;
