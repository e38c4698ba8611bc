"""marshmallow schemas: shape and cross-field rules of the wire; no database, no current user."""
