"""audit trail (append-only) and invitations

Revision ID: b1a0000001
Revises: j1a0000001
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa

# The database's own append-only guard (the same SQL as server/models/audit.py, frozen here).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()
"""
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"""
    for verb in ("UPDATE", "DELETE")
]


# revision identifiers, used by Alembic.
revision = 'b1a0000001'
down_revision = 'j1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('device_id', sa.String(length=64), nullable=False),
        sa.Column('mutation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('entity', sa.String(length=30), nullable=False),
        sa.Column('entity_id', sa.String(length=64), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_audit_entries_company_id_companies')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_entity'), ['entity'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)
    if op.get_context().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    elif op.get_context().dialect.name == 'sqlite':
        for ddl in SQLITE_TRIGGERS:
            op.execute(ddl)

    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_invitations_company_id_companies')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_company_id'))
    op.drop_table('invitations')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_entity'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_company_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
    op.drop_table('audit_entries')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS audit_entries_append_only()')
