"""businesses: several businesses (profiles) in one store; users limited to some of them

Every existing item, source and seller account goes to the business ``default`` (id 1), whose
profile stays the one given at start-up until an owner stores one. The inbox lines get the
business too, with per-business counters.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
OWNED = ("items", "sources", "source_credentials", "inbox_entries")
INDEXES = {
    "ix_items_business": ("items", ["business_id"]),
    "ix_inbox_business_open": ("inbox_entries", ["business_id", "is_open", "rank", "item_id", "follow_up"]),
    "ix_inbox_business_late": ("inbox_entries", ["business_id", "late_from"]),
}


def upgrade() -> None:
    op.create_table(
        "businesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("profile_yaml", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "business_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "business_id"),
    )
    conn = op.get_bind()
    conn.execute(sa.text("INSERT INTO businesses (id, slug, name, version, created_at) "
                         "VALUES (1, 'default', '', 0, CURRENT_TIMESTAMP)"))
    if conn.dialect.name == "postgresql":  # an explicit id does not move the sequence
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('businesses', 'id'), 1)"))
    for table in OWNED:  # a constant default: no table rewrite on PostgreSQL, a plain ALTER on SQLite
        op.add_column(table, sa.Column("business_id", sa.Integer(), server_default="1", nullable=False))
    for name, (table, cols) in INDEXES.items():
        op.create_index(name, table, cols, unique=False)
    from otklik.store.inbox import rebuild, recount

    # 0006 leaves the lines to this step when it runs on today's code (which writes business_id)
    has_lines = conn.scalar(sa.text("SELECT count(*) FROM (SELECT 1 FROM inbox_entries LIMIT 1) AS x"))
    if has_lines:
        recount(conn)  # the counters per business, from the lines already there
    else:
        rebuild(conn)


def downgrade() -> None:
    for name, (table, _cols) in INDEXES.items():
        op.drop_index(name, table_name=table)
    for table in OWNED:  # SQLite ≥ 3.35 drops a plain column in place (the FTS5 triggers stay)
        op.drop_column(table, "business_id")
    op.drop_table("business_members")
    op.drop_table("businesses")
    op.execute("DELETE FROM inbox_counts WHERE key LIKE 'b%:%'")
