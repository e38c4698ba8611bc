"""a calendar per register: its own weekly pattern and dated exceptions

Revision ID: j1a0000001
Revises: 6a4f9c5adfc1
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'j1a0000001'
down_revision = '6a4f9c5adfc1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekly_pattern', sa.String(length=7), nullable=True))

    op.create_table('register_calendar_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('version', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                            name=op.f('fk_register_calendar_exceptions_company_id_companies')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'],
                            name=op.f('fk_register_calendar_exceptions_register_id_registers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_calendar_exceptions')),
    sa.UniqueConstraint('register_id', 'date', name='uq_register_calendar_exceptions_date')
    )
    with op.batch_alter_table('register_calendar_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_calendar_exceptions_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_calendar_exceptions_register_id'), ['register_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_register_calendar_exceptions_version'), ['version'], unique=False)


def downgrade():
    with op.batch_alter_table('register_calendar_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_calendar_exceptions_version'))
        batch_op.drop_index(batch_op.f('ix_register_calendar_exceptions_register_id'))
        batch_op.drop_index(batch_op.f('ix_register_calendar_exceptions_company_id'))
    op.drop_table('register_calendar_exceptions')
    with op.batch_alter_table('registers', schema=None) as batch_op:
        batch_op.drop_column('weekly_pattern')
