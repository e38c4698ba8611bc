"""Business services: authorization, transactions and rules that views call."""
