"""inbox: one indexed line per inbox entry, so filtering and paging a million items stays fast

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
INDEXES = {
    "ix_inbox_open_order": ["is_open", "rank", "item_id", "follow_up"],
    "ix_inbox_order": ["rank", "item_id", "follow_up"],
    "ix_inbox_status_order": ["status", "rank", "item_id", "follow_up"],
    "ix_inbox_open_sentiment": ["is_open", "sentiment", "rating", "rank", "item_id", "follow_up"],
    "ix_inbox_open_source": ["is_open", "source", "rank", "item_id", "follow_up"],
    "ix_inbox_late": ["late_from"],
    "ix_inbox_attention": ["attention"],
    "ix_inbox_product": ["product_id"],
    "ix_inbox_written": ["written_at"],
}
ASPECT_INDEXES = {
    "ix_inbox_aspects_open": ["aspect", "is_open", "rank", "item_id", "follow_up"],
    "ix_inbox_aspects_late": ["aspect", "late_from", "item_id", "follow_up"],
    "ix_inbox_aspects_item": ["item_id"],
}
TRGM = "ix_inbox_haystack_trgm"
# SQLite: an FTS5 trigram index over inbox_entries.haystack (external content), kept by triggers
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE inbox_search USING fts5(haystack, content='inbox_entries', content_rowid='id',"
    " tokenize='trigram')",
    "CREATE TRIGGER inbox_search_ai AFTER INSERT ON inbox_entries BEGIN"
    " INSERT INTO inbox_search(rowid, haystack) VALUES (new.id, new.haystack); END",
    "CREATE TRIGGER inbox_search_ad AFTER DELETE ON inbox_entries BEGIN"
    " INSERT INTO inbox_search(inbox_search, rowid, haystack) VALUES ('delete', old.id, old.haystack); END",
    "CREATE TRIGGER inbox_search_au AFTER UPDATE ON inbox_entries BEGIN"
    " INSERT INTO inbox_search(inbox_search, rowid, haystack) VALUES ('delete', old.id, old.haystack);"
    " INSERT INTO inbox_search(rowid, haystack) VALUES (new.id, new.haystack); END",
)


def upgrade() -> None:
    op.create_table(
        "inbox_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("attention", sa.Boolean(), nullable=False),
        sa.Column("needs_human", sa.Boolean(), nullable=False),
        sa.Column("late_from", TS, nullable=True),
        sa.Column("written_at", TS, nullable=True),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("rank", sa.Float(), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.String(length=128), nullable=True),
        sa.Column("product", sa.String(length=500), nullable=True),
        sa.Column("haystack", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reply_id"], ["replies.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "follow_up", name="uq_inbox_item_follow_up"),
    )
    op.create_table(
        "inbox_counts",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    for name, cols in INDEXES.items():
        op.create_index(name, "inbox_entries", cols, unique=False)
    op.create_table(
        "inbox_aspects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("late_from", TS, nullable=True),
        sa.Column("rank", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, cols in ASPECT_INDEXES.items():
        op.create_index(name, "inbox_aspects", cols, unique=False)
    op.create_index("ix_aspects_aspect_item", "aspects", ["aspect", "item_id"], unique=False)
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        _trigram_index(conn)
    else:
        for statement in SQLITE_SEARCH:  # before the backfill, so its triggers index every line
            conn.execute(sa.text(statement))
    # The lines are filled by 0007: today's inbox code writes each line's business, a column 0007 adds.


def _trigram_index(conn: sa.Connection) -> None:
    """Search by substring through pg_trgm when the server has it; plain LIKE otherwise."""
    available = conn.scalar(sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'"))
    if not available:
        return
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return  # not allowed to install extensions: search still works, by scanning
    conn.execute(sa.text(f"CREATE INDEX {TRGM} ON inbox_entries USING gin (haystack gin_trgm_ops)"))


def downgrade() -> None:
    op.drop_index("ix_aspects_aspect_item", table_name="aspects")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TRGM}")
    else:
        for trigger in ("inbox_search_ai", "inbox_search_ad", "inbox_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS inbox_search")
    for name in ASPECT_INDEXES:
        op.drop_index(name, table_name="inbox_aspects")
    op.drop_table("inbox_aspects")
    for name in INDEXES:
        op.drop_index(name, table_name="inbox_entries")
    op.drop_table("inbox_entries")
    op.drop_table("inbox_counts")
