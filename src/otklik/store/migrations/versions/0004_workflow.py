"""workflow: items a person must look at again (a review rewritten after its reply was approved)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("rewritten", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("attention", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("attention")
        batch.drop_column("rewritten")
