"""start-today bridge options, and where text-message conversations are (for MORE)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = sa.inspect(op.get_bind()).get_table_names()
    if "bridges" not in tables:
        op.create_table('bridges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('hours', sa.String(length=200), nullable=False),
        sa.Column('medications', sa.BigInteger(), nullable=False),
        sa.Column('notes', sa.String(length=500), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=False),
        sa.Column('verified_on', sa.Date(), nullable=True),
        sa.Column('is_demo', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('state', 'name', name='uq_bridges_state_name')
        )
        op.create_index('ix_bridges_state', 'bridges', ['state'])
    if "text_conversations" not in tables:
        op.create_table('text_conversations',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('precision', sa.String(length=10), nullable=False),
        sa.Column('medications', sa.BigInteger(), nullable=False),
        sa.Column('payment', sa.BigInteger(), nullable=False),
        sa.Column('page', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key')
        )
        op.create_index('ix_text_conversations_expires_at', 'text_conversations', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_text_conversations_expires_at', table_name='text_conversations')
    op.drop_table('text_conversations')
    op.drop_index('ix_bridges_state', table_name='bridges')
    op.drop_table('bridges')
