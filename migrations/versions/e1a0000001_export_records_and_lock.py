"""export records and the exported-period lock

Revision ID: e1a0000001
Revises: b1a0000001
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a0000001'
down_revision = 'b1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'export_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('entry_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('export_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_records_company_id'), ['company_id'], unique=False)
    # A plain ADD COLUMN (no batch copy of `companies`, which other tables reference): SQLite and PostgreSQL.
    op.add_column('companies', sa.Column('lock_exported_periods', sa.Boolean(), server_default=sa.false(),
                                         nullable=False))


def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('lock_exported_periods')
    with op.batch_alter_table('export_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_records_company_id'))
    op.drop_table('export_records')
