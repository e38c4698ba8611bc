"""the till link: register tokens, the till code mapping, the Z reports received

Revision ID: t1a0000001
Revises: q1a0000001
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 't1a0000001'
down_revision = 'q1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('register_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_register_tokens_company_id_companies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_register_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_register_tokens_register_id_registers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_register_tokens_token_hash'))
    )
    with op.batch_alter_table('register_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_tokens_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_tokens_register_id'), ['register_id'], unique=False)

    op.create_table('till_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_till_codes_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_till_codes')),
    sa.UniqueConstraint('company_id', 'kind', 'code', name='uq_till_codes_code')
    )
    with op.batch_alter_table('till_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_till_codes_company_id'), ['company_id'], unique=False)

    op.create_table('z_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('z_number', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('unlocked_at', sa.DateTime(), nullable=True),
    sa.Column('unlocked_by_id', sa.Integer(), nullable=True),
    sa.Column('day_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_z_reports_company_id_companies')),
    sa.ForeignKeyConstraint(['day_id'], ['days.id'], name=op.f('fk_z_reports_day_id_days')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_z_reports_register_id_registers')),
    sa.ForeignKeyConstraint(['token_id'], ['register_tokens.id'], name=op.f('fk_z_reports_token_id_register_tokens')),
    sa.ForeignKeyConstraint(['unlocked_by_id'], ['users.id'], name=op.f('fk_z_reports_unlocked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_z_reports')),
    sa.UniqueConstraint('register_id', 'date', name='uq_z_reports_register_date')
    )
    with op.batch_alter_table('z_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_z_reports_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_z_reports_day_id'), ['day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_z_reports_register_id'), ['register_id'], unique=False)


def downgrade():
    op.drop_table('z_reports')
    op.drop_table('till_codes')
    op.drop_table('register_tokens')
