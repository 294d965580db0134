"""the verification desk: verified facts, calls, closed listings, confirmation emails, the audit log

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The audit log's append-only triggers, as locator.desk_models makes them with the table.
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    existing = _columns("providers")
    with op.batch_alter_table('providers') as batch:
        for name, column in (
                ('county', sa.Column('county', sa.String(length=100), nullable=False, server_default='')),
                ('contact_email', sa.Column('contact_email', sa.String(length=254), nullable=False, server_default='')),
                ('contact_language', sa.Column('contact_language', sa.String(length=5), nullable=False,
                                               server_default='en')),
                ('phone_bad_at', sa.Column('phone_bad_at', sa.DateTime(timezone=True), nullable=True)),
                ('closed_at', sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True)),
                ('closed_reason', sa.Column('closed_reason', sa.String(length=200), nullable=False,
                                            server_default=''))):
            if name not in existing:
                batch.add_column(column)
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "session_nonce" not in _columns("staff_accounts"):
        with op.batch_alter_table('staff_accounts') as batch:
            batch.add_column(sa.Column('session_nonce', sa.String(length=32), nullable=False, server_default=''))
    if "staff_id" not in _columns("availability_reports"):
        # Added in place with its reference: on SQLite, batch mode's copy of the table would trip
        # the foreign keys that point at it, and Alembic adds no reference to a column in place.
        if op.get_bind().dialect.name == "sqlite":
            op.execute("ALTER TABLE availability_reports ADD COLUMN staff_id INTEGER REFERENCES staff_accounts (id)")
        else:
            op.add_column('availability_reports', sa.Column('staff_id', sa.Integer(), nullable=True))
            op.create_foreign_key('fk_availability_reports_staff_id', 'availability_reports', 'staff_accounts',
                                  ['staff_id'], ['id'])
    if "verifications" not in tables:
        op.create_table('verifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('fact', sa.String(length=20), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('verifier_kind', sa.String(length=12), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id']),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_verifications_provider_fact', 'verifications', ['provider_id', 'fact', 'verified_at'])
    if "desk_calls" not in tables:
        op.create_table('desk_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('called_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id']),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_desk_calls_provider_id', 'desk_calls', ['provider_id'])
        op.create_index('ix_desk_calls_called_at', 'desk_calls', ['called_at'])
    if "confirmation_requests" not in tables:
        op.create_table('confirmation_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_confirmation_requests_provider_id', 'confirmation_requests', ['provider_id'])
    if "mail_opt_outs" not in tables:
        op.create_table('mail_opt_outs',
        sa.Column('email_hash', sa.String(length=64), nullable=False),
        sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('email_hash')
        )
    if "audit_log" not in tables:
        op.create_table('audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=20), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('confirmation_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_audit_log_at', 'audit_log', ['at'])
        for statement in APPEND_ONLY_DDL.get(op.get_bind().dialect.name, []):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table('audit_log')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table('mail_opt_outs')
    op.drop_table('confirmation_requests')
    op.drop_table('desk_calls')
    op.drop_table('verifications')
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('availability_reports') as batch:
            batch.drop_column('staff_id')
    else:
        op.drop_constraint('fk_availability_reports_staff_id', 'availability_reports', type_='foreignkey')
        op.drop_column('availability_reports', 'staff_id')
    with op.batch_alter_table('staff_accounts') as batch:
        batch.drop_column('session_nonce')
    with op.batch_alter_table('providers') as batch:
        for name in ('closed_reason', 'closed_at', 'phone_bad_at', 'contact_language', 'contact_email', 'county'):
            batch.drop_column(name)
