"""What a work's copies are recognised by besides their bytes (watermark payloads, manifest
labels). Registries made before there were migrations may have the table already (it was added
by creating missing tables): then nothing is done.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("work_marks"):
        return
    op.create_table(
        "work_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("work_id", sa.Integer, sa.ForeignKey("works.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.UniqueConstraint("kind", "value"),
    )


def downgrade() -> None:
    op.drop_table("work_marks")
