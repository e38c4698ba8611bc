"""Demo data: a firm, two companies, three fixed logins (password demo1234)."""
