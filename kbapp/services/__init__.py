"""Every write to the knowledge base goes through a service: keyword-only, one transaction."""
