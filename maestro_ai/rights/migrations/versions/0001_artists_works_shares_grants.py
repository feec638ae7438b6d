"""The registry's first schema: artists, works, their shares, and consent grants.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "artists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "works",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("artists.id"), nullable=False),
        sa.Column("sha256", sa.String(64), unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("work_id", sa.Integer, sa.ForeignKey("works.id"), nullable=False),
        sa.Column("artist_id", sa.Integer, sa.ForeignKey("artists.id"), nullable=False),
        sa.Column("basis_points", sa.Integer, nullable=False),
        sa.UniqueConstraint("work_id", "artist_id"),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("work_id", sa.Integer, sa.ForeignKey("works.id"), nullable=False),
        sa.Column("grantee_id", sa.Integer, sa.ForeignKey("artists.id"), nullable=False),
        sa.Column("grantor_id", sa.Integer, sa.ForeignKey("artists.id"), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("territory", sa.String(20), nullable=False),
        sa.Column("expires", sa.Date),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for table in ("grants", "shares", "works", "artists"):
        op.drop_table(table)
