"""Remix lineage: the works a remix, cover or mashup was made from, each with the share of the
remix's earnings it carries (parts per million of the whole, fixed when the remix was made) and
the grant that allowed it (none: the remixer owned the parent).

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
    op.create_table(
        "work_parents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("work_id", sa.Integer, sa.ForeignKey("works.id"), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("works.id"), nullable=False),
        sa.Column("ppm", sa.Integer, nullable=False),
        sa.Column("grant_id", sa.Integer, sa.ForeignKey("grants.id")),
        sa.UniqueConstraint("work_id", "parent_id"),
    )


def downgrade() -> None:
    op.drop_table("work_parents")
