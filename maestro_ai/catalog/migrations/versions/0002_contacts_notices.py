"""Reserved: listeners' contact addresses, and the notices owed to them (the outbox, in the
database, written in the same transaction as the hold it tells of).

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
    op.create_table(
        "contacts",
        sa.Column("listener", sa.String(200), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("hold_id", sa.Integer, sa.ForeignKey("holds.id"), nullable=False),
        sa.Column("listener", sa.String(200), nullable=False, index=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent", sa.DateTime(timezone=True)),
        sa.Column("sent_to", sa.String(320)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("busy_until", sa.DateTime(timezone=True)),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_table("contacts")
