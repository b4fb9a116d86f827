"""The PostgreSQL schema, as numbered migrations applied in order by `verifier db init`.

Verdicts are append-only events (``verdict_events``); the current verdict of a
claim is its last event, kept in ``verdicts`` by a trigger that only ever moves
forward (a late-committing older event never overwrites a newer one), so many
fact-checkers can tag at once without lost updates. Every change that an open
workbench must see is announced on the ``verifier`` channel (LISTEN/NOTIFY).
"""

from __future__ import annotations

CHANNEL = "verifier"

# Each migration runs once, in one transaction, and is recorded in schema_migrations.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "corpus, verdict events, decisions, references, quote checks", r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE meta (key text PRIMARY KEY, value jsonb NOT NULL);

CREATE TABLE sources (id text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE posts (
    id text PRIMARY KEY,
    source_id text NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX posts_source ON posts (source_id);

CREATE TABLE claims (
    id text PRIMARY KEY,
    post_id text NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    speaker text,
    cluster_id text,
    retired boolean NOT NULL DEFAULT false,
    checkworthiness double precision NOT NULL DEFAULT 0,
    doc jsonb NOT NULL
);
CREATE INDEX claims_post ON claims (post_id);
CREATE INDEX claims_cluster ON claims (cluster_id);
CREATE INDEX claims_rank ON claims (checkworthiness DESC, id) WHERE NOT retired;
CREATE INDEX claims_text_trgm ON claims USING gin (lower(text) gin_trgm_ops);
CREATE INDEX claims_speaker_trgm ON claims USING gin (lower(coalesce(speaker, '')) gin_trgm_ops);

CREATE TABLE clusters (id text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE verdict_events (
    id bigserial PRIMARY KEY,
    claim_id text NOT NULL,
    status text NOT NULL,  -- validated by verifier (labels are configurable)
    note text,
    evidence jsonb NOT NULL DEFAULT '[]',
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    origin text NOT NULL DEFAULT 'workbench',
    old jsonb,
    undo boolean NOT NULL DEFAULT false
);
CREATE INDEX verdict_events_claim ON verdict_events (claim_id, id);

CREATE TABLE verdicts (
    claim_id text PRIMARY KEY,
    event_id bigint NOT NULL,
    status text NOT NULL,
    note text,
    evidence jsonb NOT NULL DEFAULT '[]',
    actor text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX verdicts_status ON verdicts (status);

CREATE FUNCTION verdict_event_applied() RETURNS trigger AS $$
BEGIN
    INSERT INTO verdicts AS v (claim_id, event_id, status, note, evidence, actor, at)
    VALUES (NEW.claim_id, NEW.id, NEW.status, NEW.note, NEW.evidence, NEW.actor, NEW.at)
    ON CONFLICT (claim_id) DO UPDATE
        SET event_id = EXCLUDED.event_id, status = EXCLUDED.status, note = EXCLUDED.note,
            evidence = EXCLUDED.evidence, actor = EXCLUDED.actor, at = EXCLUDED.at
        WHERE v.event_id < EXCLUDED.event_id;
    PERFORM pg_notify('verifier', json_build_object('kind', 'verdict', 'claim_id', NEW.claim_id,
                                                    'event_id', NEW.id, 'actor', NEW.actor)::text);
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER verdict_events_apply AFTER INSERT ON verdict_events
    FOR EACH ROW EXECUTE FUNCTION verdict_event_applied();

CREATE TABLE decisions (
    id bigserial PRIMARY KEY,
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    doc jsonb NOT NULL
);

CREATE TABLE reference_texts (id text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE quote_checks (claim_id text PRIMARY KEY, doc jsonb NOT NULL);

CREATE TABLE assignments (
    target text PRIMARY KEY,          -- a claim id or a cluster id
    target_kind text NOT NULL CHECK (target_kind IN ('claim', 'cluster')),
    assignee text,                    -- NULL: unassigned again
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX assignments_assignee ON assignments (assignee);

CREATE FUNCTION notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('verifier', json_build_object('kind', TG_ARGV[0])::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER assignments_notify AFTER INSERT OR UPDATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('assignment');
CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE ON claims
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('claims');
CREATE TRIGGER decisions_notify AFTER INSERT ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_change('decision');
"""),
    (2, "checkers who disagree: two people, two verdicts, one claim, a short window", r"""
CREATE VIEW disagreements AS
SELECT a.claim_id, a.id AS first_event, b.id AS second_event,
       a.actor AS first_actor, a.status AS first_status,
       b.actor AS second_actor, b.status AS second_status, b.at
FROM verdict_events a
JOIN verdict_events b
  ON b.claim_id = a.claim_id AND b.id > a.id
 AND b.actor <> a.actor AND b.status <> a.status
 AND a.status <> 'unreviewed' AND b.status <> 'unreviewed'
 AND b.at - a.at <= interval '10 minutes'
 AND NOT b.undo
WHERE NOT EXISTS (  -- settled: a later event than both, by anyone, after the pair
    SELECT 1 FROM verdict_events s
    WHERE s.claim_id = a.claim_id AND s.id > b.id AND s.origin = 'settle');
"""),
]

MIGRATIONS.append((3, "each claim's current status on the claim, for list pages served by one index", r"""
ALTER TABLE claims ADD COLUMN status text NOT NULL DEFAULT 'unreviewed';
-- the order things were first stored in, as the file keeps them
ALTER TABLE claims ADD COLUMN n bigserial;
ALTER TABLE posts ADD COLUMN n bigserial;
ALTER TABLE sources ADD COLUMN n bigserial;
ALTER TABLE clusters ADD COLUMN n bigserial;
ALTER TABLE reference_texts ADD COLUMN n bigserial;
UPDATE claims c SET status = v.status FROM verdicts v WHERE v.claim_id = c.id;
CREATE INDEX claims_status_rank ON claims (status, checkworthiness DESC, id) WHERE NOT retired;

CREATE OR REPLACE FUNCTION verdict_event_applied() RETURNS trigger AS $$
DECLARE moved int;
BEGIN
    INSERT INTO verdicts AS v (claim_id, event_id, status, note, evidence, actor, at)
    VALUES (NEW.claim_id, NEW.id, NEW.status, NEW.note, NEW.evidence, NEW.actor, NEW.at)
    ON CONFLICT (claim_id) DO UPDATE
        SET event_id = EXCLUDED.event_id, status = EXCLUDED.status, note = EXCLUDED.note,
            evidence = EXCLUDED.evidence, actor = EXCLUDED.actor, at = EXCLUDED.at
        WHERE v.event_id < EXCLUDED.event_id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved > 0 THEN
        UPDATE claims SET status = NEW.status WHERE id = NEW.claim_id AND status IS DISTINCT FROM NEW.status;
    END IF;
    PERFORM pg_notify('verifier', json_build_object('kind', 'verdict', 'claim_id', NEW.claim_id,
                                                    'event_id', NEW.id, 'actor', NEW.actor)::text);
    RETURN NEW;
END $$ LANGUAGE plpgsql;

-- a claim written again by an ingest keeps its current status
CREATE OR REPLACE FUNCTION claim_status_kept() RETURNS trigger AS $$
BEGIN
    SELECT v.status INTO NEW.status FROM verdicts v WHERE v.claim_id = NEW.id;
    IF NEW.status IS NULL THEN NEW.status := 'unreviewed'; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER claims_status_kept BEFORE INSERT ON claims
    FOR EACH ROW EXECUTE FUNCTION claim_status_kept();
"""))

MIGRATIONS.append((4, "feature tables (the fact-check library and each claim's matches)", r"""
CREATE TABLE aux (tbl text NOT NULL, key text NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (tbl, key));
"""))

MIGRATIONS.append((5, "a paged workbench: undecided-first list order, new claims and assignments since a point", r"""
-- the workbench's default order (undecided first, then by check-worthiness), served by one index
CREATE INDEX claims_todo_rank ON claims ((status <> 'unreviewed'), checkworthiness DESC, id) WHERE NOT retired;
-- claims stored since the last look (an open workbench polls for them)
CREATE INDEX claims_n ON claims (n);
ALTER TABLE assignments ADD COLUMN seq bigserial;
CREATE INDEX assignments_seq ON assignments (seq);
-- every change of an assignment takes a new number, so a workbench reads only what changed
CREATE FUNCTION assignment_numbered() RETURNS trigger AS $$
BEGIN
    NEW.seq := nextval(pg_get_serial_sequence('assignments', 'seq'));
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER assignments_numbered BEFORE UPDATE ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignment_numbered();
"""))

MIGRATIONS.append((6, "the words of claims and speakers: a typo in a search is corrected against them", r"""
CREATE TABLE words (word text PRIMARY KEY);
CREATE INDEX words_trgm ON words USING gin (word gin_trgm_ops);
INSERT INTO words
SELECT DISTINCT w FROM claims c,
       regexp_split_to_table(lower(c.text || ' ' || coalesce(c.speaker, '')), '[^[:alnum:]]+') w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
"""))

MIGRATIONS.append((7, "a claim's status by its id without the row: counts of assigned claims", r"""
CREATE INDEX claims_live_status ON claims (id, status) WHERE NOT retired;
"""))

MIGRATIONS.append((8, "the kind filter served in list order", r"""
CREATE INDEX claims_kind_todo_rank ON claims (kind, (status <> 'unreviewed'), checkworthiness DESC, id) WHERE NOT retired;
CREATE INDEX claims_kind_status_rank ON claims (kind, status, checkworthiness DESC, id) WHERE NOT retired;
"""))

MIGRATIONS.append((9, "the assigned claims' list keys without their rows; notes and evidence by trigram", r"""
-- "mine" and the count of unassigned claims look claims up by id: with the list's keys in the index,
-- a lookup reads no row (it replaces migration 7's index, which lacked the rank)
CREATE INDEX claims_live_key ON claims (id) INCLUDE (status, checkworthiness) WHERE NOT retired;
DROP INDEX IF EXISTS claims_live_status;
-- a search also looks in notes and evidence: only the verdicts that have either, by trigram
CREATE INDEX verdicts_annotation_trgm ON verdicts
    USING gin (lower(coalesce(note, '') || ' ' || evidence::text) gin_trgm_ops)
    WHERE note IS NOT NULL OR evidence <> '[]';
"""))

MIGRATIONS.append((10, "each claim's assignee on the claim (its own, else its cluster's), kept by triggers", r"""
-- the "mine" and "unassigned" filters and their counts are then ranges of one index, not a lookup
-- per assigned claim
ALTER TABLE claims ADD COLUMN assignee text;

-- who a claim is assigned to: its own assignment, else its cluster's
CREATE FUNCTION claim_assignee(claim_id text, cluster text) RETURNS text AS $$
    SELECT coalesce((SELECT a.assignee FROM assignments a WHERE a.target = claim_id),
                    (SELECT a.assignee FROM assignments a WHERE a.target = cluster))
$$ LANGUAGE sql STABLE;

UPDATE claims c SET assignee = claim_assignee(c.id, c.cluster_id)
WHERE c.id IN (SELECT target FROM assignments WHERE assignee IS NOT NULL)
   OR c.cluster_id IN (SELECT target FROM assignments WHERE assignee IS NOT NULL);

CREATE INDEX claims_assignee_todo_rank ON claims (assignee, (status <> 'unreviewed'), checkworthiness DESC, id)
    WHERE NOT retired AND assignee IS NOT NULL;

-- an assignment changed: the claim, or the cluster's members without one of their own
CREATE FUNCTION assignment_applied() RETURNS trigger AS $$
BEGIN
    IF NEW.target_kind = 'claim' THEN
        UPDATE claims c SET assignee = claim_assignee(c.id, c.cluster_id)
        WHERE c.id = NEW.target AND c.assignee IS DISTINCT FROM claim_assignee(c.id, c.cluster_id);
    ELSE
        UPDATE claims c SET assignee = claim_assignee(c.id, c.cluster_id)
        WHERE c.cluster_id = NEW.target AND c.assignee IS DISTINCT FROM claim_assignee(c.id, c.cluster_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER assignments_applied AFTER INSERT OR UPDATE ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignment_applied();

-- a claim stored or moved to another cluster (an ingest, a re-link) takes the assignee that holds for it
CREATE FUNCTION claim_assignee_kept() RETURNS trigger AS $$
BEGIN
    NEW.assignee := claim_assignee(NEW.id, NEW.cluster_id);
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER claims_assignee_kept BEFORE INSERT OR UPDATE OF cluster_id ON claims
    FOR EACH ROW EXECUTE FUNCTION claim_assignee_kept();
"""))

LATEST = MIGRATIONS[-1][0]
