"""A grant's terms: the share of what a remix or cover earns that the work's owners keep
(basis points; none when the grant does not say).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grants") as table:
        table.add_column(sa.Column("keeps_points", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("grants") as table:
        table.drop_column("keeps_points")
